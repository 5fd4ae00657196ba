"""Who said it: an index of the words of every quote's speaker, and the lookups `said` makes.

A row per (speaker word, article): `said Hegseth` reads the few articles quoting a Hegseth by an
index range instead of parsing the quotes of every article (10k articles: milliseconds).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.news.models import StoredArticle
from bot.news.store._articles import row_to_article
from bot.news.store._schema import articles, quote_speakers, stories

class SpeakerRepo:
    """SQL for `said`: the articles quoting someone, and the speakers known by a prefix."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def similar_tokens(self, prefix: str, limit: int = 200) -> list[tuple[str, int]]:
        """Indexed speaker words starting with `prefix`, with how many articles use each."""
        t = quote_speakers.c.token
        q = (
            select(t, func.count().label("n"))
            .where(t >= prefix, t < prefix + "\U0010ffff")
            .group_by(t)
            .order_by(func.count().desc())
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            return [(str(r[0]), int(r[1])) for r in (await conn.execute(q)).all()]

    async def article_ids(
        self, tokens: Sequence[str], *, since: datetime | None, limit: int
    ) -> list[int]:
        """Ids of the articles whose quotes' speakers have every word in `tokens`, newest first."""
        if not tokens:
            return []
        q = select(quote_speakers.c.article_id)
        for tok in tokens[1:]:
            other = quote_speakers.alias()
            q = q.where(
                quote_speakers.c.article_id.in_(select(other.c.article_id).where(other.c.token == tok))
            )
        q = q.where(quote_speakers.c.token == tokens[0])
        if since is not None:
            q = q.where(quote_speakers.c.at >= since)
        q = q.order_by(quote_speakers.c.at.desc()).limit(limit)
        async with self.engine.connect() as conn:
            return [int(r[0]) for r in (await conn.execute(q)).all()]

    async def articles(self, ids: Sequence[int], visible: Any) -> list[tuple[StoredArticle, RowMapping]]:
        """The articles with these ids a server may see, with their story's row (id, headline,
        merged_into)."""
        if not ids:
            return []
        q = (
            select(articles, stories.c.headline.label("story_headline"), stories.c.merged_into)
            .join(stories, stories.c.id == articles.c.story_id)
            .where(articles.c.id.in_(list(ids)), visible)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q)).mappings().all()
        return [(row_to_article(r), r) for r in rows]

    async def headlines(self, story_ids: Sequence[int]) -> dict[int, tuple[str, int | None]]:
        """Headline and merged_into of stories (to follow merges)."""
        if not story_ids:
            return {}
        q = select(stories.c.id, stories.c.headline, stories.c.merged_into).where(
            stories.c.id.in_(list(story_ids))
        )
        async with self.engine.connect() as conn:
            return {int(r[0]): (str(r[1]), r[2]) for r in (await conn.execute(q)).all()}
