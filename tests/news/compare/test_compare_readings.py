"""Round two of figures read by what they count (issue 12): model names, running totals, counts
besides a first one, clock times, distances from a named place, a building's age told as the year
it was built, and figures of an earlier event an article recalls."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.news.compare import compare_story
from bot.news.compare._readings import normalize, read_figures
from bot.news.compare._when import another_time
from tests.news.compare.articles import article, story


def things(sentence: str) -> list[tuple[str, str, float]]:
    return [(m.kind, m.unit, m.value) for m in read_figures(normalize(sentence))]


def test_a_model_name_is_part_of_the_counted_thing() -> None:
    assert things("Marines seized six AK 47 rifles from the boat.") == [("count", "rifle", 6)]
    assert things("They found 14 AK - 47 rifles in all.")[0][2] == 14
    assert ("count", "rifle", 47) not in things("Police seized AK-47 rifles and pistols.")


def test_a_running_total_is_not_this_events_count() -> None:
    [(_, thing, value)] = things("The patrol has confiscated 14 rifles so far.")
    assert (thing, value) == ("rifle (running total)", 14)
    assert things("The three boats had a total of 26 crew on board.")[-1][1] == "crew"


def test_counts_besides_a_first_one_are_counted_apart() -> None:
    assert things("They called in an additional six engines.") == [("count", "more fire engines", 6)]
    assert things("Crews then called a further four appliances.") == [("count", "more fire engines", 4)]


def test_rounds_of_ammunition_are_not_shots_fired() -> None:
    assert (
        things("Six rifles and about 300 rounds of ammunition were seized.")[-1][1] == "rounds of ammunition"
    )
    assert things("Officers fired 11 rounds at the car.") == [("count", "shots fired", 11)]


def test_clock_times_in_24_hour_and_morning_form() -> None:
    assert things("The boats were spotted at 9: 25 hours.") == [("time", "time of day", 565)]
    assert things("At about 9: 25 in the morning the ship turned.") == [("time", "time of day", 565)]
    assert things("It struck early Sunday afternoon.") == []  # "afternoon" holds no "noon"
    assert ("duration", "minutes", 600) not in things("It was recorded at 09: 10 hours on Monday.")


def test_a_distance_from_a_named_place() -> None:
    [(_, thing, _)] = things("The island lies 1,500 kilometers south of Tehran.")
    assert thing == "distance from tehran"
    a = article(1, "Wire", "Qeshm lies 1,150 kilometers southeast of Tehran, officials said.")
    b = article(2, "Gazette", "The island of Qeshm is 1,500 kilometers south of Tehran.")
    [d] = compare_story(story([a, b]), [a, b]).discrepancies
    assert {v.value for v in d.values} == {"1,150 kilometers", "1,500 kilometers"}


def test_a_buildings_year_built_is_its_age() -> None:
    a = article(1, "Wire", "Officials said the 86-year-old structure had no power.", hours=1)
    b = article(2, "Gazette", "The old warehouse was built in 1935, the city clerk said.", hours=2)
    [d] = compare_story(story([a, b]), [a, b]).discrepancies
    assert d.kind == "age" and {v.value for v in d.values} == {"86-year-old structure", "built in 1935"}


def test_figures_of_an_earlier_event_are_left_out() -> None:
    when = datetime(2007, 4, 9, tzinfo=UTC)
    assert another_time("In early March, a gunman wounded three people in Signal Hill.", when)
    assert another_time("In December 2003, a quake killed more than 31,000 people.", when)
    assert not another_time("On Monday a gunman wounded two people in Troy.", when)
    assert not another_time("Two people were wounded, police said in April.", when)
    a = article(1, "Wire", "A gunman wounded two men at the Troy office on Monday.", hours=1)
    b = article(2, "Gazette", "A gunman wounded two men at the Troy office, police said.", hours=2)
    c = article(
        3, "Herald", "In early March, a gunman wounded three people at a Troy printing plant.", hours=3
    )
    assert compare_story(story([a, b, c]), [a, b, c]).discrepancies == []


def test_unnamed_peoples_ages_are_not_one_person() -> None:
    a = article(1, "Wire", "Police identified the victims as a 47-year-old man and a 48-year-old man.")
    b = article(2, "Gazette", "A 50-year-old man from Dexter tipped off the police about the car.")
    assert not [d for d in compare_story(story([a, b]), [a, b]).discrepancies if d.kind == "age"]
