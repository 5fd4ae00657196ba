"""Leadership among processes sharing one database: a session-level PostgreSQL advisory lock.

The lock lives on a connection of its own, held for as long as the process leads. When the process
dies (even by SIGKILL) the kernel closes its socket, PostgreSQL ends the session and frees the
lock, and the next process that asks takes it over. On SQLite there is one process, which leads.
"""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

SCHEDULER_LOCK = 0x53746F7253  # "StorS"; beside the migration and writer locks in _db.py


class LeaderLock:
    """Try to lead, check that we still do, step down."""

    def __init__(self, engine: AsyncEngine, key: int = SCHEDULER_LOCK) -> None:
        self.engine = engine
        self.key = key
        self._conn: AsyncConnection | None = None
        self._held = False

    @property
    def shared(self) -> bool:
        """Whether other processes can share the database (and so contend for the lock)."""
        return self.engine.dialect.name == "postgresql"

    @property
    def held(self) -> bool:
        return self._held

    async def try_acquire(self) -> bool:
        """Lead if nobody else does; True while this process leads. Never waits for the lock."""
        if not self.shared:
            self._held = True
            return True
        if self._held:
            return await self._still_held()
        try:
            if self._conn is None:
                self._conn = await self.engine.connect()
            got = (
                await self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})
            ).scalar()
            await self._conn.commit()  # session-level: outlives this transaction
        except (SQLAlchemyError, OSError) as e:
            log.warning("cannot ask for the scheduler lock (%s)", e.__class__.__name__)
            await self._drop()
            return False
        self._held = bool(got)
        if not self._held:
            await self._drop(discard=False)  # not holding it: back to the pool
        return self._held

    async def _still_held(self) -> bool:
        # A live session still holds its session lock: a failing connection means it is gone,
        # and another process may already lead.
        assert self._conn is not None
        try:
            await self._conn.execute(text("SELECT 1"))
            await self._conn.commit()
        except (SQLAlchemyError, OSError) as e:
            log.warning("lost the scheduler lock's connection (%s)", e.__class__.__name__)
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        """Step down (at shutdown); closing the session frees the lock."""
        if self._conn is not None and self._held:
            try:
                await self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                await self._conn.commit()
            except (SQLAlchemyError, OSError):
                log.info("the scheduler lock's connection is gone; the lock went with it")
        await self._drop()

    async def _drop(self, *, discard: bool = True) -> None:
        # Discarded, not pooled: a pooled session would keep a lock it might still hold.
        self._held = False
        conn, self._conn = self._conn, None
        if conn is None:
            return
        with contextlib.suppress(SQLAlchemyError, OSError):
            if discard:
                await conn.invalidate()
            await conn.close()
