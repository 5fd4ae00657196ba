"""A fact of its own told in words other outlets use (issue 12, item 4, round six): uniqueness is
decided by what a sentence states, not by whether each of its words is new. All articles are made up."""

from __future__ import annotations

from bot.news.compare._points import StoryPoints, article_sentences
from bot.news.compare._unique import candidates, unique_points

SHARED = "Rob Doyle appeared in Harlow court on Wednesday charged with setting the Dock Road depot fire."
OTHER = (
    f"{SHARED}\n\n"
    "A prosecutor said Doyle had not yet retained a lawyer for the hearing.\n\n"
    "Officials will appoint an inspector to review the depot's alarms.\n\n"
    "The judge denied bail after a brief hearing."
)


def _points(texts: list[str]) -> StoryPoints:
    split = [[s for s in article_sentences(t, min_words=3) if len(s.split()) >= 6] for t in texts]
    return StoryPoints(split)


def _listed(texts: list[str], limit: int = 5) -> list[str]:
    return [s.text for s in unique_points(_points(texts), 0, limit=limit)]


def test_a_fact_in_words_used_elsewhere_but_not_together_is_listed() -> None:
    # Every word of "the judge would appoint a lawyer" is in the other outlet's story, never together.
    own = f"{SHARED}\n\nThe judge said he would appoint a lawyer for Doyle."
    listed = _listed([own, OTHER])
    assert any("appoint a lawyer" in t for t in listed), listed


def test_a_rewording_of_another_outlets_sentence_is_not_listed() -> None:
    # The same fact as the other outlet's prosecutor sentence, in its words: nothing of its own.
    own = f"{SHARED}\n\nDoyle had not retained a lawyer, a prosecutor said at the hearing."
    points = _points([own, OTHER])
    assert not any("retained" in s.text for _, s in candidates(points, 0)), candidates(points, 0)


def test_a_point_worded_apart_ranks_before_one_worded_alike() -> None:
    own = (
        f"{SHARED}\n\n"
        "The judge said he would appoint a lawyer for Doyle.\n\n"
        "Doyle had worked nights at the Kestrel Mills bakery since May."
    )
    # The judge's word is sourced and this is not: ranked together, the judge would come first.
    assert _listed([own, OTHER], limit=1) == [
        "Doyle had worked nights at the Kestrel Mills bakery since May."
    ]
    assert len(_listed([own, OTHER], limit=2)) == 2  # and the list fills with the other


def test_each_outlet_lists_only_its_own_sentences() -> None:
    # unique_points reads an article's sentences as one run of the story's (they are kept in
    # article order): a middle article lists its own, and every article's run is whole.
    third = f"{SHARED}\n\nDoyle's neighbour Ann Pike heard two loud bangs from the depot yard at midnight."
    points = _points([OTHER, f"{SHARED}\n\nThe judge said he would appoint a lawyer for Doyle.", third])
    order = [s.article for s in points.sentences]
    assert order == sorted(order)
    for n in range(3):
        listed = unique_points(points, n)
        assert all(s.article == n for s in listed), (n, listed)
    assert any("loud bangs" in s.text for s in unique_points(points, 2))
    assert any("appoint a lawyer" in s.text for s in unique_points(points, 1))
