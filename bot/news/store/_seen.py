"""What each channel last saw of each story: the SQL behind delta digests and figure watch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.news.store._schema import channel_seen


@dataclass
class SeenRecord:
    """One story as one channel last saw it (`state` is the engine's JSON, opaque here)."""

    channel_id: int
    kind: str
    story_id: int
    article_count: int
    state: str
    seen_at: datetime


class SeenRepo:
    """SQL for `channel_seen`: one row per (channel, kind, story), replaced each time it is seen."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def get(
        self, channel_id: int, kind: str, story_ids: Sequence[int] | None = None
    ) -> dict[int, SeenRecord]:
        """The channel's records by story id (None: every story it has seen)."""
        q = select(channel_seen).where(channel_seen.c.channel_id == channel_id, channel_seen.c.kind == kind)
        if story_ids is not None:
            if not story_ids:
                return {}
            q = q.where(channel_seen.c.story_id.in_(list(story_ids)))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q)).mappings().all()
        return {
            int(r["story_id"]): SeenRecord(
                int(r["channel_id"]), str(r["kind"]), int(r["story_id"]), int(r["article_count"]),
                str(r["state"]), r["seen_at"],
            )
            for r in rows
        }  # fmt: skip

    async def put(self, records: Sequence[SeenRecord]) -> None:
        """Replace these records (one transaction: a digest's stories are seen together)."""
        if not records:
            return
        async with self.engine.begin() as conn:
            for r in records:
                await conn.execute(
                    channel_seen.delete().where(
                        channel_seen.c.channel_id == r.channel_id,
                        channel_seen.c.kind == r.kind,
                        channel_seen.c.story_id == r.story_id,
                    )
                )
                await conn.execute(
                    channel_seen.insert().values(
                        channel_id=r.channel_id,
                        kind=r.kind,
                        story_id=r.story_id,
                        article_count=r.article_count,
                        state=r.state,
                        seen_at=r.seen_at,
                    )
                )
