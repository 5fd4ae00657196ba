"""Unique points: what only one outlet reports that an editor would list.

A sentence no other outlet states is a candidate; it is ranked by what makes it news rather than
by how many of its words happen to be its own: a source ("police said", a quotation), a figure or a
name no other outlet gives; a paragraph of history ("in 1983") is background, not news.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

from bot.news.compare._points import RELATED, SAME_POINT, Sentence, StoryPoints, similarity
from bot.news.text import name_key

__all__ = ["unique_points"]

UNIQUE_POINTS = 5  # per outlet: an editor's list, not every sentence of a long feature
# Words of its own a sentence near another outlet's needs to count as unique: with 3, rewordings
# of shared facts crowded out new ones (4 to 6 alike on the build half; 4 is the smallest).
_NOVEL_WHEN_RELATED = 4
_ATTRIBUTED = re.compile(r"\b(?:said|says|told|according to|reported|testified|confirmed|believe[sd]?)\b")
# A year or a decade that dates the sentence in the past ("in 1983", "the 1950s") is background.
_HISTORY = re.compile(r"\b(?:in|since|by|from|of) (?:the )?(?:1[89]\d\d|20[0-2]\d)s?\b")
_QUOTED = re.compile(r"[\"“”]")


def newsworthiness(s: Sentence, novel: Sequence[str]) -> float:
    """A source ("police said", a quotation) weighs most, then a figure or a name no other outlet
    gives, then other words of its own; history and great length count against.

    Weights fitted on the build half of compare_dev (the check half held out): what editors list
    as one outlet's own is mostly who said what, more than how many of its words are new.
    """
    figures = sum(1 for t in novel if t[:1].isdigit())
    names = sum(1 for w in re.findall(r"(?<=\s)[A-Z][a-z]+", s.text) if name_key(w) in novel)
    words = len(novel) - figures - names
    length = s.words
    return (
        min(figures, 2)
        + 0.5 * min(names, 3)
        + 0.2 * min(words, 10)
        + (2 if _ATTRIBUTED.search(s.text) else 0)
        + (1 if _QUOTED.search(s.text) else 0)
        - (2 if _HISTORY.search(s.text) else 0)
        - (0.05 * (length - 30) if length > 30 else 0)
    )


def unique_points(
    points: StoryPoints,
    article: int,
    listed: Container[Sentence] = (),
    limit: int = UNIQUE_POINTS,
) -> list[Sentence]:
    """What only this outlet reports that matters: sentences no other outlet states (nothing as
    close as SAME_POINT) with something of their own (a figure, or several words no other outlet
    uses where another outlet says something alike), the most newsworthy first, no two alike."""
    group = points.groups[article]
    users = points.term_groups
    scored: list[tuple[float, int]] = []
    for i, s in enumerate(points.sentences):
        if s.article != article or any(sim >= SAME_POINT for _, sim in points.neighbours[i]):
            continue
        if s in listed:
            continue  # a shared point already lists it, with the other outlets that carry it
        novel = [t for t in s.terms if users[t] == {group}]  # words no other outlet uses
        related = any(sim >= RELATED for _, sim in points.neighbours[i])
        new_figure = any(t[:1].isdigit() for t in novel)
        if not novel or (related and len(novel) < _NOVEL_WHEN_RELATED and not new_figure):
            continue  # another outlet says much the same: a word or two of its own is no news
        scored.append((newsworthiness(s, novel), i))
    chosen: list[Sentence] = []
    for _, i in sorted(scored, key=lambda si: (-si[0], points.sentences[si[1]].position)):
        s = points.sentences[i]
        if any(similarity(s, c) >= SAME_POINT for c in chosen):
            continue  # the outlet says it twice (lead and body): list it once
        chosen.append(s)
        if len(chosen) >= limit:
            break
    return chosen
