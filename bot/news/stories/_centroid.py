"""A story's centroid: running sums of its members' vectors, for average-link similarities."""

from __future__ import annotations

from bot.news.stories._vectors import Vector

Triple = tuple[Vector, Vector, Vector]


class Centroid:
    """Sums of the members' unit vectors (terms, entities, headline) under one IDF snapshot."""

    __slots__ = ("epoch", "sums")

    def __init__(self, epoch: int) -> None:
        self.epoch = epoch
        self.sums: Triple = ({}, {}, {})

    def add(self, vectors: Triple) -> None:
        """Add one member's vectors."""
        for acc, vec in zip(self.sums, vectors, strict=True):
            if not acc:
                # The first member: its weights are the sums (0.0 + w is w), in its own term order.
                acc.update(vec)
                continue
            get = acc.get
            # New terms are appended in the member's order, as one assignment at a time would.
            acc.update({tid: get(tid, 0.0) + w for tid, w in vec.items()})

    def dots(self, vectors: Triple) -> tuple[float, float, float]:
        """Per group, the summed cosine of an article's vectors with every member."""
        out = []
        for g, vec in enumerate(vectors):
            sums = self.sums[g]
            # Only the shared terms: see `_pairs.dot` (the same float, for less work).
            out.append(sum([w * sums[t] for t, w in vec.items() if t in sums], 0.0))
        return out[0], out[1], out[2]

    def cross(self, other: Centroid) -> tuple[float, float, float]:
        """Per group, the summed cosine over every pair of members across two stories."""
        out = []
        for g in range(3):
            a, b = self.sums[g], other.sums[g]
            if len(a) > len(b):
                a, b = b, a
            out.append(sum([w * b[t] for t, w in a.items() if t in b], 0.0))
        return out[0], out[1], out[2]
