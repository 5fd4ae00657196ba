"""Round three of figures (issue 12): durations read by what they time (the shaking, a marriage),
dates told relative to the article's publication ("on Thursday", "yesterday", "the previous day")."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.news.compare import compare_story
from bot.news.compare._dates import read_days
from bot.news.compare._readings import normalize, read_figures
from tests.news.compare.articles import article, story


def units(sentence: str) -> list[str]:
    return [m.unit for m in read_figures(normalize(sentence)) if m.kind == "duration"]


def test_a_duration_is_read_with_what_it_times() -> None:
    assert units("The tremor lasted just over 10 seconds, a resident said.") == ["minutes (shaking)"]
    assert units("It lasted around 30 seconds, and the cups were shaking on the desk.") == [
        "minutes (shaking)"
    ]
    assert units("The deputy, who was wed about three weeks ago, leaves two sons.") == ["minutes (marriage)"]
    # A gap between two moments takes its subject only from before it.
    assert units("The island was hit two years after a tremor shook Bam.") == ["minutes"]
    assert units("The talks lasted 90 minutes.") == ["minutes"]


def test_durations_of_one_subject_disagree_whatever_their_sentences() -> None:
    a = article(1, "Wire", "The initial tremor lasted just over 10 seconds, she says.", hours=1)
    b = article(2, "Gazette", "Witnesses reported sensing a definite tremor for one minute.", hours=2)
    c = article(3, "Herald", "Offices were evacuated for two hours after the quake.", hours=3)
    [d] = compare_story(story([a, b, c]), [a, b, c]).discrepancies
    assert d.kind == "duration" and {v.outlet for v in d.values} == {"Wire", "Gazette"}


def test_two_durations_of_one_subject_in_one_article_are_two_quantities() -> None:
    text = "He had been married for 13 years; his first marriage lasted five years."
    a = article(1, "Wire", text, hours=1)
    b = article(2, "Gazette", "The deputy had been married for 13 years, a neighbour said.", hours=2)
    assert compare_story(story([a, b]), [a, b]).discrepancies == []


def days(sentence: str, published: datetime) -> list[tuple[str, str]]:
    return [(m.unit, m.text) for m in read_days(normalize(sentence), published)]


FRIDAY = datetime(2011, 11, 11, 9, tzinfo=UTC)


def test_a_day_is_counted_back_from_the_publication_day() -> None:
    [(thing, text)] = days("An Indian warship on Thursday foiled a pirate attack.", FRIDAY)
    assert thing == "day of the incident" and text.endswith("(Thu 10 Nov)")
    assert days("The incident happened yesterday near the coast.", FRIDAY)[0][1].endswith("(Thu 10 Nov)")
    assert days("The attack came on 10 Nov 11, the navy said.", FRIDAY)[0][1].endswith("(Thu 10 Nov)")
    assert days("He was arrested on Friday in Houston.", FRIDAY) == [
        ("day of the arrest", "He was arrested on Friday (Fri 11 Nov)")
    ]


def test_days_of_no_happening_of_speech_or_to_come_are_left_out() -> None:
    assert days("Police said Thursday the suspect was armed and had fled.", FRIDAY) == []
    assert days("He will be sentenced on May 3.", FRIDAY) == []
    assert days("Relief workers handed out food Monday to survivors of the quake.", FRIDAY) == []
    assert days("Schools reopened on Monday.", FRIDAY) == []


def test_two_days_for_one_attack_are_a_disagreement() -> None:
    a = article(1, "Wire", "A warship foiled a pirate attack in the Gulf of Aden on Thursday.", hours=1)
    b = article(2, "Gazette", "A warship foiled a pirate attack in the Gulf of Aden on Friday.", hours=2)
    # Published on the Friday: its "yesterday" is the Thursday.
    c = article(
        3, "Herald", "The navy says the pirate attack happened yesterday in the Gulf of Aden.", hours=48
    )
    [d] = [d for d in compare_story(story([a, b, c]), [a, b, c]).discrepancies if d.kind == "date"]
    assert d.counts == "day of the incident" and {v.outlet for v in d.values} == {"Wire", "Gazette", "Herald"}


def test_a_weekday_agrees_with_the_same_weekday_whatever_the_page_date() -> None:
    # The copy is dated a week after the report it carries: its "on Tuesday" is still that Tuesday.
    a = article(1, "Wire", "A fire destroyed the old dairy building on Tuesday, officials said.", hours=1)
    b = article(2, "Gazette", "A fire destroyed the old dairy building on Tuesday night.", hours=200)
    assert not [d for d in compare_story(story([a, b]), [a, b]).discrepancies if d.kind == "date"]


def test_days_of_happenings_told_with_different_words_are_not_compared() -> None:
    # The killing on Friday and the shooting he was investigating, on Monday: two happenings.
    a = article(1, "Wire", "The deputy was killed on Friday outside an apartment in the city.", hours=1)
    b = article(2, "Gazette", "The deputy was investigating a shooting on Monday in the city.", hours=2)
    assert not [d for d in compare_story(story([a, b]), [a, b]).discrepancies if d.kind == "date"]
