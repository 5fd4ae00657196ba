"""Store: one repository per area over one engine."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.news.store._articles import ArticleRepo
from bot.news.store._db import open_engine, writer_lock
from bot.news.store._feeds import FeedRepo
from bot.news.store._leader import LeaderLock
from bot.news.store._live import LiveRepo
from bot.news.store._schedules import LedgerRepo, MetaRepo, ScheduleRepo
from bot.news.store._seen import SeenRepo
from bot.news.store._speakers import SpeakerRepo
from bot.news.store._stories import StoryRepo
from bot.news.store._story_log import StoryLogRepo
from bot.news.store._threads import ThreadRepo

# The write batch open in this task: its Store, connection and task (see `Store.batch`). A context
# variable, not an attribute, and checked against the task: only the task that opened the batch
# joins it; the bot's other tasks, and tasks started meanwhile (which inherit the context), keep
# transactions of their own rather than share one connection concurrently.
_BATCH: ContextVar[tuple[Store, AsyncConnection, asyncio.Task[object] | None] | None] = ContextVar(
    "storydesk_write_batch", default=None
)


class Store:
    """The database, as the engine sees it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.articles = ArticleRepo(engine)
        self.stories = StoryRepo(engine)
        self.feeds = FeedRepo(engine)
        self.live = LiveRepo(engine)
        self.schedules = ScheduleRepo(engine)
        self.ledger = LedgerRepo(engine)
        self.meta = MetaRepo(engine)
        self.speakers = SpeakerRepo(engine)
        self.seen = SeenRepo(engine)  # what each channel last saw of each story
        self.threads = ThreadRepo(engine)  # each story's thread per channel (threads, forums)
        self.story_log = StoryLogRepo(engine)  # placements in commit order (index catch-up)
        # Seconds this process waited for the writer lock and held it (feed workers report them:
        # with several workers, waiting is what the serial clusterer costs the others).
        self.lock_waited = 0.0
        self.lock_held = 0.0

    @classmethod
    async def open(cls, url: str) -> Store:
        """Open (and migrate) the database at `url`."""
        return cls(await open_engine(url))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """One transaction for several repository calls (pass it as their `conn`).

        Inside `batch()` (in the same task) this is the batch's connection: the work commits, or
        is undone, with the batch."""
        open_batch = _BATCH.get()
        if open_batch is not None and open_batch[0] is self and open_batch[2] is asyncio.current_task():
            yield open_batch[1]
            return
        async with self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[AsyncConnection]:
        """One transaction for a run of writes by this task: every `transaction()` it opens
        meanwhile joins it, so many articles cost one commit. All or nothing: a process killed
        before the commit leaves none of the batch stored. Keep batches short: on SQLite other
        writers wait for the commit."""
        async with self.engine.begin() as conn:
            token = _BATCH.set((self, conn, asyncio.current_task()))
            try:
                yield conn
            finally:
                _BATCH.reset(token)

    @asynccontextmanager
    async def writer(self) -> AsyncIterator[None]:
        """Held while placing articles into stories: one writer at a time across processes."""
        t0 = time.perf_counter()
        async with writer_lock(self.engine):
            t1 = time.perf_counter()
            self.lock_waited += t1 - t0
            try:
                yield
            finally:
                self.lock_held += time.perf_counter() - t1

    def leader_lock(self) -> LeaderLock:
        """The scheduler-leader lock of this database (held on a connection of its own)."""
        return LeaderLock(self.engine)

    async def close(self) -> None:
        await self.engine.dispose()
