"""Source comparison for a story: what each outlet reported, what they share, where figures differ.

Also the extractive summary used by digests: sentences taken verbatim from the articles, chosen
for what most outlets agree on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.news.compare._figures import compare_figures
from bot.news.compare._points import PointCluster, StoryPoints, article_sentences
from bot.news.compare._readings import normalize, read_figures
from bot.news.compare._shared import SHARED_POINTS, shared_points
from bot.news.compare._unique import unique_points
from bot.news.models import Comparison, NumberComparison, OutletReport, Point, StoredArticle, Story
from bot.news.outlets import outlet_label
from bot.news.quotes import SpeakerIndex, extract_quotes

__all__ = ["compare_story", "headline_with_disputes", "summarize_story"]

log = logging.getLogger(__name__)


def _outlet(article: StoredArticle) -> str:
    return outlet_label(article)


def _groups(articles: Sequence[StoredArticle]) -> list[int]:
    """One group per outlet; a syndicated copy joins its original's group (it confirms nothing)."""
    by_outlet: dict[str, int] = {}
    by_id = {a.id: n for n, a in enumerate(articles)}
    groups: list[int] = []
    for n, article in enumerate(articles):
        original = by_id.get(article.syndicated_of) if article.syndicated_of is not None else None
        if original is not None and original < n:
            groups.append(groups[original])
            continue
        groups.append(by_outlet.setdefault(_outlet(article), len(by_outlet)))
    return groups


def _shared_point(cluster: PointCluster, outlets: Sequence[str], refs: Sequence[str]) -> Point:
    """A point several outlets share, told in its central sentence; its outlets in cluster order."""
    return Point(
        text=cluster.center.text,
        outlets=list(dict.fromkeys(outlets[m.article] for m in cluster.members)),
        refs=list(dict.fromkeys(refs[m.article] for m in cluster.members)),
    )


def _figure_points(confirmed: Sequence[NumberComparison], said: set[str]) -> list[Point]:
    """A figure several outlets give alike is a shared fact ("about 100 people were in the plant"),
    told in its first outlet's sentence, unless a shared point already holds one of its sentences."""
    out: list[Point] = []
    for c in confirmed:
        if any(v.text in said for v in c.values):
            continue
        said.update(v.text for v in c.values)
        outs = list(dict.fromkeys(v.outlet for v in c.values))
        refs = list(dict.fromkeys(v.ref for v in c.values if v.ref is not None))
        out.append(Point(text=c.values[0].text, outlets=outs, refs=refs))
    return out


def compare_story(story: Story, articles: Sequence[StoredArticle]) -> Comparison:
    """Side by side: per outlet its headline, length, speakers and exclusive points; shared points;
    figures that disagree or agree; who published first."""
    articles = sorted(articles, key=lambda a: (a.published or a.ingested_at, a.id))
    texts = [a.text for a in articles]
    outlets = [_outlet(a) for a in articles]
    refs = [a.ref for a in articles]
    groups = _groups(articles)
    # Figures may sit in short lines ("Second violation: a $150 fine."); points need six words.
    lines = [article_sentences(t, min_words=3) for t in texts]
    split = [[s for s in article if len(s.split()) >= 6] for article in lines]
    points = StoryPoints(split, groups)
    clusters = shared_points(points)
    listed = [c.center for c in clusters]

    quotes = [a.quotes or extract_quotes(a.text) for a in articles]
    index = SpeakerIndex(q.speaker for qs in quotes for q in qs if q.speaker)

    reports: list[OutletReport] = []
    for n, article in enumerate(articles):
        speakers = list(dict.fromkeys(s for q in quotes[n] if (s := index.canonical(q.speaker)) is not None))
        unique = [
            Point(text=s.text, outlets=[outlets[n]], refs=[refs[n]]) for s in unique_points(points, n, listed)
        ]
        reports.append(
            OutletReport(
                outlet=outlets[n],
                ref=refs[n],
                headline=article.title,
                words=len(article.text.split()),
                published=article.published,
                speakers=speakers,
                unique_points=unique,
            )
        )

    shared = [_shared_point(c, outlets, refs) for c in clusters]
    confirmed: list[NumberComparison] = []
    discrepancies, agreements = compare_figures(
        lines, outlets, refs, groups, [a.published for a in articles], confirmed
    )
    figures = _figure_points(confirmed, {m.text for c in clusters for m in c.members})
    # The most widely carried first; at equal support a figure several outlets give alike first.
    shared = sorted(figures + shared, key=lambda p: -len(p.outlets))[:SHARED_POINTS]
    dated = [(r.published, n) for n, r in enumerate(reports) if r.published is not None]
    first = reports[min(dated)[1]] if dated else None
    log.debug(
        "compared story %s: %d articles, %d shared points, %d discrepancies",
        story.id,
        len(articles),
        len(shared),
        len(discrepancies),
    )
    return Comparison(
        story=story,
        outlets=reports,
        shared_points=shared,
        discrepancies=discrepancies,
        agreements=agreements,
        first_published=first,
    )


def summarize_story(articles: Sequence[StoredArticle], sentences: int = 2) -> list[str]:
    """Extractive summary: `sentences` sentences, each from a real article, on what most outlets agree."""
    if not articles or sentences <= 0:
        return []
    articles = sorted(articles, key=lambda a: (a.published or a.ingested_at, a.id))
    points = StoryPoints([article_sentences(a.text) for a in articles], _groups(articles))
    return [s.text for s in points.summary(sentences)]


def headline_with_disputes(headline: str, articles: Sequence[StoredArticle]) -> str:
    """The headline, saying so when a figure it states is one the outlets disagree on.

    "52 families evacuated …" while two outlets say "about 40" becomes "52 families evacuated …
    (disputed: also about 40 families)"; a toll that rose as reports came in says it is rising.
    """
    stated = read_figures(normalize(headline))
    if not stated or len({_outlet(a) for a in articles}) < 2:
        return headline
    articles = sorted(articles, key=lambda a: (a.published or a.ingested_at, a.id))
    split = [article_sentences(a.text, min_words=3) for a in articles]
    outlets = [_outlet(a) for a in articles]
    discrepancies, _ = compare_figures(
        split, outlets, [a.ref for a in articles], _groups(articles), [a.published for a in articles]
    )
    for m in stated:
        for d in discrepancies:
            noun = m.text.split()[-1].lower()
            same = [v for v in d.values if v.normalized == round(m.value, 4) and noun in v.value.lower()]
            if d.kind != m.kind or (d.counts != m.unit and not same):
                continue
            if d.developing:
                return f"{headline} (figure rising as reports come in)"
            others = [
                v.value for v in d.values if v.normalized is not None and abs(v.normalized - m.value) > 1e-9
            ]
            if others:
                return f"{headline} (disputed: also {', '.join(dict.fromkeys(others))})"
    return headline
