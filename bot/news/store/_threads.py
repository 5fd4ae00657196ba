"""Story -> thread per channel: the SQL behind threads and forum channels.

One row per (channel, story): the forum post or the thread started from the story's first message.
Rows survive restarts; a row whose thread was deleted (or could not be reopened) is replaced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.news.store._schema import stories, story_threads


@dataclass
class StoryThread:
    """Where one story's updates go in one channel."""

    channel_id: int
    story_id: int
    thread_id: int
    starter_id: int | None
    created_at: datetime
    updated_at: datetime


def _thread(row: Any) -> StoryThread:
    return StoryThread(**{k: row[k] for k in StoryThread.__dataclass_fields__})


class ThreadRepo:
    """SQL for `story_threads`."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def get(self, channel_id: int, story_ids: Sequence[int]) -> dict[int, StoryThread]:
        """The channel's threads of these stories, by story id."""
        if not story_ids:
            return {}
        q = select(story_threads).where(
            story_threads.c.channel_id == channel_id, story_threads.c.story_id.in_(list(story_ids))
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q)).mappings().all()
        return {int(r["story_id"]): _thread(r) for r in rows}

    async def put(
        self, channel_id: int, story_id: int, thread_id: int, starter_id: int | None, now: datetime
    ) -> None:
        """Remember the story's new thread in this channel (replacing one that is gone)."""
        where = (story_threads.c.channel_id == channel_id, story_threads.c.story_id == story_id)
        async with self.engine.begin() as conn:
            await conn.execute(story_threads.delete().where(*where))
            await conn.execute(
                story_threads.insert().values(
                    channel_id=channel_id,
                    story_id=story_id,
                    thread_id=thread_id,
                    starter_id=starter_id,
                    created_at=now,
                    updated_at=now,
                )
            )

    async def adopt_merged(self, channel_id: int, story_id: int, now: datetime) -> StoryThread | None:
        """The thread of a story merged into `story_id`, moved to it (the thread follows the merge)."""
        merged = select(stories.c.id).where(stories.c.merged_into == story_id)
        q = select(story_threads).where(
            story_threads.c.channel_id == channel_id, story_threads.c.story_id.in_(merged)
        )
        async with self.engine.begin() as conn:
            row = (await conn.execute(q.order_by(story_threads.c.created_at).limit(1))).mappings().first()
            if row is None:
                return None
            await conn.execute(
                story_threads.update()
                .where(story_threads.c.channel_id == channel_id, story_threads.c.story_id == row["story_id"])
                .values(story_id=story_id, updated_at=now)
            )
        found = _thread(row)
        found.story_id, found.updated_at = story_id, now
        return found

    async def touch(self, channel_id: int, story_id: int, now: datetime) -> None:
        """An update went into the story's thread."""
        q = story_threads.update().where(
            story_threads.c.channel_id == channel_id, story_threads.c.story_id == story_id
        )
        async with self.engine.begin() as conn:
            await conn.execute(q.values(updated_at=now))

    async def forget(self, channel_id: int, story_id: int) -> None:
        """The thread is gone: the story's next update opens a new one."""
        async with self.engine.begin() as conn:
            await conn.execute(
                story_threads.delete().where(
                    story_threads.c.channel_id == channel_id, story_threads.c.story_id == story_id
                )
            )

    async def of_thread(self, thread_id: int) -> StoryThread | None:
        """The story a thread belongs to (a thread-delete event names only the thread)."""
        q = select(story_threads).where(story_threads.c.thread_id == thread_id).limit(1)
        async with self.engine.connect() as conn:
            r = (await conn.execute(q)).mappings().first()
        return _thread(r) if r else None
