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
from datetime import datetime

from bot.news.compare._dates import read_days
from bot.news.compare._developing import development
from bot.news.compare._durations import timed_subject
from bot.news.compare._figure_words import stem, unpossessive
from bot.news.compare._measures import BUILDING, YEAR_BUILT
from bot.news.compare._numbers import NumberMention, agree, dimension, same_dimension
from bot.news.compare._readings import CASUALTY, attribution, normalize, read_figures
from bot.news.compare._when import another_time
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
    sentence: str  # as the article writes it (shown)
    mention: NumberMention  # offsets into `normalized`
    context: Counter[str]
    near: frozenset[str] = frozenset()  # content words right next to the figure
    normalized: str = ""  # the sentence with tokenizer spaces mended ("3: 30 p. m." -> "3:30 p.m.")


def _context(before: list[str], after: list[str]) -> Counter[str]:
    """Words of the figure's sentence (those `before` and `after` it); names and the words right
    next to the figure count more."""
    out: Counter[str] = Counter()
    lo, hi = len(before) - _NEAR, len(before) + _NEAR  # the words right next to it
    for n, raw in enumerate([*before, *after]):
        word = unpossessive(raw)  # "Ukraine’s" is about Ukraine
        low = word.lower()
        if low in _STOP or len(low) < 3:
            continue
        name = word[0].isupper() and word.isalpha()
        key = name_key(word) if name else stem(low)
        out[key] += (2 if name else 1) * (2 if lo <= n < hi else 1)
    return out


def _near(before: list[str], after: list[str]) -> frozenset[str]:
    """Common words within a few words of the figure: what it counts ("in military support")."""
    close = [w for w in before if w.lower() not in _STOP][-3:] + [w for w in after if w.lower() not in _STOP][
        :4
    ]
    out = set()
    for raw in close:
        word = unpossessive(raw)
        low = word.lower()
        # What is counted, not who, where or when.
        if len(word) >= 3 and not word[0].isupper() and low not in TIME_WORDS and low not in {"last", "next"}:
            out.add(stem(low))
    return frozenset(out)


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


# Figures of an earlier event recalled for background are left out; ages, years, clock times and
# durations are kept (an age is the person's, "married for 13 years" the story's own).
_OF_THEIR_TIME = frozenset({"count", "magnitude", "distance", "money", "percent", "weight", "calibre"})


def collect(
    split: Sequence[Sequence[str]], published: Sequence[datetime | None] | None = None
) -> list[Figure]:
    """Every figure of every article, but those of sentences set at another time."""
    figures: list[Figure] = []
    for n, sentences in enumerate(split):
        when = published[n] if published is not None else None
        for si, sentence in enumerate(sentences):
            clean = normalize(sentence)
            mentions = [*read_figures(clean), *read_days(clean, when)]
            past = bool(mentions) and another_time(clean, when)  # asked only of sentences with figures
            for mention in mentions:
                if past and mention.kind in _OF_THEIR_TIME:
                    continue
                if mention.unit == YEAR_BUILT and not _as_age(mention, when):
                    continue
                before, after = _WORD.findall(clean[: mention.start]), _WORD.findall(clean[mention.end :])
                context, near = _context(before, after), _near(before, after)
                figures.append(Figure(n, si, sentence, mention, context, near, clean))
    _one_name_per_person(figures)
    return figures


def _as_age(m: NumberMention, published: datetime | None) -> bool:
    """ "Built in 1935" as the building's age when the article was published (77 in 2012), so
    that it meets "the 86-year-old structure"; without a date it cannot be told."""
    if published is None or m.value > published.year:
        return False
    age = published.year - m.value
    m.kind, m.unit, m.value, m.low, m.high = "age", BUILDING, age, age - 1, age
    return True


def _one_name_per_person(figures: list[Figure]) -> None:
    """ "Orozco, 27" is the age of the story's one "Jose Orozco": a surname key takes the full key."""
    full = [f.mention.unit for f in figures if f.mention.kind == "age" and " " in f.mention.unit]
    for f in figures:
        if f.mention.kind == "age" and " " not in f.mention.unit:
            owners = {u for u in full if u.endswith(" " + f.mention.unit)}
            if len(owners) == 1:
                f.mention.unit = owners.pop()


# Things specific enough that two figures of them in one story are one quantity, whatever the
# words around them: a toll, an age of a named person, a calibre, a quake's magnitude.
_SPECIFIC_KINDS = frozenset({"age", "calibre", "magnitude"})
_SPECIFIC_THINGS = frozenset(
    {*CASUALTY.values(), "shots fired", "hits", "depth", "buildings away", "blocks away", "crew"}
)
# Context likeness enough for two close times of day, or two counts of one named thing
# ("customers", "crew"), to be one quantity; a plain "people" count needs the full _DIFFERING.
_THING_CONTEXT = 0.05
_CLOCK_GAP = 120.0
_YEAR_GAP = 3  # minutes: times of day further apart are of different moments
_DAY_GAP = 7  # days: dates of one happening further apart are of different happenings


def specific(m: NumberMention) -> bool:
    """Whether figures of this thing need no help from their context to be one quantity."""
    if m.kind == "age" and m.unit.endswith("(unnamed)"):
        return False
    return m.kind in _SPECIFIC_KINDS or m.unit in _SPECIFIC_THINGS or timed_subject(m)


def _clash(a: Figure, b: Figure) -> bool:
    """Two figures one article gives with different values: two quantities, even in one sentence
    ("more than $126 billion …, including more than $66.5 billion from the U.S.")."""
    if specific(a.mention) and not timed_subject(a.mention):
        return False  # an outlet giving two tolls reports the dispute itself ("police say none; the Post, three")
    return a.article == b.article and not agree(a.mention, b.mention)


def cluster(figures: Sequence[Figure], groups: Sequence[int]) -> list[list[Figure]]:
    """Figures grouped by quantity: each dimension (durations, dollars, counts of allies) apart."""
    dimensions: dict[tuple[str, str], list[Figure]] = {}
    for f in figures:
        dimensions.setdefault(dimension(f.mention), []).append(f)
    near_df: Counter[str] = Counter()
    for f in figures:
        near_df.update(f.near)
    # A word next to many of the story's figures ("steel" in a steel-tariff story) ties none together.
    specific_words = frozenset(w for w, c in near_df.items() if c <= max(2, 0.2 * len(figures)))
    out: list[list[Figure]] = []
    for same in dimensions.values():
        if len({groups[f.article] for f in same}) >= 2:
            out.extend(_cluster_dimension(same, groups, specific_words))
    return out


def _named_thing(m: NumberMention, figures: Sequence[Figure] = ()) -> bool:
    if m.kind == "distance":
        # A distance from a named place, every figure from the same one ("south of Tehran").
        units = {m.unit, *(f.mention.unit for f in figures)}
        return len({u for u in units if u.startswith("distance from ")}) == 1
    return (
        m.kind in ("time", "date")
        or (m.kind == "count" and m.unit != "people")
        or (m.kind == "money" and " " in m.unit)
    )


def _may_differ(a: list[Figure], b: list[Figure], specific_words: frozenset[str]) -> bool:
    """Whether two groups of figures whose values differ may still be one quantity."""
    m = a[0].mention
    if specific(m):
        return True
    values = [f.mention.value for f in a + b]
    if m.kind == "time":
        return max(values) - min(values) <= _CLOCK_GAP
    if m.kind == "date":
        # Two days told with the same word for what happened ("attack" and "attack"), a week apart
        # at most: one happening dated two ways.
        cued = any(x.mention.cue == y.mention.cue for x in a for y in b)
        return cued and max(values) - min(values) <= _DAY_GAP
    if m.kind == "year":
        # Years of different events fill a story (the killing, the trial): only close years told
        # with the same specific words ("voters … approved … bond") are one date given two ways.
        close = max(values) - min(values) <= _YEAR_GAP
        return close and any(len(x.near & y.near & specific_words) >= 2 for x in a for y in b)
    if not _same_ballpark(a + b):
        return False  # "three years" and "an hour" are not two counts of one thing
    # "cut by 30 percent from 2017 levels" vs "13 percent of U.S. imports": counted things say
    # what they count; other figures need a specific word beside them in common.
    if m.kind == "count" or _named_thing(m, a + b):
        return True
    return any(x.near & y.near & specific_words for x in a for y in b)


def _cluster_dimension(
    figures: Sequence[Figure], groups: Sequence[int], specific_words: frozenset[str]
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
                    if not agreeing and not _may_differ(a, b, specific_words):
                        continue
                    score = sum(sims.get((ids[id(x)], ids[id(y)]), 0.0) for x in a for y in b) / (
                        len(a) * len(b)
                    )
                    if not agreeing:
                        score = _differing_score(a + b, score, rivalled)
                    if score >= threshold and (best is None or score > best[0]):
                        best = (score, i, j)
            if best is None:
                break
            _, i, j = best
            clusters[i].extend(clusters.pop(j))
    return [c for c in clusters if len({groups[f.article] for f in c}) >= 2]


def _differing_score(figures: list[Figure], score: float, rivalled: set[int]) -> float:
    """How much two groups of figures with different values look like one quantity."""
    m = figures[0].mention
    offered = any(id(f) in rivalled for f in figures)
    if offered:
        # An outlet giving two values of one kind offers a choice, and two reports of one
        # quantity rarely differ much: of its "$126 billion" and "$66.5 billion", "$65.9
        # billion" elsewhere is the second.
        score *= _closeness(figures)
    if specific(m):
        return max(score, _DIFFERING)  # one toll, one age: the thing itself says so
    if _named_thing(m, figures):
        score *= _DIFFERING / _THING_CONTEXT  # the thing says much of what it is
        if m.kind == "count" and m.unit not in _GENERIC and not offered:
            # Each outlet counts this thing once ("an additional six engines", "a further four
            # appliances"): nothing else in the story it could be.
            score = max(score, _DIFFERING)
    return score


_GENERIC = frozenset({"people", "crowd"})


def _about(figures: list[Figure]) -> str:
    """A short label for the quantity: its unit and the words its sentences share."""
    first = figures[0].mention
    shared: Counter[str] = Counter()
    for f in figures:
        near = f.normalized[max(0, f.mention.start - _WINDOW) : f.mention.end + _WINDOW]
        # Each word once per figure, in reading order: ties then break the same way on every run.
        words = (w.lower() for w in _WORD.findall(near))
        shared.update(list(dict.fromkeys(w for w in words if w not in _STOP and len(w) > 3)))
    common = [w for w, c in shared.most_common(6) if c >= 2 and w not in first.text.lower()][:3]
    label = {
        "money": "amount",
        "percent": "share",
        "duration": "duration",
        "age": f"age ({first.unit})",
        "time": "time of day",
        "calibre": "calibre",
        "magnitude": "magnitude",
    }.get(first.kind, first.unit)
    return f"{label} ({', '.join(common)})" if common else label


def _value(f: Figure, outlet: str, ref: str, published: datetime | None) -> NumberValue:
    m = f.mention
    return NumberValue(
        outlet=outlet,
        value=m.text,
        text=f.sentence,
        ref=ref,
        normalized=round(m.value, 4),
        unit=m.unit,
        low=round(m.low, 4),
        high=round(m.high, 4),
        published=published,
        attributed_to=attribution(f.normalized),
    )


def compare_figures(
    split: Sequence[Sequence[str]],
    outlets: Sequence[str],
    refs: Sequence[str],
    groups: Sequence[int],
    published: Sequence[datetime | None] | None = None,
    confirmed: list[NumberComparison] | None = None,
) -> tuple[list[NumberComparison], list[NumberComparison]]:
    """(discrepancies, agreements) among the figures of a story's articles (given as sentences).

    A casualty count that rose with the articles' publication times stays among the
    discrepancies, marked `developing` with its development told in time order. `confirmed`, when
    given, receives every figure several outlets give alike (written the same or not).
    """
    dates = list(published) if published is not None else [None] * len(split)
    discrepancies: list[NumberComparison] = []
    agreements: list[NumberComparison] = []
    for figures in cluster(collect(split, dates), groups):
        figures.sort(key=lambda f: (f.article, f.sentence_index, f.mention.start))
        values = [_value(f, outlets[f.article], refs[f.article], dates[f.article]) for f in figures]
        first = figures[0].mention
        comparison = NumberComparison(
            about=_about(figures), values=values, kind=first.kind, counts=first.unit
        )
        consistent = all(agree(a.mention, b.mention) for a in figures for b in figures)
        if not consistent:
            told = development(first.unit, values)
            if told is not None:
                comparison.developing, comparison.development = True, told
            discrepancies.append(comparison)
        elif len({f.mention.text.lower() for f in figures}) > 1:
            agreements.append(comparison)  # the same figure, written differently
        if consistent and confirmed is not None:
            confirmed.append(comparison)  # one figure several outlets give: a shared fact
    return discrepancies, agreements
