"""Only a story's developing figures (tolls that rose as reports came in), without the rest of the
comparison: what the coverage picture draws, at a fraction of `compare_story`'s cost.

The full comparison clusters every sentence into points and extracts every quote; a developing
figure needs neither. It is a rising count (killed, injured, arrested, ...), and every reading of
one goes through a word of harm, so only sentences with such a word are read for figures. Counts of
those things are compared within their own dimension with no help from the story's other figures
(they are "specific": see `_figures.specific`), so leaving the others out changes none of them.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.news.compare._casualties import _HARM
from bot.news.compare._developing import RISING, development
from bot.news.compare._figures import _about, _value, cluster, collect
from bot.news.compare._numbers import agree
from bot.news.compare._points import article_sentences
from bot.news.compare._story import _groups
from bot.news.models import NumberComparison, StoredArticle
from bot.news.outlets import outlet_label

__all__ = ["developing_figures"]


def developing_figures(articles: Sequence[StoredArticle]) -> list[NumberComparison]:
    """The story's developing figures, as `compare_story` finds them among its discrepancies (same
    values, same order, same development line), reading only sentences that can hold one."""
    articles = sorted(articles, key=lambda a: (a.published or a.ingested_at, a.id))
    outlets = [outlet_label(a) for a in articles]
    refs = [a.ref for a in articles]
    dates = [a.published for a in articles]
    # The same sentences compare_story reads (min_words=3), narrowed to those naming a harm; the
    # order within an article is kept, which is all the figures' order depends on.
    split = [
        [s for s in article_sentences(a.text, min_words=3) if _HARM.search(s)] if _HARM.search(a.text) else []
        for a in articles
    ]
    figures = [f for f in collect(split, dates) if f.mention.unit in RISING]
    out: list[NumberComparison] = []
    for group in cluster(figures, _groups(articles)):
        group.sort(key=lambda f: (f.article, f.sentence_index, f.mention.start))
        if all(agree(a.mention, b.mention) for a in group for b in group):
            continue  # the outlets agree: nothing developed
        values = [_value(f, outlets[f.article], refs[f.article], dates[f.article]) for f in group]
        first = group[0].mention
        told = development(first.unit, values)
        if told is None:
            continue
        out.append(
            NumberComparison(
                about=_about(group),
                values=values,
                kind=first.kind,
                counts=first.unit,
                developing=True,
                development=told,
            )
        )
    return out
