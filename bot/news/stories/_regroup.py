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
from itertools import repeat
from operator import itemgetter

from bot.news.stories._index import StoryIndex, StoryState
from bot.news.stories._scoring import Scorer

log = logging.getLogger(__name__)


@dataclass
class Regrouping:
    """What a regrouping changed."""

    moved: list[tuple[int, int]] = field(default_factory=list)  # (article_id, new_story_id)
    # Stories left empty when their members went to groups that kept other ids: (story_id, into_id).
    retired: list[tuple[int, int]] = field(default_factory=list)


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
    """Average-link agglomeration of a few points under the clusterer's merge rule.

    Group statistics (similarity sums inside and across groups, the most shared shingles, the time
    span) are updated on every merge, so each candidate pair is scored in constant time.
    """

    def __init__(self, index: StoryIndex, scorer: Scorer, points: list[int]) -> None:
        self.s = scorer.s
        self.scorer = scorer
        table = index.pairs.table(index, scorer, points)
        clip = self.s.cohesion_clip
        n = len(points)
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}
        # Clipped pair sums inside each group and across groups: cohesions (clustering/pairs.py).
        self.inside: dict[int, float] = dict.fromkeys(range(n), 0.0)
        self.clipped: dict[int, dict[int, float]] = {}
        self.cross: dict[int, dict[int, float]] = {}
        self.shared: dict[int, dict[int, int]] = {}
        for i, row in enumerate(table):
            others = [j for j in range(n) if j != i]
            cells = [row[j] for j in others]
            sims = list(map(itemgetter(0), cells))
            self.cross[i] = dict(zip(others, sims, strict=True))
            self.clipped[i] = dict(zip(others, map(min, repeat(clip), sims), strict=True))
            self.shared[i] = dict(zip(others, map(itemgetter(1), cells), strict=True))
        # Each group's cohesion, kept (a link reads both groups' at every step): a lone point's
        # is the prior's.
        self.cohesion: dict[int, float] = dict.fromkeys(range(n), self._cohesion_of(0.0, 1))
        times = [index.doc_time[i] for i in points]
        self.span: dict[int, tuple[float, float]] = {i: (times[i], times[i]) for i in range(n)}

    def _cohesion_of(self, inside: float, size: int) -> float:
        return self.scorer.shrunk(inside, size * (size - 1) / 2)

    def _raw(self, g: int, h: int) -> float:
        return self.cross[g][h] / (len(self.members[g]) * len(self.members[h]))

    def _link(self, g: int, h: int, relative: float) -> float | None:
        """Merge score of two groups, or None when they may not merge."""
        s = self.s
        scorer = self.scorer
        (a0, a1), (b0, b1) = self.span[g], self.span[h]
        span = max(a1, b1) - min(a0, b0)
        shared = self.shared[g][h]
        # Stretching a group past the window (or past the longest of the two) needs shared passages.
        if span > max(a1 - a0, b1 - b0) and not scorer.may_span(span, shared):
            return None
        link = self.cross[g][h] / (len(self.members[g]) * len(self.members[h]))
        if s.shingle_bonus:
            link += s.shingle_bonus * min(1.0, shared / s.shingle_saturation)
        link -= scorer.gap_penalty(max(0.0, max(a0, b0) - min(a1, b1)))
        if link < scorer.bar(self.cohesion[g], self.cohesion[h], relative=relative):
            return None
        return link

    def _merge(self, g: int, h: int) -> None:
        """Fold group h into group g."""
        self.inside[g] += self.inside[h] + self.clipped[g][h]
        for k in self.members:
            if k in (g, h):
                continue
            self.cross[g][k] = self.cross[k][g] = self.cross[g][k] + self.cross[h][k]
            self.clipped[g][k] = self.clipped[k][g] = self.clipped[g][k] + self.clipped[h][k]
            del self.clipped[k][h]
            self.shared[g][k] = self.shared[k][g] = max(self.shared[g][k], self.shared[h][k])
            del self.cross[k][h], self.shared[k][h]
        (a0, a1), (b0, b1) = self.span[g], self.span[h]
        self.span[g] = (min(a0, b0), max(a1, b1))
        self.members[g] = sorted(self.members[g] + self.members[h])
        self.cohesion[g] = self._cohesion_of(self.inside[g], len(self.members[g]))
        del self.members[h], self.inside[h], self.cross[h], self.shared[h], self.span[h], self.clipped[h]
        del self.cohesion[h]
        del self.cross[g][h], self.shared[g][h], self.clipped[g][h]

    def run(self) -> list[list[int]]:
        """Merge the best mergeable pair until none is left; groups of point positions, each sorted."""
        rel = self.s.relative_threshold
        ids = sorted(self.members)
        # Mergeable pairs and their scores; only pairs with the merged group change after a merge.
        links: dict[tuple[int, int], float] = {}
        for x, g in enumerate(ids):
            for h in ids[x + 1 :]:
                link = self._link(g, h, rel)
                if link is not None:
                    links[g, h] = link
        while links:
            g, h = min(links, key=lambda p: (-links[p], p))
            self._merge(g, h)
            links = {p: v for p, v in links.items() if g not in p and h not in p}
            for k in self.members:
                if k != g:
                    link = self._link(min(g, k), max(g, k), rel)
                    if link is not None:
                        links[min(g, k), max(g, k)] = link
        self._adopt()
        return [self.members[g] for g in sorted(self.members)]

    def _adopt(self) -> None:
        """A small group left over joins the larger group it clearly belongs to, under a looser bar.

        A story's tight core can leave out one outlet's differently written report of the same
        event, or two or three reports that tell it from another angle (a reaction, a profile):
        average link keeps them apart when they sit below the cohesion-relative bar of the core.
        When such a fragment (up to `regroup_adopt_size` articles) fits one larger group and no
        other comes close (`regroup_margin` times its link to any other group), it is that group's.
        The margin is the contrast: a fragment between two look-alike events stays on its own.
        Smallest first, so a lone article settles before the pair it might otherwise pull along.
        """
        s = self.s
        fragments = sorted((len(m), g) for g, m in self.members.items() if len(m) <= s.regroup_adopt_size)
        for _, small in fragments:
            size = len(self.members[small])  # it may have taken in a smaller fragment already
            if size > s.regroup_adopt_size:
                continue
            links = sorted(
                (
                    (self._link(small, g, s.regroup_relative) or 0.0, -g)
                    for g in self.members
                    if g != small and len(self.members[g]) > size
                ),
                reverse=True,
            )
            if not links or links[0][0] <= 0:
                continue
            home = -links[0][1]
            rest = [self._raw(small, g) for g in self.members if g not in (small, home)]
            if rest and links[0][0] < s.regroup_margin * max(rest):
                continue
            self._merge(home, small)


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
