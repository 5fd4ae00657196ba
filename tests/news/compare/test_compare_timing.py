"""Round three of figures (issue 12): durations read by what they time (the shaking, a marriage),
dates told relative to the article's publication ("on Thursday", "yesterday", "the previous day")."""

from __future__ import annotations

from bot.news.compare import compare_story
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
