"""Due ledger rows: recorded by the scheduler leader, taken by exactly one process.

On SQLite, and on PostgreSQL where STORYDESK_TEST_PG names a server (two engines: two processes).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import to_database_url
from bot.news.desk import NewsDesk

PG = os.environ.get("STORYDESK_TEST_PG", "")
FIRE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'ledger.sqlite3'}"
        return
    if not PG:
        pytest.skip("no PostgreSQL server (set STORYDESK_TEST_PG)")
    import asyncpg  # type: ignore[import-untyped]

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    yield to_database_url(PG.rsplit("/", 1)[0] + "/" + name)
    admin = await asyncpg.connect(PG)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


async def test_a_due_row_is_taken_by_exactly_one_of_many_racing_processes(url: str) -> None:
    one = await NewsDesk.open(url, clock=lambda: FIRE)
    two = await NewsDesk.open(url, clock=lambda: FIRE)
    try:
        schedule = await one.schedules.add(11, 22, "0 9 * * *", "UTC")
        due = await one.schedules.claim(schedule, FIRE, default_hours=24, due=True)
        assert due is not None and due.state == "due"
        assert await two.schedules.claim(schedule, FIRE, default_hours=24, due=True) is None  # once
        assert await two.schedules.claim(schedule, FIRE, default_hours=24) is None  # nor claimed
        assert [e.id for e in await two.schedules.due()] == [due.id]
        got = await asyncio.gather(*(desk.schedules.take(due) for desk in (one, two) * 4))
        winners = [e for e in got if e is not None]
        assert len(winners) == 1 and winners[0].state == "claimed"
        assert await one.schedules.due() == []
        assert [e.id for e in await two.schedules.unrecorded()] == [due.id]  # now an ordinary claim
    finally:
        await one.close()
        await two.close()
