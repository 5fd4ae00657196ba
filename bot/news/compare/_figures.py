"""Which figures of a story's articles are about the same quantity, and whether they agree.

Mentions of one dimension (a duration, an amount of money, a share, a count of allies) are grouped
by the words around them; two different figures of one article are two quantities (the Putin call
and the Zelensky call; all allies' aid and the U.S. share of it), so they never share a group.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.news.compare._numbers import NumberMention, agree, find_numbers, same_dimension
from bot.news.models import NumberComparison, NumberValue
from bot.news.text import TIME_WORDS, name_key, word_set

_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w’'.-]*[\w]|[A-Za-z]")
_STOP = word_set("""
    a an the and or but of to in on at for with by from as is are was were be been it its this that he his
    she her they their we our not no than more most very will would can could should has have had said says
    about some nearly almost around roughly over under just also which who according mr mrs ms
    """)
_WINDOW = 60  # characters either side of a figure that describe it best (for labels)
_NEAR = 8  # words either side of a figure that weigh double
_AGREEING = 0.02  # context similarity for figures whose values agree
_DIFFERING = 0.15  # … and for figures whose values differ


@dataclass
class Figure:
    """A figure in one sentence of one article."""

    article: int
    sentence_index: int
    sentence: str
    mention: NumberMention
    context: Counter[str]
    near: frozenset[str] = frozenset()  # content words right next to the figure


def _context(sentence: str, mention: NumberMention) -> Counter[str]:
    """Words of the figure's sentence; names and the words right next to the figure count more."""
    out: Counter[str] = Counter()
    before = _WORD.findall(sentence[: mention.start])
    after = _WORD.findall(sentence[mention.end :])
    near = set(range(max(0, len(before) - _NEAR), len(before))) | set(range(len(before), len(before) + _NEAR))
    for n, raw in enumerate([*before, *after]):
        word = re.sub(r"['’]s?$", "", raw)  # "Ukraine’s" is about Ukraine
        low = word.lower()
        if low in _STOP or len(low) < 3:
            continue
        name = word[0].isupper() and word.isalpha()
        key = name_key(word) if name else _stem(low)
        out[key] += (2 if name else 1) * (2 if n in near else 1)
    return out


def _near(sentence: str, mention: NumberMention) -> frozenset[str]:
    """Common words within a few words of the figure: what it counts ("in military support")."""
    before = [w for w in _WORD.findall(sentence[: mention.start]) if w.lower() not in _STOP][-3:]
    after = [w for w in _WORD.findall(sentence[mention.end :]) if w.lower() not in _STOP][:4]
    out = set()
    for raw in [*before, *after]:
        word = re.sub(r"['’]s?$", "", raw)
        low = word.lower()
        # What is counted, not who, where or when.
        if len(word) >= 3 and not word[0].isupper() and low not in TIME_WORDS and low not in {"last", "next"}:
            out.add(_stem(low))
    return frozenset(out)


def _stem(word: str) -> str:
    for suffix in ("ies", "ied", "ing", "ed", "es", "y", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _cosine(a: Counter[str], b: Counter[str], idf: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0) * idf.get(k, 1.0) ** 2 for k, v in a.items())
    na = math.sqrt(sum((v * idf.get(k, 1.0)) ** 2 for k, v in a.items()))
    nb = math.sqrt(sum((v * idf.get(k, 1.0)) ** 2 for k, v in b.items()))
    return dot / (na * nb) if na and nb else 0.0


def _same_ballpark(figures: list[Figure]) -> bool:
    values = [abs(f.mention.value) for f in figures]
    return min(values) > 0 and max(values) / min(values) <= 3


def _closeness(figures: list[Figure]) -> float:
    """Smallest over largest value (1: equal; 0.5: one is twice the other)."""
    values = [abs(f.mention.value) for f in figures]
    return min(values) / max(values) if max(values) else 1.0


def collect(split: Sequence[Sequence[str]]) -> list[Figure]:
    """Every figure of every article."""
    figures: list[Figure] = []
    for n, sentences in enumerate(split):
        for si, sentence in enumerate(sentences):
            for mention in find_numbers(sentence):
                figures.append(
                    Figure(n, si, sentence, mention, _context(sentence, mention), _near(sentence, mention))
                )
    return figures


def _clash(a: Figure, b: Figure) -> bool:
    """Two figures one article gives with different values: two quantities, even in one sentence
    ("more than $126 billion …, including more than $66.5 billion from the U.S.")."""
    return a.article == b.article and not agree(a.mention, b.mention)


def cluster(figures: Sequence[Figure], groups: Sequence[int]) -> list[list[Figure]]:
    """Figures grouped by quantity: each dimension (durations, dollars, counts of allies) apart."""
    dimensions: dict[tuple[str, str], list[Figure]] = {}
    for f in figures:
        unit = f.mention.unit.rstrip("s") if f.mention.kind == "count" else f.mention.unit
        dimensions.setdefault((f.mention.kind, unit), []).append(f)
    near_df: Counter[str] = Counter()
    for f in figures:
        near_df.update(f.near)
    # A word next to many of the story's figures ("steel" in a steel-tariff story) ties none together.
    specific = frozenset(w for w, c in near_df.items() if c <= max(2, 0.2 * len(figures)))
    out: list[list[Figure]] = []
    for same in dimensions.values():
        if len({groups[f.article] for f in same}) >= 2:
            out.extend(_cluster_dimension(same, groups, specific))
    return out


def _cluster_dimension(
    figures: Sequence[Figure], groups: Sequence[int], specific: frozenset[str]
) -> list[list[Figure]]:
    """Average-link clustering of figures of one dimension, respecting clashes."""
    df: Counter[str] = Counter()
    for f in figures:
        df.update(f.context.keys())
    idf = {k: math.log(1 + len(figures) / c) for k, c in df.items()}
    sims: dict[tuple[int, int], float] = {}
    for i, fi in enumerate(figures):
        for j in range(i + 1, len(figures)):
            if same_dimension(fi.mention, figures[j].mention):
                sims[(i, j)] = sims[(j, i)] = _cosine(fi.context, figures[j].context, idf)
    ids = {id(f): n for n, f in enumerate(figures)}
    # Figures whose article gives another value of the same kind (two quantities to choose from).
    rivalled = {
        id(f)
        for f in figures
        for g in figures
        if g is not f
        and g.article == f.article
        and same_dimension(f.mention, g.mention)
        and not agree(f.mention, g.mention)
    }
    clusters: list[list[Figure]] = [[f] for f in figures]
    # First the figures that agree (their values are evidence enough), then those that differ,
    # which must be described alike to be called a disagreement.
    for threshold, agreeing in ((_AGREEING, True), (_DIFFERING, False)):
        while True:
            best: tuple[float, int, int] | None = None
            for i in range(len(clusters)):
                for j in range(i + 1, len(clusters)):
                    a, b = clusters[i], clusters[j]
                    if not same_dimension(a[0].mention, b[0].mention) or any(
                        _clash(x, y) for x in a for y in b
                    ):
                        continue
                    if agreeing and not all(agree(x.mention, y.mention) for x in a for y in b):
                        continue
                    if not agreeing and not _same_ballpark(a + b):
                        continue  # "three years" and "an hour" are not two counts of one thing
                    if (
                        not agreeing
                        and a[0].mention.kind != "count"
                        and not any(x.near & y.near & specific for x in a for y in b)
                    ):
                        continue  # "cut by 30 percent from 2017 levels" vs "13 percent of U.S. imports"
                    score = sum(sims.get((ids[id(x)], ids[id(y)]), 0.0) for x in a for y in b) / (
                        len(a) * len(b)
                    )
                    if not agreeing and any(id(f) in rivalled for f in a + b):
                        # An outlet giving two values of one kind offers a choice, and two reports
                        # of one quantity rarely differ much: of its "$126 billion" and "$66.5
                        # billion", "$65.9 billion" elsewhere is the second.
                        score *= _closeness(a + b)
                    if score >= threshold and (best is None or score > best[0]):
                        best = (score, i, j)
            if best is None:
                break
            _, i, j = best
            clusters[i].extend(clusters.pop(j))
    return [c for c in clusters if len({groups[f.article] for f in c}) >= 2]


def _about(figures: list[Figure]) -> str:
    """A short label for the quantity: its unit and the words its sentences share."""
    first = figures[0].mention
    shared: Counter[str] = Counter()
    for f in figures:
        near = f.sentence[max(0, f.mention.start - _WINDOW) : f.mention.end + _WINDOW]
        # Each word once per figure, in reading order: ties then break the same way on every run.
        words = (w.lower() for w in _WORD.findall(near))
        shared.update(list(dict.fromkeys(w for w in words if w not in _STOP and len(w) > 3)))
    common = [w for w, c in shared.most_common(6) if c >= 2 and w not in first.text.lower()][:3]
    label = {"money": "amount", "percent": "share", "duration": "duration"}.get(first.kind, first.unit)
    return f"{label} ({', '.join(common)})" if common else label


def compare_figures(
    split: Sequence[Sequence[str]], outlets: Sequence[str], refs: Sequence[str], groups: Sequence[int]
) -> tuple[list[NumberComparison], list[NumberComparison]]:
    """(discrepancies, agreements) among the figures of a story's articles (given as sentences)."""
    discrepancies: list[NumberComparison] = []
    agreements: list[NumberComparison] = []
    for figures in cluster(collect(split), groups):
        figures.sort(key=lambda f: (f.article, f.sentence_index, f.mention.start))
        values = [
            NumberValue(
                outlet=outlets[f.article],
                value=f.mention.text,
                text=f.sentence,
                ref=refs[f.article],
                normalized=round(f.mention.value, 4),
                unit=f.mention.unit,
            )
            for f in figures
        ]
        comparison = NumberComparison(about=_about(figures), values=values)
        consistent = all(agree(a.mention, b.mention) for a in figures for b in figures)
        if not consistent:
            discrepancies.append(comparison)
        elif len({f.mention.text.lower() for f in figures}) > 1:
            agreements.append(comparison)  # the same figure, written differently
    return discrepancies, agreements
