"""Figures read by what they count (issue 12): the thing counted, its qualifier, its unit; rising
tolls told as a development; disputed figures named in a digest headline."""

from __future__ import annotations

import pytest

from bot.news.compare import compare_story, headline_with_disputes
from bot.news.compare._numbers import agree
from bot.news.compare._readings import attribution, normalize, read_figures
from tests.news.compare.articles import article, story


def only(sentence: str) -> tuple[str, str, float, float]:
    [m] = read_figures(normalize(sentence))
    return m.kind, m.unit, m.low, m.high


@pytest.mark.parametrize(
    ("sentence", "kind", "thing", "low", "high"),
    [
        ("Three people were injured in the blast.", "count", "injured", 3, 3),
        ("The attack killed at least 15 people.", "count", "killed", 15, 24),
        ("Police said no injuries were reported.", "count", "injured", 0, 0),
        ("The death toll rose to 8 on Friday.", "count", "killed", 8, 8),
        ("The quake left 10 dead.", "count", "killed", 9.85, 10.15),
        ("Officers fired 11 shots at the suspect.", "count", "shots fired", 11, 11),
        ("Seven bullets hit him, the autopsy found.", "count", "hits", 7, 7),
        ("He was shot eleven times.", "count", "hits", 11, 11),
        ("Between 60 and 100 rioters gathered.", "count", "crowd", 60, 100),
        ("Some 40 or 50 people were inside the store.", "count", "people", 38, 52.5),
        ("About 140 crew members walked out.", "count", "crew", 133, 147),
        ("Jose Luis Orozco, 27, was arrested.", "age", "luis orosco", 27, 27),
        ("He carried a. 357 caliber revolver.", "calibre", "inch calibre", 0.357, 0.357),
        ("The magnitude 6.1 quake struck at dawn.", "magnitude", "magnitude", 6.1, 6.1),
        ("It struck at about 3: 30 p. m. local time.", "time", "time of day", 920, 940),
        ("Voters in 2009 approved the bond.", "year", "year", 2009, 2009),
    ],
)
def test_a_figure_is_read_by_what_it_counts(
    sentence: str, kind: str, thing: str, low: float, high: float
) -> None:
    k, u, lo, hi = only(sentence)
    assert (k, u) == (kind, thing)
    assert lo == pytest.approx(low, abs=0.01) and hi == pytest.approx(high, abs=0.01)


def test_killed_and_wounded_are_two_things() -> None:
    found = read_figures(
        normalize("She opened fire, killing two and critically wounding a third co - worker.")
    )
    assert [(m.unit, m.value) for m in found] == [("killed", 2), ("injured", 1)]
    assert "(= 1)" in found[1].text  # "a third" shown with the number it stands for


def test_units_convert_before_agreement() -> None:
    [km] = read_figures(normalize("The quake was 10 kilometres deep."))
    [miles] = read_figures(normalize("The quake was six miles deep."))
    assert (km.kind, km.unit) == (miles.kind, miles.unit) == ("distance", "depth")
    assert agree(km, miles)
    [hour] = read_figures(normalize("The talks lasted 90 minutes."))
    [half] = read_figures(normalize("The talks lasted an hour and a half."))
    assert agree(hour, half)


def test_weights_and_nautical_miles_convert() -> None:
    [lb] = read_figures(normalize("He weighed approximately 200 pounds."))
    [kg] = read_figures(normalize("He weighed 90 kg."))
    assert lb.kind == kg.kind == "weight" and agree(lb, kg)
    [nm] = read_figures(normalize("The ship was 120 nautical miles off the coast."))
    [km] = read_figures(normalize("The ship was 222 km off the coast."))
    assert agree(nm, km)
    assert read_figures(normalize("It cost 5 million pounds.")) == []


def test_times_of_day_agree_by_their_qualifiers() -> None:
    def t(s: str):  # type: ignore[no-untyped-def]
        [m] = read_figures(normalize(s))
        return m

    assert agree(t("It began at around 9 a. m."), t("It began just after 9 a. m."))
    assert not agree(t("It began shortly after 3 p. m."), t("It began at about 3: 30 p. m."))


def test_attribution_is_read() -> None:
    assert attribution("Three people were hurt, police said.") == "police"
    assert attribution("Ten died, according to the coroner.") == "the coroner"
    assert attribution("Ten people died.") is None


def test_not_figures() -> None:
    for sentence in ("The couple married about two weeks ago.", "He was a 15 - year veteran."):
        assert all(m.kind == "duration" for m in read_figures(normalize(sentence)))
    assert read_figures(normalize("He was arrested four times before.")) == []
    assert read_figures(normalize("Thousands of commuters waited.")) == []
    # A count besides one already counted is no total: "Ashgrove and four neighboring departments".
    assert read_figures(normalize("Crews from Ashgrove and four neighboring departments came.")) == []
    assert read_figures(normalize("He got two extra life sentences.")) == []
    assert read_figures(normalize("Several hundred thousand deaths have occurred.")) == []
    assert read_figures(normalize("Hundreds of thousands of troops were killed or injured.")) == []


TOLL = [
    (
        1,
        "Wire",
        "An explosion at the Delmont chemical plant on Monday killed three people, officials said.",
        1,
    ),
    (
        2,
        "Gazette",
        "The explosion at the Delmont chemical plant killed eight people, the fire chief said.",
        4,
    ),
    (
        3,
        "Herald",
        "The explosion at the Delmont chemical plant killed 15 people, officials said on Monday night.",
        9,
    ),
    (
        4,
        "Tribune",
        "Officials said 15 people were killed in the explosion at the Delmont chemical plant.",
        10,
    ),
]


def test_a_rising_toll_is_a_development_not_a_contradiction() -> None:
    arts = [article(n, outlet, text, hours=h) for n, outlet, text, h in TOLL]
    [toll] = compare_story(story(arts), arts).discrepancies
    assert toll.developing and toll.counts == "killed"
    assert toll.development is not None and "3 → 8 → 15" in toll.development
    assert [v.normalized for v in sorted(toll.values, key=lambda v: v.published)] == [3, 8, 15, 15]
    assert {v.attributed_to for v in toll.values} >= {"officials", "the fire chief"}


def test_a_falling_toll_is_a_plain_disagreement() -> None:
    arts = [article(n, outlet, text, hours=12 - h) for n, outlet, text, h in TOLL]
    [toll] = compare_story(story(arts), arts).discrepancies
    assert not toll.developing and toll.development is None


def test_headline_names_a_disputed_figure() -> None:
    arts = [
        article(
            1, "Wire", "About 40 families were evacuated from the Delmont block after the fire.", hours=2
        ),
        article(
            2, "Gazette", "Fifty-two families were evacuated from the Delmont block after the fire.", hours=1
        ),
    ]
    headline = headline_with_disputes("52 families evacuated after Delmont fire", arts)
    assert "disputed" in headline and "About 40 families" in headline
    assert (
        headline_with_disputes("Delmont fire forces evacuations", arts) == "Delmont fire forces evacuations"
    )


def test_a_figure_several_outlets_give_is_a_shared_point() -> None:
    arts = [
        article(1, "Wire", "About 100 people were in the Kraft plant when Hiller began shooting.", hours=1),
        article(
            2,
            "Gazette",
            "Most of the other 100 workers inside the Kraft plant got out safely, he said.",
            hours=2,
        ),
    ]
    shared = compare_story(story(arts), arts).shared_points
    assert any("100 people" in p.text and set(p.outlets) == {"Wire", "Gazette"} for p in shared)
