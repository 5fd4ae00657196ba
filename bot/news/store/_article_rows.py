"""Articles as rows: a row as an engine object, an article as column values, and which rows a
server may see.

Split out of `_articles.py` (the article repository's SQL) to keep each file small; the other
repositories (stories, speakers, feeds) filter by `visible_to` and build `row_to_article` too.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, literal, or_
from sqlalchemy.engine import RowMapping

from bot.news.models import ExtractedArticle, Quote, StoredArticle
from bot.news.store._schema import articles


def row_to_article(row: RowMapping) -> StoredArticle:
    """A database row as an engine object."""
    return StoredArticle(
        id=row["id"],
        ref=row["ref"],
        version=row["version"],
        content_hash=row["content_hash"],
        title=row["title"],
        outlet=row["outlet"],
        byline=json.loads(row["byline"] or "[]"),
        published=row["published"],
        url=row["url"],
        language=row["language"],
        text=row["text"],
        quotes=[Quote.model_validate(q) for q in json.loads(row["quotes"] or "[]")],
        ingested_at=row["ingested_at"],
        story_id=row["story_id"],
        syndicated_of=row["syndicated_of"],
        guild_id=row["guild_id"],
        feed_id=row["feed_id"],
    )


def stored_values(article: ExtractedArticle, content_hash: str) -> dict[str, Any]:
    """The columns an article's content fills (`ArticleRepo` adds ref, times and scope)."""
    return {
        "content_hash": content_hash,
        "title": article.title,
        "outlet": article.outlet,
        "byline": json.dumps(article.byline),
        "published": article.published,
        "url": article.url,
        "language": article.language,
        "text": article.text,
        "quotes": json.dumps([q.model_dump() for q in article.quotes]),
    }


def visible_to(guild_id: int | None) -> Any:
    """Rows a server may see: shared sources and its own feeds, each article once (None =
    everything, for the CLI).

    A server's own feed and a shared feed can both carry one article; it is stored once per scope
    (refs are scoped, so a private feed never touches what other servers see), and the server sees
    the copy stored first: same URL or same content is the same article. Only the server's own and
    the shared rows take part, so another server's private copy never hides anything.
    """
    if guild_id is None:
        return articles.c.id.is_not(None)
    shared, own = articles.c.guild_id.is_(None), articles.c.guild_id == guild_id
    earlier = articles.alias("earlier")
    twin = exists().where(
        earlier.c.id < articles.c.id,
        or_(and_(own, earlier.c.guild_id.is_(None)), and_(shared, earlier.c.guild_id == guild_id)),
        or_(earlier.c.url == articles.c.url, earlier.c.content_hash == articles.c.content_hash),
    )
    return and_(or_(shared, own), ~twin)


def cluster_columns() -> list[ColumnElement[Any]]:
    """What the clusterer needs of a stored article. The text only where no features were stored
    (the clusterer analyses those again): every article's text would cost gigabytes at start-up."""
    return [
        articles.c.id,
        articles.c.title,
        case((articles.c.cluster_features.is_(None), articles.c.text), else_=literal("")).label("text"),
        articles.c.outlet,
        articles.c.published,
        articles.c.ingested_at,
        articles.c.story_id,
        articles.c.syndicated_of,
        articles.c.cluster_features,
        articles.c.story_time,
        articles.c.feed_id,
    ]
