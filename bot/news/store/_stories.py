"""Stories: their records, merges and listing."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Insert, and_, exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.news.store._articles import visible_to
from bot.news.store._db import within
from bot.news.store._schema import articles, stories

_SUMMARY = ("headline", "first_seen", "last_updated", "article_count", "outlet_count", "merged_into")


def _upsert_statement(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT (id) DO UPDATE of every summary column (SQLite and PostgreSQL
    spell it alike; SQLAlchemy has one construct per dialect)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    q = insert(stories)
    return q.on_conflict_do_update(index_elements=[stories.c.id], set_={c: q.excluded[c] for c in _SUMMARY})


# Built once per dialect (the writer runs it for every batch).
_UPSERT = {dialect: _upsert_statement(dialect) for dialect in ("sqlite", "postgresql")}


class StoryRepo:
    """SQL for stories."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def upsert(
        self,
        story_id: int,
        headline: str,
        first_seen: datetime,
        last_updated: datetime,
        article_count: int,
        outlet_count: int,
    ) -> None:
        values = {
            "headline": headline,
            "first_seen": first_seen,
            "last_updated": last_updated,
            "article_count": article_count,
            "outlet_count": outlet_count,
            "merged_into": None,
        }
        async with self.engine.begin() as conn:
            found = (await conn.execute(select(stories.c.id).where(stories.c.id == story_id))).first()
            if found:
                await conn.execute(stories.update().where(stories.c.id == story_id).values(**values))
            else:
                await conn.execute(stories.insert().values(id=story_id, **values))

    async def upsert_many(
        self, records: Sequence[dict[str, object]], conn: AsyncConnection | None = None
    ) -> None:
        """`upsert` for several stories (each a dict with `id` and upsert's fields, ids distinct),
        in one statement (executemany of an insert that updates the row when the id exists: the
        writer refreshes summaries for every batch, and each statement is a round trip)."""
        if not records:
            return
        async with within(self.engine, conn) as conn:
            rows = [dict(record) | {"merged_into": None} for record in records]
            await conn.execute(_UPSERT[conn.dialect.name], rows)

    async def merge(self, absorbed: int, kept: int, conn: AsyncConnection | None = None) -> None:
        """Move the absorbed story's articles to the kept one and remember where it went."""
        async with within(self.engine, conn) as conn:
            await conn.execute(articles.update().where(articles.c.story_id == absorbed).values(story_id=kept))
            await conn.execute(
                stories.update()
                .where(or_(stories.c.id == absorbed, stories.c.merged_into == absorbed))
                .values(merged_into=kept)
            )

    async def get(self, story_id: int) -> RowMapping | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(stories).where(stories.c.id == story_id))).mappings().first()
        return row

    async def list(
        self,
        *,
        guild_id: int | None = None,
        updated_since: datetime | None = None,
        arrived_since: datetime | None = None,
        ids: Sequence[int] | None = None,
        query: str | None = None,
        limit: int | None = None,
    ) -> builtins.list[RowMapping]:
        """Live (unmerged) stories with at least one article visible to `guild_id`.

        `query` keeps stories whose headline, or a visible article's title or text, contains it
        (case-insensitive), so listing never has to load article texts into Python.
        """
        cond = [articles.c.story_id == stories.c.id, visible_to(guild_id)]
        if arrived_since is not None:
            cond.append(articles.c.ingested_at >= arrived_since)
        q = select(stories).where(stories.c.merged_into.is_(None), exists().where(and_(*cond)))
        if query and query.strip():
            pattern = f"%{_escape_like(query.strip().lower())}%"
            mentions = or_(
                func.lower(articles.c.title).like(pattern, escape="\\"),
                func.lower(articles.c.text).like(pattern, escape="\\"),
            )
            q = q.where(
                or_(
                    func.lower(stories.c.headline).like(pattern, escape="\\"),
                    exists().where(articles.c.story_id == stories.c.id, visible_to(guild_id), mentions),
                )
            )
        if updated_since is not None:
            q = q.where(stories.c.last_updated >= updated_since)
        if ids is not None:
            q = q.where(stories.c.id.in_(list(ids)))
        q = q.order_by(stories.c.last_updated.desc(), stories.c.id.desc())
        if limit:
            q = q.limit(limit)
        async with self.engine.connect() as conn:
            return list((await conn.execute(q)).mappings().all())

    async def activity(
        self, *, guild_id: int | None, arrived_since: datetime, until: datetime
    ) -> builtins.list[RowMapping]:
        """Live stories with visible articles that arrived in [arrived_since, until], with the
        number that arrived and the last arrival: enough to rank without loading texts."""
        arrived = func.count(articles.c.id).label("arrived")
        last_arrival = func.max(articles.c.ingested_at).label("last_arrival")
        q = (
            select(stories, arrived, last_arrival)
            .join(articles, articles.c.story_id == stories.c.id)
            .where(
                stories.c.merged_into.is_(None),
                visible_to(guild_id),
                articles.c.ingested_at >= arrived_since,
                articles.c.ingested_at <= until,
            )
            .group_by(*stories.c)
        )
        async with self.engine.connect() as conn:
            return list((await conn.execute(q)).mappings().all())

    async def max_id(self) -> int:
        """The largest story id ever handed out (merged-away stories included)."""
        async with self.engine.connect() as conn:
            return int((await conn.execute(select(func.coalesce(func.max(stories.c.id), 0)))).scalar_one())

    async def count(self) -> int:
        async with self.engine.connect() as conn:
            q = select(func.count()).select_from(stories).where(stories.c.merged_into.is_(None))
            return int((await conn.execute(q)).scalar_one())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
