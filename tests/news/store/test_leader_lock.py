"""The scheduler-leader lock: one holder among processes, taken over when the holder's session dies.

PostgreSQL part runs when STORYDESK_TEST_PG names a server; each lock has its own engine, as
each bot process would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.news.store import LeaderLock, Store
from tests.pg import pg_database

MY_DB_LOCKS = (
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    async with pg_database() as url:
        yield url


async def test_one_leader_and_a_takeover_when_its_session_dies(pg_url: str) -> None:
    a, b = await Store.open(pg_url), await Store.open(pg_url)
    try:
        first, second = a.leader_lock(), b.leader_lock()
        assert await first.try_acquire() and first.held
        assert not await second.try_acquire() and not second.held
        assert await first.try_acquire()  # still leading: asking again checks, never doubles
        assert not await second.try_acquire()
        # The leader's process dies: PostgreSQL ends its session (here: terminated from outside).
        async with b.engine.connect() as conn:
            pids = (await conn.execute(text(MY_DB_LOCKS))).scalars()
            for pid in list(pids):
                await conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        assert not await first.try_acquire() and not first.held  # it notices it lost the lead
        assert await second.try_acquire()
        assert not await first.try_acquire()
        await second.release()  # a clean stop hands over at once
        assert await first.try_acquire()
        await first.release()
    finally:
        await a.close()
        await b.close()


async def test_sqlite_has_one_process_which_leads(tmp_path: Path) -> None:
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'one.sqlite3'}")
    try:
        lock: LeaderLock = store.leader_lock()
        assert not lock.shared and await lock.try_acquire() and await store.leader_lock().try_acquire()
    finally:
        await store.close()
