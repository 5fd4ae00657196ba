"""Due ledger rows: recorded by the scheduler leader, taken by exactly one process.

On SQLite, and on PostgreSQL where STORYDESK_TEST_PG names a server (two engines: two processes).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.news.desk import NewsDesk
from tests.pg import pg_database

FIRE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'ledger.sqlite3'}"
        return
    async with pg_database() as url:
        yield url


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
