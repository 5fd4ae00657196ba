"""Unique points: what only one outlet reports that an editor would list.

A sentence no other outlet states is a candidate; it is ranked by what makes it news rather than
by how many of its words happen to be its own (`_novelty`): a figure or a name no other outlet
gives, a source ("police said", a quotation); a witness's first-person colour, a paragraph of
history ("in 1983") or about another event is background, not news. Of a sentence other outlets
state, the clause only this outlet reports is a candidate on its own (`_own_clauses`). A sentence
told in words other outlets use, but never together ("the judge would appoint a lawyer" where
another outlet writes of a lawyer not yet retained), states a fact of its own: it is listed after
every sentence worded apart, when the outlet's list has room.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import replace

from bot.news.compare._novelty import (
    is_newsroom_note,
    is_thin_quote,
    newsworthiness,
    novelty_of,
    speaker_lost,
)
from bot.news.compare._own_clauses import MIN_NOVEL, own_clause
from bot.news.compare._points import RELATED, SAME_POINT, Sentence, StoryPoints, counted_figures, similarity

__all__ = ["unique_points"]

UNIQUE_POINTS = 5  # per outlet: an editor's list, not every sentence of a long feature
# Words of its own a sentence near another outlet's needs to count as unique: with 3, rewordings
# of shared facts crowded out new ones (4 to 6 alike on the build half; 4 is the smallest).
_NOVEL_WHEN_RELATED = 4
# A sentence whose words other outlets use, but not together: it states a fact of its own when
# at least this many of its terms are in no sentence like it elsewhere ("judge", "appoint" beside
# "... had not been told if LaCalamita had retained a lawyer"). Read on the check half (12, 14,
# 18, 20): 2 and 3 gain there, 4 nothing.
_MIN_OWN_COMBINATION = 2
# Such a sentence ranks below every sentence with words of its own (newsworthiness lies within
# about -10..10): it fills an outlet's list, never displaces a point worded apart.
_WORDS_SHARED = 100.0


def _own_combination(points: StoryPoints, i: int) -> int:
    """How many terms of sentence `i` no sentence like it (RELATED or closer) in another outlet
    uses: the words a fact of its own is told in, even where each is used elsewhere in the story."""
    near = [points.sentences[j].terms for j, _ in points.neighbours[i]]
    return sum(1 for t in points.sentences[i].terms if not any(t in terms for terms in near))


def _worth(points: StoryPoints, s: Sentence, core: int, whole: Sentence | None = None) -> float:
    """The newsworthiness of sentence `s`, or of `s` cut as a clause from sentence `whole`."""
    group = points.groups[s.article]
    users = points.term_groups
    novel = [t for t in s.terms if users.get(t) == {group}]  # words no other outlet uses
    counted = [
        f for f, w in counted_figures(s.text, points.known) if points.figure_groups.get((f, w)) == {group}
    ]
    new = novelty_of(s, novel, users, core, points.known, counted)
    if whole is not None:  # the sentence states what others state: about this story, whatever it names
        new = replace(new, anchored=True)
    return newsworthiness(s, new, source_text=whole.text if whole is not None else None)


def _scan(
    points: StoryPoints, article: int, listed: Iterable[Sentence], core: int
) -> tuple[list[tuple[float, Sentence]], list[int]]:
    """(newsworthiness, sentence) of each sentence of `article` worded apart from other outlets,
    and the indices of those whose words other outlets all use (weighed only when needed)."""
    group = points.groups[article]
    users = points.term_groups
    shown = {id(c) for c in listed}
    scored: list[tuple[float, Sentence]] = []
    worded_alike: list[int] = []
    only = {group}
    # The story's sentences are in article order (build_sentences): this article's are one run.
    start = bisect_left(points.sentences, article, key=lambda x: x.article)
    end = bisect_right(points.sentences, article, lo=start, key=lambda x: x.article)
    for i in range(start, end):
        s = points.sentences[i]
        novel = [t for t in s.terms if users[t] == only]  # words no other outlet uses
        if id(s) in shown or any(sim >= SAME_POINT for _, sim in points.neighbours[i]):
            # Others state it (a shared point may list it): only a clause of its own is news.
            own = own_clause(s, users, group, points.known) if len(novel) >= MIN_NOVEL else None
            if own is not None and not is_newsroom_note(own.shown):  # weighed on its own words
                scored.append(
                    (_worth(points, own.clause, core, whole=s), replace(own.clause, text=own.shown))
                )
            continue
        if is_thin_quote(s.text) or speaker_lost(s.text):
            continue  # "'It's an interesting question,' he said" is a reaction; a bare quote no one's
        if is_newsroom_note(s.text):
            continue  # "... did not respond to a request for comment" tells of the reporting, not the news
        related = any(sim >= RELATED for _, sim in points.neighbours[i])
        new_figure = any(t[:1].isdigit() for t in novel)
        if not novel or (related and len(novel) < _NOVEL_WHEN_RELATED and not new_figure):
            worded_alike.append(i)  # another outlet uses its words: news only if not together
            continue
        scored.append((_worth(points, s, core), s))
    return scored, worded_alike


def _fillers(points: StoryPoints, worded_alike: list[int], core: int) -> list[tuple[float, Sentence]]:
    """Of sentences whose words other outlets all use, those no sentence like them elsewhere states
    together ("the third victim died on the way to the hospital" beside "two other victims were
    treated at Beaumont Hospital"), ranked below every sentence worded apart."""
    return [
        (_worth(points, points.sentences[i], core) - _WORDS_SHARED, points.sentences[i])
        for i in worded_alike
        if _own_combination(points, i) >= _MIN_OWN_COMBINATION
    ]


def _core(points: StoryPoints) -> int:
    return max(2, len(set(points.groups)) // 2)  # a name this many outlets use is one of the story's


def candidates(
    points: StoryPoints, article: int, listed: Iterable[Sentence] = ()
) -> list[tuple[float, Sentence]]:
    """(newsworthiness, sentence) of each sentence of `article` no other outlet states (nothing
    as close as SAME_POINT) with something of its own (a figure, or several words no other outlet
    uses where another outlet says something alike, or words no sentence like it elsewhere states
    together); of a sentence another outlet states, the clause only this outlet reports."""
    core = _core(points)
    scored, worded_alike = _scan(points, article, listed, core)
    return scored + _fillers(points, worded_alike, core)


def _pick(scored: list[tuple[float, Sentence]], chosen: list[Sentence], limit: int) -> list[Sentence]:
    """`chosen` with the most newsworthy of `scored` added up to `limit`, no two alike."""
    for _, s in sorted(scored, key=lambda ss: (-ss[0], ss[1].position)):
        if len(chosen) >= limit:
            break
        if any(similarity(s, c) >= SAME_POINT for c in chosen):
            continue  # the outlet says it twice (lead and body): list it once
        chosen.append(s)
    return chosen


def unique_points(
    points: StoryPoints,
    article: int,
    listed: Iterable[Sentence] = (),
    limit: int = UNIQUE_POINTS,
) -> list[Sentence]:
    """What only this outlet reports that matters: its `candidates`, the most newsworthy first, no
    two alike."""
    core = _core(points)
    scored, worded_alike = _scan(points, article, listed, core)
    chosen = _pick(scored, [], limit)
    if len(chosen) < limit:  # sentences worded alike are weighed only when the list has room
        chosen = _pick(_fillers(points, worded_alike, core), chosen, limit)
    return chosen
