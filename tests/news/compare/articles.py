"""Hand-made stored articles and stories for compare tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.news.models import StoredArticle, Story
from bot.news.quotes import extract_quotes

T0 = datetime(2025, 2, 12, 12, 0, tzinfo=UTC)


def article(
    n: int, outlet: str, text: str, title: str | None = None, hours: float | None = None
) -> StoredArticle:
    return StoredArticle(
        id=n,
        ref=f"a{n}",
        outlet=outlet,
        title=title or f"{outlet} headline",
        text=text,
        quotes=extract_quotes(text),
        content_hash=str(n),
        ingested_at=T0 + timedelta(hours=10),
        published=None if hours is None else T0 + timedelta(hours=hours),
    )


def story(articles: list[StoredArticle]) -> Story:
    return Story(
        id=7,
        headline="test story",
        first_seen=T0,
        last_updated=T0,
        outlets=[a.outlet or "" for a in articles],
    )
