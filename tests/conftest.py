"""Shared fixtures: the shared data folder, a controllable clock, a desk on a fresh SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.paths import SHARED


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


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
