"""Article-pair similarities, memoised per IDF snapshot, and a story's cohesion from its pairs.

A story's cohesion (the mean similarity between its voices) sets the bar an article must clear to
join it. Counted from the centroid it is a mean of raw pair similarities, and a few near-identical
reports of one event (a press release reworded a little by several sites) raise it until the bar
rejects every differently worded report of the same event. Here each pair counts at most
`cohesion_clip`: two reports that agree that closely already say "one event", and a third copy of
the same wording says nothing more. Pairs are memoised, so a story's cohesion after one more
member costs one new row of pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.news.settings import ClusteringSettings
from bot.news.stories._centroid import Triple


# What the memo reads of the index and the scorer. Declared here, not imported: the index owns a
# memo and the scorer reads the index, so naming either would make an import cycle.
class _Vocab(Protocol):
    @property
    def epoch(self) -> int: ...


class StoryIndex(Protocol):
    @property
    def vocab(self) -> _Vocab: ...

    @property
    def outlets(self) -> list[str | None]: ...

    @property
    def shingles(self) -> Sequence[Sequence[int]]: ...

    def doc_vectors(self, idx: int) -> Triple: ...


class Scorer(Protocol):
    @property
    def s(self) -> ClusteringSettings: ...

    def combine(self, parts: tuple[float, float, float]) -> float: ...


def dot(a: dict[int, float], b: dict[int, float]) -> float:
    """Dot product of two sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    # Only the shared terms: the others add 0.0, which leaves a float sum exactly as it is (the
    # same terms in the same order give the very same float), and most terms are not shared.
    return sum([w * b[t] for t, w in a.items() if t in b], 0.0)


# Documents whose shingle sets `PairMemo` keeps (a few kB each): a regrouping's points and more.
_SHINGLE_SETS = 256


class PairMemo:
    """Similarities of article pairs under one IDF snapshot, kept between calls.

    Consecutive regroupings of one neighbourhood, and consecutive cohesions of one story, share
    almost all their pairs; only the new article's pairs are new. Bounded: emptied when full or
    when the snapshot changes.
    """

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self.epoch = -1
        self.pairs: dict[tuple[int, int], tuple[float, int]] = {}
        # `clipped_links` answers by member sequence: a candidate story is weighed for article
        # after article, and until it takes a member (or the snapshot changes) its sum is the same.
        self.links: dict[tuple[int, ...], tuple[float, int]] = {}
        # Recent documents' shingle samples as sets: a new article is paired with a whole story.
        self._sets: dict[int, set[int]] = {}
        # Shared shingle samples by pair: unlike similarities, they outlive an IDF snapshot.
        self._shared_by_pair: dict[tuple[int, int], int] = {}

    def _fresh(self, index: StoryIndex) -> None:
        if self.epoch != index.vocab.epoch or len(self.pairs) > self.limit:
            self.pairs.clear()
            self.epoch = index.vocab.epoch
            self.links.clear()
        elif len(self.links) > self.limit // 10:
            self.links.clear()

    def pair(self, index: StoryIndex, scorer: Scorer, a: int, b: int) -> tuple[float, int]:
        """(similarity, shared shingle samples from different outlets) of two documents."""
        key = (a, b) if a < b else (b, a)
        hit = self.pairs.get(key)
        if hit is None:
            va, vb = index.doc_vectors(a), index.doc_vectors(b)  # the index keeps recent ones
            sim = scorer.combine((dot(va[0], vb[0]), dot(va[1], vb[1]), dot(va[2], vb[2])))
            shared = 0
            if scorer.s.shingle_bonus and index.outlets[a] != index.outlets[b]:
                known = self._shared_by_pair
                found = known.get(key)
                if found is None:
                    if len(known) > self.limit // 4:
                        known.clear()
                    found = known[key] = self._shared(index, a, b)
                shared = found
            hit = self.pairs[key] = (sim, shared)
        return hit

    def forget_shingles(self) -> None:
        """Drop the kept shingle sets and counts (documents were evicted: their samples are gone)."""
        self._sets.clear()
        self._shared_by_pair.clear()

    def _shared(self, index: StoryIndex, a: int, b: int) -> int:
        """Shingle samples documents `a` and `b` share.

        One side as a set, the other as stored: a document's samples are distinct, so the count is
        that of two sets. The set is one already kept, else the newer document's (a new article is
        paired with a whole neighbourhood: its set serves every pair).
        """
        sets = self._sets
        if b in sets or (a not in sets and b > a):
            a, b = b, a
        return len(self._shingles(index, a).intersection(index.shingles[b]))

    def _shingles(self, index: StoryIndex, idx: int) -> set[int]:
        """Document `idx`'s shingle samples as a set (kept for the few hundred latest asked)."""
        sets = self._sets
        found = sets.get(idx)
        if found is None:
            if len(sets) >= _SHINGLE_SETS:
                sets.clear()
            found = sets[idx] = set(index.shingles[idx])
        return found

    def table(self, index: StoryIndex, scorer: Scorer, points: list[int]) -> list[list[tuple[float, int]]]:
        """(similarity, shared shingle samples) for every pair of points, as a symmetric matrix."""
        self._fresh(index)
        n = len(points)
        out = [[(0.0, 0)] * n for _ in range(n)]
        get = self.pairs.get
        for i in range(n):
            a = points[i]
            row = out[i]
            for j in range(i + 1, n):
                b = points[j]
                hit = get((a, b) if a < b else (b, a)) or self.pair(index, scorer, a, b)
                row[j] = out[j][i] = hit
        return out

    def clipped_links(self, index: StoryIndex, scorer: Scorer, members: Sequence[int]) -> tuple[float, int]:
        """Sum of the members' pair similarities, each at most `cohesion_clip`, and the number of pairs."""
        self._fresh(index)
        key = tuple(members)
        known = self.links.get(key)
        if known is not None:
            return known  # the very sum computed below (the pairs' memo could have been emptied since)
        clip = scorer.s.cohesion_clip
        total = 0.0
        n = len(members)
        pairs = self.pairs
        for i in range(n):
            a = members[i]
            for j in range(i + 1, n):
                b = members[j]
                hit = pairs.get((a, b) if a < b else (b, a))
                sim = (hit or self.pair(index, scorer, a, b))[0]
                total += sim if sim < clip else clip
        known = self.links[key] = (total, n * (n - 1) // 2)
        return known
