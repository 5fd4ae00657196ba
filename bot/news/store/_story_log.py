"""The story index's change log: what each placement changed, in commit order (schema v9)."""

from __future__ import annotations

import builtins
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.news.store._article_rows import cluster_columns
from bot.news.store._db import within
from bot.news.store._schedules import MetaRepo
from bot.news.store._schema import articles, story_log

# The meta key holding the last sequence number pruned: a process that has seen less than it has
# missed rows and rebuilds its index instead of catching up.
PRUNED_KEY = "story_log_pruned_through"


class StoryLogRepo:
    """SQL for the change log that lets a process catch its story index up with other processes."""

    PLACE = "place"  # the article joined a story or started one; nothing else changed
    REGROUP = "regroup"  # the placement also merged, moved, retired or redated stored articles

    @staticmethod
    def story_list(story_ids: Collection[int]) -> str:
        """The `stories` column of a regroup row: the ids, sorted, space-separated."""
        return " ".join(str(i) for i in sorted(set(story_ids)))

    @staticmethod
    def stories_of(row: Mapping[Any, Any]) -> set[int] | None:
        """The stories a log row names as changed; None where it names none (before v10)."""
        value = row.get("stories")
        return None if value is None else {int(x) for x in str(value).split()}

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.meta = MetaRepo(engine)  # where the pruning mark is kept

    async def record_many(
        self, rows: Sequence[Mapping[str, object]], conn: AsyncConnection | None = None
    ) -> None:
        """Log several placements in order, in one executemany (each row: article_id, story_id,
        kind, writer); pass the placements' transaction."""
        if not rows:
            return
        async with within(self.engine, conn) as conn:
            await conn.execute(story_log.insert(), list(rows))

    async def last(self) -> int:
        """The latest sequence number (0 when nothing was logged)."""
        async with self.engine.connect() as conn:
            return int((await conn.execute(select(func.coalesce(func.max(story_log.c.seq), 0)))).scalar_one())

    async def pruned_through(self) -> int:
        """The last sequence number deleted by `prune` (0 when nothing was)."""
        return int(await self.meta.get(PRUNED_KEY) or 0)

    async def prune(self, keep: int) -> int:
        """Delete all but the newest `keep` rows; returns how many went.

        Without it the log grows by a row per article forever. A process more than `keep`
        placements behind could not catch up from the log anyway (it would take as long as a
        rebuild): it sees `pruned_through` past what it has seen and rebuilds. One transaction, so
        the mark never lags the deletion.
        """
        async with self.engine.begin() as conn:
            last = int((await conn.execute(select(func.coalesce(func.max(story_log.c.seq), 0)))).scalar_one())
            cut = last - keep
            if cut <= 0:
                return 0
            gone = (await conn.execute(story_log.delete().where(story_log.c.seq <= cut))).rowcount or 0
            if int(await self.meta.get(PRUNED_KEY, conn) or 0) < cut:
                await self.meta.set(PRUNED_KEY, str(cut), conn)
            return int(gone)

    async def since(self, seq: int) -> builtins.list[RowMapping]:
        """Log rows after `seq`, oldest first."""
        q = select(story_log).where(story_log.c.seq > seq).order_by(story_log.c.seq)
        async with self.engine.connect() as conn:
            return list((await conn.execute(q)).mappings().all())

    async def placements(self, story_ids: Collection[int] | None = None) -> builtins.list[RowMapping]:
        """The articles of these stories (None: every placed article) with their story and
        clustering time: what a regrouping may have changed.

        A regroup row names the stories it changed (`stories`, v10): every article whose story
        changed is in one of them now (a move's or merge's destination), so reading those is
        reading every change, at a cost that does not grow with the database (the story_id index).
        """
        cols = (articles.c.id, articles.c.story_id, articles.c.story_time)
        if story_ids is None:
            q = select(*cols).where(articles.c.story_id.is_not(None))
            async with self.engine.connect() as conn:
                return list((await conn.execute(q)).mappings().all())
        out: list[RowMapping] = []
        ids = sorted(set(story_ids))
        async with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):  # bounded IN lists
                q = select(*cols).where(articles.c.story_id.in_(ids[start : start + 500]))
                out.extend((await conn.execute(q)).mappings().all())
        return out

    async def cluster_rows(self, article_ids: Sequence[int]) -> builtins.list[RowMapping]:
        """What the clusterer needs of these articles (as `ArticleRepo.cluster_state`), by id."""
        cols = cluster_columns()
        out: list[RowMapping] = []
        ids = sorted(set(article_ids))
        async with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):  # bounded IN lists
                q = select(*cols).where(articles.c.id.in_(ids[start : start + 500])).order_by(articles.c.id)
                out.extend((await conn.execute(q)).mappings().all())
        return out
