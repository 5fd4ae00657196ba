"""A worker's articles travel as plain values and come back as the very same models."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from bot.news.ingest._dropfolder import IncomingArticle
from bot.news.ingest._frames import pack_item, unpack_item
from bot.news.ingest._worker import read_with_quotes
from bot.news.models import ExtractedArticle, Quote
from bot.news.settings import ClusteringSettings
from tests.paths import DATA


def _same(a: IncomingArticle, b: IncomingArticle) -> None:
    """Equal, and equal as pydantic keeps them: same field values in the same order, same field
    sets (what `exclude_unset` dumps), same types."""
    assert (b.ref, b.path, b.features) == (a.ref, a.path, a.features)
    assert type(b.article) is type(a.article)
    assert b.article == a.article
    assert list(b.article.__dict__.items()) == list(a.article.__dict__.items())
    assert b.article.model_fields_set == a.article.model_fields_set
    assert b.article.model_dump_json(exclude_unset=True) == a.article.model_dump_json(exclude_unset=True)
    for q, r in zip(a.article.quotes, b.article.quotes, strict=True):
        assert type(r) is type(q)
        assert list(r.__dict__.items()) == list(q.__dict__.items())
        assert r.model_fields_set == q.model_fields_set


def test_read_articles_come_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = (DATA / "polnear_quotes" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:40]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read_with_quotes(str(path), path, 50_000_000, ClusteringSettings()).items
    assert len(items) == 40 and sum(len(i.article.quotes) for i in items) > 40
    assert any(i.article.published is not None for i in items)
    for item in items:
        packed = pack_item(item)
        assert b"pydantic" not in packed  # plain values, not the models' state
        _same(item, unpack_item(packed))


def _article(**changes: object) -> ExtractedArticle:
    text = 'He said "we will win" and left. "Maybe not," she said.'
    quotes = [
        Quote(text="we will win", speaker="He", cue="said", start=9, end=20),
        Quote(text="Maybe\nnot", speaker=None, cue="said", start=34, end=44),  # not the text's slice
    ]
    values: dict[str, object] = {
        "title": "A title",
        "outlet": "Outlet",
        "byline": ["A Writer"],
        "published": datetime(2024, 5, 1, 12, 30, 15, 250, tzinfo=UTC),
        "url": "https://example.org/a",
        "language": "en",
        "text": text,
        "quotes": quotes,
    }
    values.update(changes)
    return ExtractedArticle.model_validate(values)


def test_every_shape_of_article_comes_back_the_same() -> None:
    plus_two = timezone(timedelta(hours=2))
    articles = [
        _article(),
        _article(published=None, title=None, byline=[], quotes=[]),
        _article(published=datetime(2024, 5, 1, 14, tzinfo=plus_two)),  # not UTC: pickled as a model
        ExtractedArticle(text="Only a text."),  # a partial field set: pickled as a model
    ]
    partial_quote = _article()
    partial_quote.quotes.append(Quote(text="x", start=0, end=1))  # speaker and cue unset
    articles.append(partial_quote)
    for article in articles:
        item = IncomingArticle("ref", article, "path", '{"v":2}')
        _same(item, pickle.loads(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)))
