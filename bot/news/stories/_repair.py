"""Bounded local repairs that make story assignment depend less on the order articles arrive in.

In an arbitrary order, an article of one event can meet a lone article of a related event before
its own event has a story, join it just above the bar, and the event then grows around the pair (or
two stories that grew that way are bridged and merged). Two repairs run after each assignment:

- `reassign`: while the new article's story is young (at most `reassign_target` articles), a member
  of a small story among its leading candidates moves to it when the member is an outsider where it
  is (it no longer clears the bar of the rest of its story) and fits the article's story better, or
  when it fits the article's story clearly better (`reassign_margin`).
- `split`: a story that reaches an even size up to `split_size` is bisected (average link); when the
  two halves would not merge by the merge rule (less a margin), the younger half becomes a new story.

Both only look at stories of bounded size, so the work per article stays bounded. Every article
that changes story is reported as (article_id, new_story_id).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.news.stories._index import StoryIndex, StoryState, Triple
from bot.news.stories._scoring import Scorer

log = logging.getLogger(__name__)


def _self_dots(vectors: Triple) -> tuple[float, float, float]:
    """Per group, a vector's dot product with itself."""
    a, b, c = (sum([w * w for w in v.values()]) for v in vectors)
    return a, b, c


def _pair(scorer: Scorer, x: Triple, y: Triple) -> float:
    """Weighted similarity of two articles."""
    parts = []
    for g in range(3):
        a, b = x[g], y[g]
        if len(a) > len(b):
            a, b = b, a
        get = b.get
        parts.append(sum([w * get(t, 0.0) for t, w in a.items()]))
    return scorer.combine((parts[0], parts[1], parts[2]))


def reassign(
    index: StoryIndex, scorer: Scorer, story: StoryState, near: list[StoryState]
) -> list[tuple[int, int]]:
    """Move members of small stories among `near` (the new article's candidates) into `story` where they fit better."""
    s = scorer.s
    if s.reassign_size < 2 or story.weight > s.reassign_target:
        return []
    moved: list[tuple[int, int]] = []
    for other in near[: s.reassign_stories]:
        if other is story or other.story_id not in index.stories or not 2 <= other.weight <= s.reassign_size:
            continue
        centroid = index.centroid(story)
        bar = scorer.bar(scorer.cohesion(index, story))
        # Every member's fit to `story` is at most the sum over members: skip stories none can move from.
        if scorer.combine(centroid.cross(index.centroid(other))) / story.weight < bar:
            continue
        if not other.voices:
            continue  # copies only: their centroid holds every member, and they have no voice to move
        for idx in list(other.voices):
            if other.weight < 2:
                break
            when = index.doc_time[idx]
            if story.span_with(when) > s.window_hours:
                continue
            vec = index.doc_vectors(idx)
            rest = index.centroid(other)
            own = scorer.combine(rest.dots(vec)) - scorer.combine(_self_dots(vec))
            stay = own / (other.weight - 1)
            rest_members = [m for m in other.counted if m != idx]
            outsider = stay < scorer.bar(scorer.cohesion(index, other, rest_members))
            centroid = index.centroid(story)
            fit = scorer.combine(centroid.dots(vec)) / story.weight - scorer.time_penalty(story, when)
            better = fit > stay if outsider else fit >= stay + s.reassign_margin
            if not better or fit < bar:
                continue
            article = int(index.doc_article[idx])
            for m in [idx, *_copies(index, other, article)]:  # copies follow their original
                index.detach(other, m)
                index.join(story, m, vec if m == idx else index.doc_vectors(m))
                moved.append((int(index.doc_article[m]), story.story_id))
            bar = scorer.bar(scorer.cohesion(index, story))
            log.debug("article %d moved from story %d to %d", article, other.story_id, story.story_id)
    return moved


def _copies(index: StoryIndex, story: StoryState, article: int) -> list[int]:
    """The members of `story` that are syndicated copies of `article`."""
    return [m for m in story.members if index.doc_root[m] == article]


_COPY_SIMILARITY = 0.75


def split(
    index: StoryIndex, scorer: Scorer, story: StoryState, allocate: Callable[[], int]
) -> list[tuple[int, int]]:
    """Bisect `story` when its voices reach an even number up to `split_size` and its halves would not merge.

    Only the voices are bisected; syndicated copies go with their original.
    """
    s = scorer.s
    n = story.weight
    if n < 4 or n > s.split_size or n % 2:
        return []
    members = list(story.counted)
    vecs = [index.doc_vectors(i) for i in members]
    sim = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            sim[i][j] = sim[j][i] = _pair(scorer, vecs[i], vecs[j])
    a, b = min(((i, j) for i in range(n) for j in range(i + 1, n)), key=lambda p: sim[p[0]][p[1]])
    groups = [{a}, {b}]
    for _ in range(3):  # average-link 2-means from the least similar pair
        new: list[set[int]] = [{a}, {b}]
        for i in range(n):
            if i in (a, b):
                continue
            to_a = sum(sim[i][j] for j in groups[0] if j != i) / max(1, len(groups[0] - {i}))
            to_b = sum(sim[i][j] for j in groups[1] if j != i) / max(1, len(groups[1] - {i}))
            new[0 if to_a >= to_b else 1].add(i)
        if new == groups:
            break
        groups = new
    if min(len(g) for g in groups) < 2:
        return []
    k = s.prior_pairs

    def cohesion(g: set[int]) -> float:
        # Near-identical pairs (one wire story on several sites) are one voice, not evidence of a
        # tight story: counting them would raise the bar until a story's copies split off.
        pairs = [sim[i][j] for i in g for j in g if i < j and sim[i][j] < _COPY_SIMILARITY]
        return (sum(pairs) + k * scorer.prior) / (len(pairs) + k)

    linkage = sum(sim[i][j] for i in groups[0] for j in groups[1]) / (len(groups[0]) * len(groups[1]))
    if linkage >= scorer.bar(cohesion(groups[0]), cohesion(groups[1])) - s.split_margin:
        return []
    # The half holding the story's first member keeps the id.
    leave = groups[1] if 0 in groups[0] else groups[0]
    fresh = index.new_story(allocate(), index.doc_time[members[min(leave)]])
    moved: list[tuple[int, int]] = []
    for i in sorted(leave):
        index.detach(story, members[i])
        index.join(fresh, members[i], vecs[i])
        moved.append((int(index.doc_article[members[i]]), fresh.story_id))
    if story.voices:  # copies follow their original (with no voices, `members` held every member)
        gone = {int(index.doc_article[members[i]]) for i in leave}
        for m in [m for m in story.members if index.doc_root[m] in gone]:
            index.detach(story, m)
            index.join(fresh, m, index.doc_vectors(m))
            moved.append((int(index.doc_article[m]), fresh.story_id))
    log.debug("story %d split: %d articles to new story %d", story.story_id, len(leave), fresh.story_id)
    return moved
