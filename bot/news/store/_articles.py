"""Articles, seen files and rejections."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.news.models import ExtractedArticle, StoredArticle
from bot.news.store._article_rows import cluster_columns, stored_values

# row_to_article and visible_to are re-exported: the other repositories import them from here.
from bot.news.store._article_rows import row_to_article as row_to_article
from bot.news.store._article_rows import visible_to as visible_to
from bot.news.store._db import within
from bot.news.store._schema import articles, quote_speakers, rejections, seen_files
from bot.news.store._speaker_index import index_speakers, speaker_rows

# Statements the writer runs for every article, built once: SQLAlchemy memoises a statement's
# cache key, so a reused one skips rebuilding it on each call (a measurable part of the writer).
_SET_CLUSTER = (
    articles.update()
    .where(articles.c.id == bindparam("b_id"))
    .values(
        story_id=bindparam("b_story_id"),
        syndicated_of=bindparam("b_syndicated_of"),
        cluster_features=bindparam("b_features"),
        story_time=bindparam("b_story_time"),
    )
)
_MOVE = articles.update().where(articles.c.id == bindparam("b_id")).values(story_id=bindparam("b_story_id"))
_STORIES_OF = select(articles.c.id, articles.c.story_id).where(
    articles.c.id.in_(bindparam("b_ids", expanding=True))
)
_STORY_MEMBERS = (
    select(
        articles.c.id,
        articles.c.ref,
        articles.c.story_id,
        articles.c.title,
        articles.c.outlet,
        articles.c.url,
        articles.c.published,
        articles.c.ingested_at,
        articles.c.story_time,
        articles.c.syndicated_of,
    )
    .where(articles.c.story_id.in_(bindparam("b_ids", expanding=True)))
    .order_by(articles.c.id)
)

_IDS_BY_REF = select(articles.c.ref, articles.c.id).where(
    articles.c.ref.in_(bindparam("b_refs", expanding=True))
)


class ArticleRepo:
    """SQL for articles."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def by_ref(self, ref: str) -> StoredArticle | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(articles).where(articles.c.ref == ref))).mappings().first()
        return row_to_article(row) if row else None

    async def lookup(
        self,
        ref: str,
        content_hash: str,
        guild_id: int | None,
        insert: ExtractedArticle | None = None,
        now: datetime | None = None,
        feed_id: int | None = None,
    ) -> tuple[RowMapping | None, bool, int | None]:
        """For ingesting one article, in one round trip: the stored version of `ref` (its id,
        content_hash, published and story_id) and, when there is none, whether the same content
        is already stored in the same scope under another ref. When neither and `insert` is given,
        stores it as `insert` would (the third value is then its id)."""
        cols = [articles.c.id, articles.c.content_hash, articles.c.published, articles.c.story_id]
        async with self.engine.begin() as conn:
            row = (await conn.execute(select(*cols).where(articles.c.ref == ref))).mappings().first()
            if row is not None:
                return row, False, None
            # The scope is checked here, not in SQL: see `known`.
            q = select(articles.c.guild_id).where(articles.c.content_hash == content_hash)
            if any(r[0] == guild_id for r in await conn.execute(q)):
                return None, True, None
            if insert is None or now is None:
                return None, False, None
            article_id = await self._insert(conn, ref, insert, content_hash, now, guild_id, feed_id)
            return None, False, article_id

    async def known(
        self, refs: Sequence[str], hashes: Sequence[str], guild_id: int | None
    ) -> tuple[set[str], set[str]]:
        """Of these refs, those stored; of these content hashes, those stored in the scope of
        `guild_id`: what `lookup` asks per article, asked once for a batch (two queries)."""
        async with self.engine.connect() as conn:
            q = select(articles.c.ref).where(articles.c.ref.in_(list(refs)))
            stored_refs = {str(r[0]) for r in await conn.execute(q)}
            # The scope is checked here, not in SQL: with it there, SQLite searches the guild_id
            # index (for shared articles, every one of them) instead of the content_hash one, a
            # scan of the table per batch. The same content is stored in few scopes, if several.
            q = select(articles.c.content_hash, articles.c.guild_id)
            q = q.where(articles.c.content_hash.in_(list(hashes)))
            stored_hashes = {str(r[0]) for r in await conn.execute(q) if r[1] == guild_id}
        return stored_refs, stored_hashes

    async def insert_many(
        self,
        conn: AsyncConnection,
        new: Sequence[tuple[str, ExtractedArticle, str, datetime]],
        guild_id: int | None = None,
        feed_id: int | None = None,
    ) -> builtins.list[int]:
        """`insert` for several articles (ref, article, content hash, arrival) within `conn`, in
        as few statements as the database allows; returns their ids in order."""
        values = [
            stored_values(article, digest)
            | {
                "ref": ref,
                "version": 1,
                "ingested_at": now,
                "updated_at": now,
                "guild_id": guild_id,
                "feed_id": feed_id,
            }
            for ref, article, digest, now in new
        ]
        if conn.dialect.name == "postgresql":  # one statement, ids in the rows' order
            q = articles.insert().returning(articles.c.id, sort_by_parameter_order=True)
            ids = [int(r[0]) for r in await conn.execute(q, values)]
        else:
            # SQLAlchemy runs an INSERT whose RETURNING must keep the rows' order one row per
            # statement on SQLite (a round trip each): one executemany instead, then the ids by
            # ref (unique), in one query.
            await conn.execute(articles.insert(), values)
            refs = [ref for ref, _, _, _ in new]
            id_of = {str(r[0]): int(r[1]) for r in await conn.execute(_IDS_BY_REF, {"b_refs": refs})}
            ids = [id_of[ref] for ref in refs]
        rows = [
            row
            for article_id, (_, article, _, now) in zip(ids, new, strict=True)
            for row in speaker_rows(article_id, article.quotes, article.published or now)
        ]
        if rows:
            await conn.execute(quote_speakers.insert(), rows)
        return ids

    async def by_id(self, article_id: int) -> StoredArticle | None:
        async with self.engine.connect() as conn:
            q = select(articles).where(articles.c.id == article_id)
            row = (await conn.execute(q)).mappings().first()
        return row_to_article(row) if row else None

    async def ref_with_hash(self, content_hash: str, guild_id: int | None) -> str | None:
        """The ref of an article with this content visible in the same scope, if any."""
        q = select(articles.c.ref).where(articles.c.content_hash == content_hash)
        q = q.where(articles.c.guild_id.is_(None) if guild_id is None else articles.c.guild_id == guild_id)
        async with self.engine.connect() as conn:
            row = (await conn.execute(q.limit(1))).first()
        return str(row[0]) if row else None

    async def insert(
        self,
        ref: str,
        article: ExtractedArticle,
        content_hash: str,
        now: datetime,
        guild_id: int | None = None,
        feed_id: int | None = None,
    ) -> int:
        async with self.engine.begin() as conn:
            return await self._insert(conn, ref, article, content_hash, now, guild_id, feed_id)

    @staticmethod
    async def _insert(
        conn: AsyncConnection,
        ref: str,
        article: ExtractedArticle,
        content_hash: str,
        now: datetime,
        guild_id: int | None,
        feed_id: int | None,
    ) -> int:
        values = stored_values(article, content_hash) | {
            "ref": ref,
            "version": 1,
            "ingested_at": now,
            "updated_at": now,
            "guild_id": guild_id,
            "feed_id": feed_id,
        }
        result = await conn.execute(articles.insert().values(**values))
        pk = result.inserted_primary_key
        assert pk is not None
        await index_speakers(conn, int(pk[0]), article.quotes, article.published or now)
        return int(pk[0])

    async def update_version(
        self, article_id: int, article: ExtractedArticle, content_hash: str, now: datetime
    ) -> None:
        values = stored_values(article, content_hash) | {"updated_at": now, "version": articles.c.version + 1}
        async with self.engine.begin() as conn:
            await conn.execute(articles.update().where(articles.c.id == article_id).values(**values))
            if article.published is None:  # dated by its arrival: keep the first arrival
                at = await conn.execute(select(articles.c.ingested_at).where(articles.c.id == article_id))
                await index_speakers(conn, article_id, article.quotes, at.scalar_one())
            else:
                await index_speakers(conn, article_id, article.quotes, article.published)

    async def set_cluster(
        self,
        article_id: int,
        story_id: int,
        syndicated_of: int | None,
        features: str | None,
        story_time: datetime | None = None,
        conn: AsyncConnection | None = None,
    ) -> None:
        values = {
            "b_id": article_id,
            "b_story_id": story_id,
            "b_syndicated_of": syndicated_of,
            "b_features": features,
            "b_story_time": story_time,
        }
        await self.set_clusters([values], conn=conn)

    async def set_clusters(
        self, rows: Sequence[Mapping[str, object]], conn: AsyncConnection | None = None
    ) -> None:
        """`set_cluster` for several articles in one executemany: each row holds
        `b_id`, `b_story_id`, `b_syndicated_of`, `b_features` and `b_story_time`."""
        if not rows:
            return
        async with within(self.engine, conn) as conn:
            await conn.execute(_SET_CLUSTER, list(rows))

    async def set_story_time(
        self, article_ids: Sequence[int], story_time: datetime, conn: AsyncConnection | None = None
    ) -> None:
        """Date undated articles by the story they turned out to belong to."""
        if not article_ids:
            return
        async with within(self.engine, conn) as conn:
            q = articles.update().where(articles.c.id.in_(list(article_ids))).values(story_time=story_time)
            await conn.execute(q)

    async def move(self, article_id: int, story_id: int, conn: AsyncConnection | None = None) -> int | None:
        """Put an article in another story (the clusterer re-placed it); returns its old story."""
        async with within(self.engine, conn) as conn:
            q = select(articles.c.story_id).where(articles.c.id == article_id)
            old = (await conn.execute(q)).scalar_one_or_none()
            await conn.execute(articles.update().where(articles.c.id == article_id).values(story_id=story_id))
        return int(old) if old is not None else None

    async def move_many(
        self, moves: Sequence[tuple[int, int]], conn: AsyncConnection | None = None
    ) -> builtins.list[int | None]:
        """`move` for several (article id, story id), in order: each one's old story, as moving
        them one by one finds it, in one read and one executemany (not two statements a move)."""
        if not moves:
            return []
        async with within(self.engine, conn) as conn:
            ids = sorted({article_id for article_id, _ in moves})
            rows = await conn.execute(_STORIES_OF, {"b_ids": ids})
            current = {int(r[0]): None if r[1] is None else int(r[1]) for r in rows}
            old: list[int | None] = []
            for article_id, story_id in moves:
                old.append(current.get(article_id))
                if article_id in current:  # a missing article stays missing (its update finds no row)
                    current[article_id] = story_id
            await conn.execute(_MOVE, [{"b_id": a, "b_story_id": s} for a, s in moves])
        return old

    async def cluster_state(self) -> list[RowMapping]:
        """What the clusterer needs to rebuild its index, oldest first.

        The text only where no features were stored (the clusterer analyses those again): holding
        every article's text at start-up would make a large database's restart cost gigabytes.
        """
        cols = cluster_columns()
        q = select(*cols).where(articles.c.story_id.is_not(None)).order_by(articles.c.id)
        async with self.engine.connect() as conn:
            return list((await conn.execute(q)).mappings().all())

    async def unplaced(self) -> builtins.list[RowMapping]:
        """Articles stored but in no story, oldest first: what a process stopped between storing an
        article and placing it leaves behind (the story_id index makes this cheap when none)."""
        cols = [
            articles.c.id,
            articles.c.title,
            articles.c.outlet,
            articles.c.text,
            articles.c.published,
            articles.c.ingested_at,
            articles.c.feed_id,
        ]
        q = select(*cols).where(articles.c.story_id.is_(None)).order_by(articles.c.id)
        async with self.engine.connect() as conn:
            return list((await conn.execute(q)).mappings().all())

    async def list(
        self,
        *,
        guild_id: int | None = None,
        story_ids: Sequence[int] | None = None,
        arrived_since: datetime | None = None,
        outlet: str | None = None,
        limit: int | None = None,
    ) -> list[StoredArticle]:
        q = select(articles).where(visible_to(guild_id))
        if story_ids is not None:
            q = q.where(articles.c.story_id.in_(list(story_ids)))
        if arrived_since is not None:
            q = q.where(articles.c.ingested_at >= arrived_since)
        if outlet:
            q = q.where(func.lower(articles.c.outlet) == outlet.lower())
        q = q.order_by(articles.c.id)
        if limit:
            q = q.limit(limit)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q)).mappings().all()
        return [row_to_article(r) for r in rows]

    async def story_members(
        self, story_ids: Sequence[int], conn: AsyncConnection | None = None
    ) -> builtins.list[RowMapping]:
        """What a story's summary record needs from its articles (no texts or quotes), by id."""
        async with within(self.engine, conn) as conn:
            return list((await conn.execute(_STORY_MEMBERS, {"b_ids": list(story_ids)})).mappings().all())

    async def text_of(self, article_id: int, conn: AsyncConnection | None = None) -> str:
        async with within(self.engine, conn) as conn:
            q = select(articles.c.text).where(articles.c.id == article_id)
            return str((await conn.execute(q)).scalar_one_or_none() or "")

    async def count(self) -> int:
        async with self.engine.connect() as conn:
            return int((await conn.execute(select(func.count()).select_from(articles))).scalar_one())

    async def last_ingest(self) -> datetime | None:
        async with self.engine.connect() as conn:
            value = (await conn.execute(select(func.max(articles.c.updated_at)))).scalar_one()
        return value if isinstance(value, datetime) else None

    # Seen files: lets the drop-folder watcher skip files it has already read.
    async def seen_file(self, path: str) -> tuple[int, int] | None:
        async with self.engine.connect() as conn:
            q = select(seen_files.c.size, seen_files.c.mtime_ns).where(seen_files.c.path == path)
            row = (await conn.execute(q)).first()
        return (int(row[0]), int(row[1])) if row else None

    async def mark_seen(self, path: str, size: int, mtime_ns: int, now: datetime) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(seen_files.delete().where(seen_files.c.path == path))
            await conn.execute(
                seen_files.insert().values(path=path, size=size, mtime_ns=mtime_ns, seen_at=now)
            )

    async def add_rejection(self, path: str, reason: str, now: datetime) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(rejections.insert().values(path=path, reason=reason, at=now))

    async def recent_rejections(self, limit: int = 10) -> builtins.list[tuple[str, str, datetime]]:
        q = select(rejections.c.path, rejections.c.reason, rejections.c.at).order_by(rejections.c.id.desc())
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q.limit(limit))).all()
        return [(r[0], r[1], r[2]) for r in rows]
