"""Source comparison and the extractive summary: figures, shared and exclusive points, first publisher."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.news.cleaning import extract_article
from bot.news.compare import compare_story, summarize_story
from bot.news.compare._numbers import agree, find_numbers
from bot.news.compare._points import article_sentences
from bot.news.compare._readings import normalize, read_figures
from bot.news.models import Comparison, NumberComparison, StoredArticle
from tests.news.compare.articles import article, story

# -- figures ----------------------------------------------------------------------------------


def figure(sentence: str) -> tuple[float, float, str]:
    [n] = find_numbers(sentence)
    return n.low, n.high, n.unit


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("The call lasted nearly 90 minutes.", "The call lasted almost an hour and a half.", True),
        ("The call lasted nearly 90 minutes.", "The call lasted an hour and a half.", True),
        ("They talked for about an hour.", "They talked for an hour.", True),
        ("The call lasted an hour and a half.", "They talked for about an hour.", False),
        ("Russia holds about a fifth of the land.", "Russia holds roughly 20% of the land.", True),
        # The rule: "some 50" and "more than 40" can both be true; "about 40" and "52" cannot.
        ("A group of some 50 allies met.", "A group of more than 40 allies met.", True),
        ("About 40 families were evacuated.", "52 families were evacuated.", False),
        ("About 140 crew members were aboard.", "The ship carried 162 crew members.", False),
        ("Roughly 240,000 customers lost power.", "About 210,000 customers lost power.", False),
        ("More than 200,000 customers lost power.", "210,000 customers lost power.", True),
        ("The quake struck 10 kilometres deep.", "The quake struck six miles deep.", True),
        ("Nearly 100 mourners gathered.", "A crowd of 130 mourners gathered.", False),
        ("Between 60 and 100 rioters gathered.", "About 70 rioters gathered.", True),
        ("At least three dozen people ran in.", "Like 40 or 50 people ran in.", True),
        ("About two dozen people ran in.", "Some 40 or 50 people ran in.", False),
        ("Some 1, 500 residents were evacuated.", "1,500 residents were evacuated.", True),
        ("The U.S. gave more than $66.5 billion.", "The U.S. gave $65.9 billion.", False),
        ("It cost $2.5 million.", "It cost $2,500,000.", True),
    ],
)
def test_figures_agree_by_meaning_not_digits(a: str, b: str, same: bool) -> None:
    [na], [nb] = read_figures(normalize(a)), read_figures(normalize(b))
    assert na.unit == nb.unit
    assert agree(na, nb) is same


def test_years_dates_and_ages_are_not_figures() -> None:
    text = "In 2022, on Feb. 24, a 17-year-old and two leaders met; the summit is on June 24 to 26."
    assert find_numbers(text) == []


def test_figure_units() -> None:
    assert figure("Over 300 protesters gathered.")[2] == "protesters"
    assert figure("It took three weeks.")[2] == "minutes"
    assert figure("They pledged €40 billion in aid.")[2] == "EUR"


# -- a small story written for the test -------------------------------------------------------

A = (
    "The mayor of Riverton announced on Monday that the city will build a new bridge over the Gray River.\n\n"
    "The bridge will cost $120 million and take about four years to complete, the mayor said.\n\n"
    "Construction crews will close the old ferry terminal next spring, according to the city.\n\n"
    "The council approved the plan by a vote of seven to two after a long debate.\n\n"
    "Local fishermen said the work would disturb the salmon run in the autumn months."
)
B = (
    "Riverton will build a new bridge across the Gray River, the city's mayor announced on Monday.\n\n"
    "The project is expected to cost $95 million and to take four years, officials said.\n\n"
    "The mayor, Lucia Brandt, said the bridge would carry some 30,000 vehicles a day.\n\n"
    "“This bridge will change how our city works,” Ms. Brandt said.\n\n"
    "A regional transit agency will add two bus lines across the bridge when it opens."
)
C = (
    "The mayor of Riverton said on Monday that a new bridge will be built over the Gray River.\n\n"
    "City engineers expect the bridge to carry nearly 30,000 vehicles every day once it opens.\n\n"
    "“This bridge will change how the city works,” said Mayor Lucia Brandt.\n\n"
    "Opponents of the project plan to collect signatures for a referendum before the summer."
)


@pytest.fixture(scope="module")
def small() -> tuple[list[StoredArticle], Comparison]:
    arts = [article(1, "Gazette", A, hours=5), article(2, "Tribune", B, hours=2), article(3, "Herald", C)]
    return arts, compare_story(story(arts), arts)


def test_outlet_reports(small: tuple[list[StoredArticle], Comparison]) -> None:
    arts, comparison = small
    reports = {r.outlet: r for r in comparison.outlets}
    assert set(reports) == {"Gazette", "Tribune", "Herald"}
    for a in arts:
        report = reports[a.outlet or ""]
        assert report.ref == a.ref and report.headline == a.title
        assert report.words == len(a.text.split())
    assert reports["Tribune"].speakers == ["Lucia Brandt"]
    assert reports["Gazette"].speakers == []


def test_shared_point_names_every_outlet_and_keeps_a_real_sentence(
    small: tuple[list[StoredArticle], Comparison],
) -> None:
    arts, comparison = small
    texts = {a.outlet: a.text for a in arts}
    bridge = [p for p in comparison.shared_points if "bridge" in p.text and "Monday" in p.text]
    assert len(bridge) == 1
    assert set(bridge[0].outlets) == {"Gazette", "Tribune", "Herald"}
    for point in comparison.shared_points:
        assert any(point.text in texts[o] for o in point.outlets)
        assert len(set(point.outlets)) >= 2


def test_unique_points_are_only_in_their_outlet(small: tuple[list[StoredArticle], Comparison]) -> None:
    _, comparison = small
    reports = {r.outlet: r for r in comparison.outlets}
    gazette = " ".join(p.text for p in reports["Gazette"].unique_points)
    assert "ferry terminal" in gazette and "seven to two" in gazette
    assert "bridge over the Gray River" not in gazette  # every outlet reported that
    herald = " ".join(p.text for p in reports["Herald"].unique_points)
    assert "referendum" in herald
    for report in comparison.outlets:
        assert all(p.outlets == [report.outlet] for p in report.unique_points)


def test_cost_disagrees_and_traffic_agrees(small: tuple[list[StoredArticle], Comparison]) -> None:
    _, comparison = small
    [cost] = [d for d in comparison.discrepancies if any("$" in v.value for v in d.values)]
    assert {v.value for v in cost.values} == {"$120 million", "$95 million"}
    assert all(v.text and v.value in v.text for v in cost.values)  # the source sentence is kept
    [cars] = [a for a in comparison.agreements if any("30,000" in v.value for v in a.values)]
    assert {v.outlet for v in cars.values} == {"Tribune", "Herald"}
    assert not any("four years" in v.value for d in comparison.discrepancies for v in d.values)


def test_first_published(small: tuple[list[StoredArticle], Comparison]) -> None:
    _, comparison = small
    assert comparison.first_published is not None
    assert comparison.first_published.outlet == "Tribune"


def test_syndicated_copy_confirms_nothing() -> None:
    copy = article(4, "Wire Mirror", A)
    copy = copy.model_copy(update={"syndicated_of": 1})
    arts = [article(1, "Gazette", A, hours=1), copy]
    comparison = compare_story(story(arts), arts)
    assert comparison.shared_points == []
    assert comparison.discrepancies == [] and comparison.agreements == []


def test_compare_json_shape(small: tuple[list[StoredArticle], Comparison]) -> None:
    _, comparison = small
    data = comparison.model_dump(mode="json")
    assert {"story", "outlets", "shared_points", "discrepancies", "agreements"} <= data.keys()
    assert {"outlet", "ref", "headline", "words", "speakers", "unique_points"} <= data["outlets"][0].keys()
    assert {"text", "outlets"} <= data["shared_points"][0].keys()
    assert {"about", "values"} <= data["discrepancies"][0].keys()
    assert {"outlet", "value", "text"} <= data["discrepancies"][0]["values"][0].keys()


def test_summary_of_the_small_story(small: tuple[list[StoredArticle], Comparison]) -> None:
    arts, _ = small
    summary = summarize_story(arts, sentences=2)
    assert len(summary) == 2
    assert all(any(s in a.text for a in arts) for s in summary)
    assert "bridge" in summary[0] and "Gray River" in summary[0]
    assert summarize_story(arts, sentences=0) == []
    assert summarize_story([], sentences=2) == []


def test_summary_of_one_article_is_its_lead() -> None:
    summary = summarize_story([article(1, "Gazette", A)], sentences=1)
    assert summary == [
        "The mayor of Riverton announced on Monday that the city will build a new bridge over the Gray River."
    ]


# -- the seed story ---------------------------------------------------------------------------

SEEDS = ["000_70d434902628a46d.txt", "001_94964bd32c6f4ae5.txt", "002_f15fed82b23fc674.txt",
         "003_d2aacb7d845186f1.txt", "004_cbfccc0950cc24d7.txt"]  # fmt: skip


@pytest.fixture(scope="module")
def seed_comparison(shared_dir: Path) -> Comparison:
    arts = []
    for n, name in enumerate(SEEDS, start=1):
        page = extract_article((shared_dir / "seeds" / name).read_text(encoding="utf-8"), "text")
        outlet = page.outlet or f"seed{n}"
        arts.append(article(n, outlet, page.text, title=page.title, hours=n))
    return compare_story(story(arts), arts)


def test_a_quote_of_several_sentences_is_one_point_with_its_speaker() -> None:
    text = (
        "Officials met on Monday to discuss the new budget plan.\n\n"
        '"The plan is late. That is why we need more time to finish it," the mayor said on Monday.\n\n'
        "Budget Talks Resume After Delay\n\n"
        "Council members will vote on the plan next week, a spokesman said."
    )
    sentences = article_sentences(text)
    assert (
        '"The plan is late. That is why we need more time to finish it," the mayor said on Monday.'
        in sentences
    )
    assert "Budget Talks Resume After Delay" not in sentences  # a subheading reports nothing
    assert len(sentences) == 3


def values(comparisons: list[NumberComparison], fragment: str) -> set[str]:
    found = [c for c in comparisons if any(fragment in v.value for v in c.values)]
    assert len(found) == 1, f"{len(found)} comparisons with {fragment!r}"
    return {v.value for v in found[0].values}


def test_seed_allies_agree(seed_comparison: Comparison) -> None:
    # "some 50" and "more than 40" can both be true (issue 12): no disagreement, an agreement.
    assert not any("50 allies" in v.value for d in seed_comparison.discrepancies for v in d.values)
    assert {"some 50 allies", "more than 40 allies"} <= values(seed_comparison.agreements, "50 allies")


def test_seed_us_aid_totals_disagree(seed_comparison: Comparison) -> None:
    # The U.S. total (AP) against the State Department's; all allies' $126 billion, given in the
    # same sentence as the U.S. share, is another quantity and stays out.
    assert values(seed_comparison.discrepancies, "$65.9 billion") == {
        "$65.9 billion",
        "more than $66.5 billion",
    }


def test_seed_call_length_agrees_in_other_words(seed_comparison: Comparison) -> None:
    putin_call = values(seed_comparison.agreements, "nearly 90 minutes")
    assert {"nearly 90 minutes", "almost an hour and a half"} <= putin_call
    assert not any("hour" in v and "half" not in v for v in putin_call)  # the Zelensky call was an hour
    assert {"about a fifth", "roughly 20%"} <= values(seed_comparison.agreements, "about a fifth")


def test_seed_call_lengths_never_disagree(seed_comparison: Comparison) -> None:
    minutes = [d for d in seed_comparison.discrepancies if any(v.unit == "minutes" for v in d.values)]
    assert minutes == []


def test_seed_shared_points(seed_comparison: Comparison) -> None:
    shared = seed_comparison.shared_points
    assert len(shared) >= 5
    assert any("illusory goal" in p.text and len(p.outlets) >= 3 for p in shared)
    assert max(len(p.outlets) for p in shared) >= 3


def test_seed_speakers_are_story_wide(seed_comparison: Comparison) -> None:
    reports = seed_comparison.outlets
    assert all("Pete Hegseth" in r.speakers for r in reports)
    everyone = {s for r in reports for s in r.speakers}
    assert "Volodymyr Zelenskyy" not in everyone and "Volodymyr Zelensky" in everyone
