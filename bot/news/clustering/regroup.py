"""Local regrouping: re-cluster a small neighbourhood from scratch so arrival order stops mattering.

Incremental assignment decides with the evidence it has when an article arrives. Early in an
event that evidence is thin: a lone article of one event can take in the first article of a related
event just above the join bar, and both events then grow around the pair. Whatever order the
articles came in, the same articles should end in the same stories.

After each assignment the new article's story and the leading candidate stories around it (the
neighbourhood, bounded by `regroup_size` voices) are clustered again by a deterministic procedure
that depends only on the articles, not on the order they came in: average-link agglomeration under
the clusterer's own merge rule (a pair of groups merges when its average link, plus the shared
word-sequence bonus and less the time penalty, clears the cohesion-relative bar of both, and the
result fits in one window), best pair first. When an event's last article arrives, its neighbourhood
holds the event and its look-alikes, and regrouping gives the same stories whatever came before.

Syndicated copies are not points: each follows its original (or, when its original is elsewhere,
stays with the group holding most of its story's voices). Groups keep the ids of the stories they
overlap most, so a story keeps its id through a regrouping that only trims it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.news.clustering.index import StoryIndex, StoryState, Triple
from bot.news.clustering.scoring import Scorer

log = logging.getLogger(__name__)


@dataclass
class Regrouping:
    """What a regrouping changed."""

    moved: list[tuple[int, int]] = field(default_factory=list)  # (article_id, new_story_id)
    # Stories left empty when their members went to groups that kept other ids: (story_id, into_id).
    retired: list[tuple[int, int]] = field(default_factory=list)


def _dot(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum([w * get(t, 0.0) for t, w in a.items()])


def neighbourhood(
    index: StoryIndex, scorer: Scorer, story: StoryState, near: list[StoryState]
) -> list[StoryState]:
    """The story and its leading live candidates, within `regroup_size` voices and one window each."""
    s = scorer.s
    if story.weight > s.regroup_size:
        return []
    chosen = [story]
    total = story.weight
    for other in near[: s.regroup_stories]:
        if other is story or other.story_id not in index.stories or other in chosen:
            continue
        if total + other.weight > s.regroup_size:
            continue
        chosen.append(other)
        total += other.weight
    return chosen


class _Groups:
    """Average-link agglomeration of a few points under the clusterer's merge rule."""

    def __init__(self, index: StoryIndex, scorer: Scorer, points: list[int]) -> None:
        self.index = index
        self.scorer = scorer
        s = scorer.s
        n = len(points)
        vecs: list[Triple] = [index.doc_vectors(i) for i in points]
        shingles = [set(index.shingles[i]) for i in points]
        self.sim = [[0.0] * n for _ in range(n)]
        self.shared = [[0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                parts = (
                    _dot(vecs[i][0], vecs[j][0]),
                    _dot(vecs[i][1], vecs[j][1]),
                    _dot(vecs[i][2], vecs[j][2]),
                )
                self.sim[i][j] = self.sim[j][i] = scorer.combine(parts)
                if s.shingle_bonus and index.outlets[points[i]] != index.outlets[points[j]]:
                    self.shared[i][j] = self.shared[j][i] = len(shingles[i] & shingles[j])
        self.times = [index.doc_time[i] for i in points]
        self.groups: list[list[int]] = [[i] for i in range(n)]

    def _cohesion(self, g: list[int]) -> float:
        k = self.scorer.s.prior_pairs
        pairs = len(g) * (len(g) - 1) / 2
        inside = sum(self.sim[i][j] for a, i in enumerate(g) for j in g[a + 1 :])
        return (inside + k * self.scorer.prior) / (pairs + k)

    def _gap(self, a: list[int], b: list[int]) -> tuple[float, float]:
        """(span of the union, gap between the two spans) in hours."""
        ta = [self.times[i] for i in a]
        tb = [self.times[i] for i in b]
        span = max(max(ta), max(tb)) - min(min(ta), min(tb))
        gap = max(0.0, max(min(ta), min(tb)) - min(max(ta), max(tb)))
        return span, gap

    def _link(self, a: list[int], b: list[int], relative: float) -> float | None:
        """Merge score of two groups, or None when they may not merge."""
        s = self.scorer.s
        span, gap = self._gap(a, b)
        if span > s.window_hours:
            return None
        link = sum(self.sim[i][j] for i in a for j in b) / (len(a) * len(b))
        if s.shingle_bonus:
            best = max(self.shared[i][j] for i in a for j in b)
            link += s.shingle_bonus * min(1.0, best / s.shingle_saturation)
        link -= s.time_penalty * gap / s.window_hours
        if link < max(s.min_similarity, relative * max(self._cohesion(a), self._cohesion(b))):
            return None
        return link

    def run(self) -> list[list[int]]:
        """Merge the best mergeable pair until none is left; groups of point positions, each sorted."""
        while True:
            best: tuple[float, int, int] | None = None
            for x in range(len(self.groups)):
                for y in range(x + 1, len(self.groups)):
                    link = self._link(self.groups[x], self.groups[y], self.scorer.s.relative_threshold)
                    if link is not None and (best is None or link > best[0]):
                        best = (link, x, y)
            if best is None:
                self._adopt()
                return self.groups
            _, x, y = best
            self.groups[x] = sorted(self.groups[x] + self.groups[y])
            del self.groups[y]

    def _adopt(self) -> None:
        """A lone article left over joins the group it clearly belongs to, under a looser bar.

        A story's tight core can leave out one outlet's differently written report of the same
        event; when it fits one group and nothing else comes close, it is that group's.
        """
        s = self.scorer.s
        for single in [g for g in self.groups if len(g) == 1]:
            links = sorted(
                (
                    (self._link(single, g, s.regroup_relative) or 0.0, gi)
                    for gi, g in enumerate(self.groups)
                    if g is not single and len(g) > 1
                ),
                reverse=True,
            )
            if not links or links[0][0] <= 0:
                continue
            rest = [
                self._raw(single, g)
                for g in self.groups
                if g is not single and g is not self.groups[links[0][1]]
            ]
            if rest and links[0][0] < s.regroup_margin * max(rest):
                continue
            target = self.groups[links[0][1]]
            target += single
            target.sort()
            self.groups.remove(single)

    def _raw(self, a: list[int], b: list[int]) -> float:
        return sum(self.sim[i][j] for i in a for j in b) / (len(a) * len(b))


def regroup(
    index: StoryIndex,
    scorer: Scorer,
    story: StoryState,
    near: list[StoryState],
    allocate: Callable[[], int],
) -> Regrouping:
    """Re-cluster the neighbourhood of `story` (see the module docstring) and apply the result."""
    out = Regrouping()
    stories = neighbourhood(index, scorer, story, near)
    if not stories:
        return out
    # Points in a canonical order (by article id), so ties break the same way in every run.
    points = sorted((i for st in stories for i in st.counted), key=lambda i: int(index.doc_article[i]))
    if len(points) < 2:
        return out
    groups = [[points[p] for p in g] for g in _Groups(index, scorer, points).run()]
    where = {idx: gi for gi, g in enumerate(groups) for idx in g}
    old_of = {idx: st for st in stories for idx in st.members}
    if all(len({old_of[i].story_id for i in g}) == 1 for g in groups) and len(groups) == len(stories):
        return out  # the partition is the one we have
    # Copies follow their original, else the group holding most of their story's voices.
    article_pos = {int(index.doc_article[i]): i for i in points}
    for st in stories:
        votes: dict[int, int] = {}
        for i in st.counted:
            votes[where[i]] = votes.get(where[i], 0) + 1
        majority = min(votes, key=lambda g: (-votes[g], g))
        for m in st.members:
            if m in where:
                continue
            origin = article_pos.get(int(index.doc_root[m]))
            gi = where[origin] if origin is not None else majority
            groups[gi].append(m)
            where[m] = gi
    targets = _claim(groups, old_of)
    _apply(index, groups, targets, old_of, allocate, out)
    return out


def _claim(groups: list[list[int]], old_of: dict[int, StoryState]) -> list[StoryState | None]:
    """For each group, the existing story whose id it keeps (most members in common), or None."""
    overlap: list[tuple[int, int, int, StoryState]] = []  # (-count, story_id, group, story)
    for gi, g in enumerate(groups):
        counts: dict[int, tuple[int, StoryState]] = {}
        for i in g:
            st = old_of[i]
            counts[st.story_id] = (counts.get(st.story_id, (0, st))[0] + 1, st)
        overlap += [(-c, sid, gi, st) for sid, (c, st) in counts.items()]
    targets: list[StoryState | None] = [None] * len(groups)
    claimed: set[int] = set()
    for _, sid, gi, st in sorted(overlap, key=lambda t: (t[0], t[1], t[2])):
        if targets[gi] is None and sid not in claimed:
            targets[gi] = st
            claimed.add(sid)
    return targets


def _apply(
    index: StoryIndex,
    groups: list[list[int]],
    targets: list[StoryState | None],
    old_of: dict[int, StoryState],
    allocate: Callable[[], int],
    out: Regrouping,
) -> None:
    """Move members to their group's story; retire the stories left empty.

    Everything is expressed as moves and retirements (no merges), which the store replays after the
    assignment's own merges and repairs, in the order they happened here.
    """
    final = [
        target or index.new_story(allocate(), min(index.doc_time[i] for i in g))
        for g, target in zip(groups, targets, strict=True)
    ]
    for g, target in zip(groups, final, strict=True):
        for i in g:
            source = old_of[i]
            if source is not target:
                index.detach(source, i)
                index.join(target, i, index.doc_vectors(i))
                out.moved.append((int(index.doc_article[i]), target.story_id))
    for st in {s.story_id: s for s in old_of.values()}.values():
        if not st.members:
            # Its record points to the group that took most of its articles, so links to it still work.
            into = max(range(len(groups)), key=lambda gi: (sum(old_of[i] is st for i in groups[gi]), -gi))
            index.retire(st)
            out.retired.append((st.story_id, final[into].story_id))
    log.debug(
        "regrouped into %d stories (%d moves, %d retired)", len(groups), len(out.moved), len(out.retired)
    )
