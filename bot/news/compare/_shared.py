"""Shared points: one line per fact, with every outlet that carries it.

Sentences of different outlets are linked when they state the same thing: as whole sentences
(TF-IDF cosine) or clause to clause (`clause_links`), so that a fact told inside a longer sentence
still finds its match. Each point is told in the sentence that links most outlets; its linked
sentences are spoken for, so one fact is not listed twice. The list is an editor's: the facts
most outlets carry, at most SHARED_POINTS of them.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.news.compare._clauses import CLAUSE_POINT, clause_links
from bot.news.compare._points import SHARED_POINT, PointCluster, Sentence, StoryPoints

__all__ = ["SHARED_POINTS", "carried_elsewhere", "shared_points"]

DEPTH = 1.0  # a point all outlets carry at their very end ranks as carried by one outlet less
SHARED_POINTS = 14  # per story (11.6 on average over compare_dev): more is a second copy of the articles
_LEANS = re.compile(r"\s*(?:He|She|It|They|This|That|These|Those|But|And|Also)\b")
_HISTORY = re.compile(r"\b(?:in|since|by|from|of) (?:the )?(?:1[89]\d\d|20[0-2]\d)s?\b")


def carried_elsewhere(points: StoryPoints, threshold: float = SHARED_POINT) -> list[dict[int, float]]:
    """Per sentence, the other outlets' sentences that state what it states, and how closely."""
    links = clause_links(points.sentences, points.groups, points.known)
    near: list[dict[int, float]] = []
    for i in range(len(points.sentences)):
        close = {j: sim for j, sim in points.neighbours[i] if sim >= threshold}
        for j, sim in links[i].items():
            # A clause match counts as a match at the sentence threshold, closer as the clauses are.
            close[j] = max(close.get(j, 0.0), threshold * sim / CLAUSE_POINT)
        near.append(close)
    return near


def shared_points(
    points: StoryPoints, near: list[dict[int, float]] | None = None, limit: int = SHARED_POINTS
) -> list[PointCluster]:
    """Points several outlets share, the most widely shared first, at most `limit`;
    `near` as `carried_elsewhere` gives it (computed when not given)."""
    near = carried_elsewhere(points) if near is None else near
    groups = [points.groups[s.article] for s in points.sentences]
    lengths = Counter(s.article for s in points.sentences)
    support = [len({groups[j] for j in close}) for close in near]
    order = sorted(
        range(len(points.sentences)),
        key=lambda i: _center_key(i, support, near, points, lengths),
    )
    used: set[int] = set()
    clusters: list[PointCluster] = []
    for i in order:
        if i in used or not near[i]:
            continue
        members = [i]
        seen = {groups[i]}
        for j, _ in sorted(near[i].items(), key=lambda js: -js[1]):
            if j not in used and groups[j] not in seen:
                members.append(j)
                seen.add(groups[j])
        if len(seen) < 2:
            continue
        used.update(members)
        used.update(near[i])  # what it links to is spoken for: it should not come back as another point
        clusters.append(PointCluster(points.sentences[i], [points.sentences[m] for m in members]))
    clusters.sort(key=lambda c: -_rank(c, points.groups, lengths))
    return clusters[:limit]


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
