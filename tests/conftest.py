"""Shared fixtures: the shared data folder, a controllable clock, a desk on a fresh SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.clock import FakeClock
from tests.news.feed_server import FeedServer, running_server
from tests.paths import SHARED


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.fail(f"shared data not found at {SHARED}: the tests need ../shared beside the repo")
    return SHARED


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
async def desk(db_url: str, clock: FakeClock) -> AsyncIterator[object]:
    from bot.news.desk import NewsDesk

    d = await NewsDesk.open(db_url, clock=clock)
    try:
        yield d
    finally:
        await d.close()


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    """A real HTTP server on 127.0.0.1 serving the feeds and pages a test sets up."""
    async with running_server() as server:
        yield server
