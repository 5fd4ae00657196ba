"""Shared points: one line per fact, with every outlet that carries it.

Sentences of different outlets are linked when they state the same thing: as whole sentences
(TF-IDF cosine) or clause to clause (`link_clauses`), so that a fact told inside a longer sentence
still finds its match; two sentences giving other figures ("six rifles" / "14 rifles") are not
linked. Each point is told in the sentence that links most outlets; what it links to is spoken for,
so one fact is not listed twice, but only through the clauses that link them: a lead that packs
three facts may still tell the other two. Points whose shown sentences are linked are merged (one
line per fact). The list is an editor's: the facts most outlets carry, at most SHARED_POINTS.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.news.compare._clauses import CLAUSE_POINT, link_clauses
from bot.news.compare._points import SHARED_POINT, PointCluster, Sentence, StoryPoints

__all__ = ["SHARED_POINTS", "carried_elsewhere", "shared_points"]

DEPTH = 1.0  # a point all outlets carry at their very end ranks as carried by one outlet less
SHARED_POINTS = 14  # per story (11.6 on average over compare_dev): more is a second copy of the articles
_LEANS = re.compile(r"\s*(?:He|She|It|They|This|That|These|Those|But|And|Also)\b")
_HISTORY = re.compile(r"\b(?:in|since|by|from|of) (?:the )?(?:1[89]\d\d|20[0-2]\d)s?\b")


def carried_elsewhere(points: StoryPoints, threshold: float = SHARED_POINT) -> list[dict[int, float]]:
    """Per sentence, the other outlets' sentences that state what it states, and how closely."""
    return _Links(points, threshold).near


class _Links:
    """The links of a story's sentences: as whole sentences, and clause to clause."""

    def __init__(self, points: StoryPoints, threshold: float = SHARED_POINT) -> None:
        self.clause = link_clauses(points.sentences, points.groups)
        self.whole: list[set[int]] = []  # linked as whole sentences
        self.near: list[dict[int, float]] = []  # linked either way, and how closely
        figures = [{t for t in s.terms if t[0].isdigit()} for s in points.sentences]  # as written
        for i in range(len(points.sentences)):
            close = {j: sim for j, sim in points.neighbours[i] if sim >= threshold}
            if figures[i]:
                close = {j: sim for j, sim in close.items() if _agree(figures[i], figures[j])}
            self.whole.append(set(close))
            for j, sim in self.clause.best[i].items():
                # A clause match counts as a match at the sentence threshold, closer as the clauses are.
                close[j] = max(close.get(j, 0.0), threshold * sim / CLAUSE_POINT)
            self.near.append(close)

    def restates(self, i: int, j: int) -> bool:
        """Whether sentence i states nothing sentence j does not: linked as whole sentences, or
        each of its clauses linked to one of j's."""
        if i in self.whole[j]:
            return True
        pairs = self.clause.pairs[i].get(j)
        return pairs is not None and len({ki for ki, _ in pairs}) == self.clause.clauses[i]


class _Spoken:
    """What the points listed so far have taken: whole sentences, or single clauses of a sentence
    that states several facts (a lead linked to another lead by one fact may still tell another)."""

    def __init__(self, links: _Links) -> None:
        self.links = links
        self.whole: set[int] = set()
        self.parts: dict[int, set[int]] = {}

    def free(self, i: int, j: int) -> bool:
        """Whether sentences i and j are linked through what no point has taken yet."""
        if i in self.whole or j in self.whole:
            return False
        taken_i, taken_j = self.parts.get(i, set()), self.parts.get(j, set())
        if j in self.links.whole[i] and not taken_i and not taken_j:
            return True
        pairs = self.links.clause.pairs[i].get(j, ())
        return any(ki not in taken_i and kj not in taken_j for ki, kj in pairs)

    def take(self, center: int, linked: Iterable[int]) -> None:
        """The centre is taken whole; what it links to, through the clauses that link them."""
        self.whole.add(center)
        for j in linked:
            if j in self.links.whole[center] or self.links.clause.clauses[j] <= 1:
                self.whole.add(j)
            else:
                pairs = self.links.clause.pairs[center].get(j, ())
                self.parts.setdefault(j, set()).update(kj for _, kj in pairs)


def shared_points(points: StoryPoints, limit: int = SHARED_POINTS) -> list[PointCluster]:
    """Points several outlets share, the most widely shared first, at most `limit`."""
    links = _Links(points)
    near = links.near
    groups = [points.groups[s.article] for s in points.sentences]
    lengths = Counter(s.article for s in points.sentences)
    support = [len({groups[j] for j in close}) for close in near]
    order = sorted(
        range(len(points.sentences)),
        key=lambda i: _center_key(i, support, near, points, lengths),
    )
    spoken = _Spoken(links)
    clusters: list[_Cluster] = []
    for i in order:
        close = {j: sim for j, sim in near[i].items() if spoken.free(i, j)}
        if not close:
            continue
        members = [i]
        seen = {groups[i]}
        for j, _ in sorted(close.items(), key=lambda js: -js[1]):
            if groups[j] not in seen:
                members.append(j)
                seen.add(groups[j])
        if len(seen) < 2:
            continue
        # Told in a sentence no earlier point has taken part of: a lead whose first fact is listed
        # already would read as that fact again.
        told = i if i not in spoken.parts else next((m for m in members[1:] if m not in spoken.parts), i)
        spoken.take(i, close)  # what it links to is spoken for: it should not come back as another point
        clusters.append(_Cluster(told, members))
    ranked = sorted(clusters, key=lambda c: -_rank(c.points(points), points.groups, lengths))
    return [c.points(points) for c in _merged(ranked, links)][:limit]


@dataclass
class _Cluster:
    told: int  # the sentence shown
    members: list[int]

    def points(self, points: StoryPoints) -> PointCluster:
        return PointCluster(points.sentences[self.told], [points.sentences[m] for m in self.members])


def _merged(ranked: list[_Cluster], links: _Links) -> list[_Cluster]:
    """One line per fact: a point whose shown sentence states nothing that a point ranked above it
    does not show joins it, with its outlets."""
    out: list[_Cluster] = []
    for c in ranked:
        into = next((o for o in out if links.restates(c.told, o.told)), None)
        if into is None:
            out.append(c)
        else:
            into.members.extend(m for m in c.members if m not in into.members)
    return out


def _agree(a: set[str], b: set[str]) -> bool:
    """Whether two sentences' figures leave them free to state one fact: none in one of them, or
    one in common; "six rifles were seized" and "14 rifles in five raids" are two facts."""
    return not a or not b or bool(a & b)


def _center_key(
    i: int, support: list[int], near: list[dict[int, float]], points: StoryPoints, lengths: Counter[int]
) -> tuple[int, float]:
    """Tell a point in the sentence most outlets link to; on a tie, the one closest to them all,
    earlier in its article (a lead states the fact whole; further down it leans on what came before)."""
    s = points.sentences[i]
    return (-support[i], -sum(near[i].values()) + s.position / lengths[s.article])


def _rank(cluster: PointCluster, groups: list[int], lengths: Counter[int]) -> float:
    """Outlets carrying the point, less where they carry it: the facts of the event sit near the
    top of the articles, the details and the background further down."""
    depth = sum(m.position / lengths[m.article] for m in cluster.members) / len(cluster.members)
    return len({groups[a] for a in cluster.articles}) - DEPTH * depth + _standing(cluster.center)


def _standing(s: Sentence) -> float:
    """How well a sentence tells a fact on its own, 0 at best: "He fired just one shot from his."
    leans on the sentence before it, a paragraph of history ("In 1983, ...") is background. Each
    flaw counts as one outlet less when points are ranked (an editor's judgement first; on the
    build half it is worth one fact of 50)."""
    score = 0.0
    if _LEANS.match(s.text):
        score -= 1
    if _HISTORY.search(s.text):
        score -= 1
    if s.words < 8:
        score -= 1
    return score
