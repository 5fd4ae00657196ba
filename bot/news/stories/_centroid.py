"""A story's centroid: running sums of its members' vectors, for average-link similarities."""

from __future__ import annotations

from bot.news.stories._vectors import Vector

Triple = tuple[Vector, Vector, Vector]


class Centroid:
    """Sums of the members' unit vectors (terms, entities, headline) under one IDF snapshot."""

    __slots__ = ("epoch", "self_dots", "squares", "sums")

    def __init__(self, epoch: int) -> None:
        self.epoch = epoch
        self.sums: Triple = ({}, {}, {})
        self.squares = [0.0, 0.0, 0.0]  # |sum|^2 per group, kept up to date on every add
        self.self_dots = [0.0, 0.0, 0.0]  # sum over members of |v|^2 (1 per non-empty vector)

    def add(self, vectors: Triple) -> None:
        """Add one member's vectors."""
        for g, vec in enumerate(vectors):
            acc = self.sums[g]
            square = self.squares[g]
            for tid, w in vec.items():
                old = acc.get(tid, 0.0)
                acc[tid] = old + w
                square += (2.0 * old + w) * w
            self.squares[g] = square
            if vec:
                self.self_dots[g] += 1.0

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

    def links(self) -> tuple[float, float, float]:
        """Per group, the summed cosine over every pair of members: (|sum|^2 - sum of |v|^2) / 2."""
        sq, own = self.squares, self.self_dots
        return (
            max(0.0, (sq[0] - own[0]) / 2.0),
            max(0.0, (sq[1] - own[1]) / 2.0),
            max(0.0, (sq[2] - own[2]) / 2.0),
        )
