"""Which stories a new article is weighed against: those within the window, the few beyond it that
it shares verbatim passages with (late joins), and, for an undated article, the time it takes.

A story normally spans at most `window_hours`. A page republished days later (an aggregator's
copy ten days on) is still the same event when it repeats the others' sentences and quotes word for
word, so past the window a story is a candidate only on shared passages, up to
`late_window_hours`. An undated file says nothing about when it was written: it takes the time of
the story it shares passages with, wherever that is, rather than the day it was dropped in.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from operator import itemgetter

from bot.news.stories._index import StoryIndex, StoryState, Triple
from bot.news.stories._scoring import Scorer
from bot.news.stories._vectors import Vector

# Terms of a new article looked up beyond the window (the heaviest; a late join needs a close match).
LATE_QUERY_TERMS = 15


@dataclass(slots=True)
class Candidate:
    story: StoryState
    similarity: float  # average-link similarity of the new article, less the time penalty
    bar: float  # what the story asks of an article to join
    late: bool = False  # beyond window_hours: it may join only on shared verbatim passages


def ranked_terms(vector: Vector, limit: int) -> list[tuple[int, float]]:
    """The `limit` heaviest entries, heaviest first (ties by id, so the choice is deterministic)."""
    # By id, then (stable, even reversed) by weight: the order of sorting by (-weight, id), with
    # keys that need no Python call per entry.
    entries = sorted(vector.items(), key=itemgetter(0))
    entries.sort(key=itemgetter(1), reverse=True)
    return entries[:limit]


def ranked_stories(
    index: StoryIndex, hits: dict[int, float], limit: int, skip: Collection[int] = ()
) -> list[int]:
    """The `limit` first live stories of the hit documents, by their best document's hit weight
    (ties by id)."""
    doc_story, live = index.doc_story, index.stories
    best: dict[int, float] = {}  # story -> its best document's weight: the first one met, below
    lowest = 0.0
    # Heaviest first (a sort in C): a story's first document met is its best, and once `limit`
    # stories are in, a lighter document's story can only rank after them (equal ones still may).
    for idx, hit in sorted(hits.items(), key=itemgetter(1), reverse=True):
        if hit < lowest and len(best) >= limit:
            break
        sid = doc_story[idx]
        if sid in best or sid not in live or sid in skip:
            continue
        best[sid] = lowest = hit
    # By id, then (stable, even reversed) by weight: the order of sorting by (-weight, id).
    ranked = sorted(best.items())
    ranked.sort(key=itemgetter(1), reverse=True)
    return [sid for sid, _ in ranked[:limit]]


def weigh(
    index: StoryIndex, scorer: Scorer, story: StoryState, vectors: Triple, when: float, late: bool = False
) -> Candidate:
    """The article's similarity to a story (less the time penalty) and the story's bar."""
    centroid = index.centroid(story)
    sim = scorer.combine(centroid.dots(vectors)) / story.weight - scorer.time_penalty(story, when)
    return Candidate(story, sim, scorer.bar(scorer.cohesion(index, story)), late=late)


def near_candidates(
    index: StoryIndex, scorer: Scorer, hits: dict[int, float], vectors: Triple, when: float
) -> list[Candidate]:
    """Stories sharing heavy terms with the article, within the window, most similar first."""
    s = scorer.s
    out: list[Candidate] = []
    for sid in ranked_stories(index, hits, s.candidate_stories):
        story = index.stories[sid]
        if story.span_with(when) > max(s.window_hours, story.span):
            continue  # it would stretch the story past the window: only a late join may
        out.append(weigh(index, scorer, story, vectors, when))
    out.sort(key=lambda c: (-c.similarity, c.story.story_id))
    return out


def late_candidates(
    index: StoryIndex,
    scorer: Scorer,
    hits: dict[int, float],
    vectors: Triple,
    when: float,
    sample: set[int],
    outlet: str | None,
    near: list[Candidate],
) -> list[Candidate]:
    """Stories the article would stretch past the window that it shares verbatim passages with:
    those it may still join, up to `late_window_hours`."""
    s = scorer.s
    out: list[Candidate] = []
    for sid in ranked_stories(index, hits, s.late_stories, {c.story.story_id for c in near}):
        story = index.stories[sid]
        if story.span_with(when) > s.late_window_hours:
            continue
        # The passages first: they are cheap to count and rule out nearly every far story.
        if index.shared_shingles(story, sample, outlet, s.evidence_members) < s.shingle_saturation:
            continue
        out.append(weigh(index, scorer, story, vectors, when, late=True))
    return out


def undated_time(
    index: StoryIndex,
    scorer: Scorer,
    query: list[tuple[int, float]],
    vectors: Triple,
    arrival: float,
    sample: set[int],
    outlet: str | None,
) -> tuple[float, bool]:
    """The time an undated article takes, and whether it floats (has no time of its own yet).

    It takes the span of the story it fits best, at any distance. Only a story it shares verbatim
    passages with (quotes, wire sentences) can date it: on the same topic alone, an undated
    abortion piece would be dated to any earlier abortion story. With no such story, or with one
    that floats itself, it floats: it sits at its arrival time until a dated page that shares its
    passages arrives (`wake_floating`).
    """
    s = scorer.s
    hits = index.candidates_anytime(query)  # the article's `query_terms` heaviest terms
    best: tuple[float, int] | None = None
    for sid in ranked_stories(index, hits, s.candidate_stories):
        story = index.stories[sid]
        # The passages first: cheap to count, and a story without them cannot date the article
        # (weighing one, mostly an old story whose centroid must be built again, is the cost).
        if index.shared_shingles(story, sample, outlet, s.evidence_members) == 0:
            continue
        candidate = weigh(index, scorer, story, vectors, story.last)  # no time to be apart in
        if candidate.similarity >= candidate.bar and (best is None or candidate.similarity > best[0]):
            best = (candidate.similarity, sid)
    if best is None:
        return arrival, True
    story = index.stories[best[1]]
    return min(max(arrival, story.first), story.last), index.is_floating(story)


def wake_floating(
    index: StoryIndex,
    scorer: Scorer,
    query: list[tuple[int, float]],
    vectors: Triple,
    sample: set[int],
    outlet: str | None,
) -> StoryState | None:
    """A floating story (undated files only) that a dated article shares passages with and fits:
    the article's date is the best evidence of when that story happened (the caller dates it)."""
    s = scorer.s
    hits = index.floating_hits(query[:LATE_QUERY_TERMS])
    for sid in ranked_stories(index, hits, s.late_stories):
        story = index.stories[sid]
        if not index.is_floating(story):
            continue
        if index.shared_shingles(story, sample, outlet, s.evidence_members) == 0:
            continue
        candidate = weigh(index, scorer, story, vectors, story.last)  # no time to be apart in
        if candidate.similarity >= candidate.bar:
            return story
    return None
