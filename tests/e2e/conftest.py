"""End-to-end fixtures: a fake Discord on loopback, the real StorydeskBot, real SQLite in tmp_path.

The sample inbox is ingested once per session into a template database (with a fixed clock);
each test gets its own copy, so tests stay independent and fast.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from e2e_support import INBOX, INGESTED_AT, SEEDS, START, BotFactory, FakeClock, stop
from fake_discord import FakeDiscord

from bot.config import Settings
from bot.news.desk import NewsDesk
from bot.runtime.client import StorydeskBot
from bot.runtime.main import apply_endpoints


@dataclass
class ExpectedLogs:
    """Substrings of ERROR records a test expects (anything else at ERROR fails the test)."""

    patterns: list[str] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        self.patterns.append(pattern)


@pytest.fixture
def expected_errors() -> ExpectedLogs:
    return ExpectedLogs()


@pytest.fixture(autouse=True)
def fail_on_logged_errors(caplog: pytest.LogCaptureFixture, expected_errors: ExpectedLogs) -> Iterator[None]:
    """discord.py and APScheduler log exceptions instead of raising them: turn ERRORs into failures."""
    caplog.set_level(logging.INFO)
    yield
    records = caplog.get_records("setup") + caplog.get_records("call")
    errors = [
        r
        for r in records
        if r.levelno >= logging.ERROR and not any(p in r.getMessage() for p in expected_errors.patterns)
    ]
    assert not errors, "\n".join(r.getMessage() + (f"\n{r.exc_text}" if r.exc_text else "") for r in errors)


def _copy_sqlite(src: Path, dst: Path) -> None:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample inbox ingested once, with a fixed clock."""
    path = tmp_path_factory.mktemp("template") / "desk.sqlite3"

    async def build() -> None:
        desk = await NewsDesk.open(f"sqlite+aiosqlite:///{path}", clock=lambda: INGESTED_AT)
        try:
            source = INBOX if INBOX.is_dir() and any(INBOX.iterdir()) else SEEDS
            report = await desk.ingest_paths([str(source)])
            assert report.new, f"nothing ingested from {source}"
        finally:
            await desk.close()

    asyncio.run(build())
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    yield server
    await server.stop()
    # Discord forgets an interaction not answered within 3 s: every answer must come sooner.
    late = [(i.payload["data"], i.latency) for i in server.interactions.values() if (i.latency or 0) >= 3.0]
    assert not late, late


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    _copy_sqlite(template_db, path)
    return path


@pytest.fixture
def settings(fake: FakeDiscord, tmp_path: Path, db_path: Path) -> Settings:
    return Settings.model_validate(
        {
            "database": {"url": str(db_path)},
            "drop_folder": {"path": str(tmp_path / "drop"), "poll_seconds": 30},
            "discord": {
                "guild_ids": [int(fake.guild_id)],
                "api_base": fake.rest_base,
                "gateway_url": fake.gateway_url,
                "digest_grace_minutes": 60,
            },
        }
    )


@pytest.fixture
async def desk(db_path: Path, clock: FakeClock) -> AsyncIterator[NewsDesk]:
    opened = await NewsDesk.open(f"sqlite+aiosqlite:///{db_path}", clock=clock)
    yield opened
    await opened.close()


@pytest.fixture
async def start_bot(settings: Settings, desk: NewsDesk) -> AsyncIterator[BotFactory]:
    """Start a StorydeskBot against the fake (call again after stop_bot() to 'restart')."""
    running: list[tuple[StorydeskBot, asyncio.Task[None]]] = []

    async def start(
        *, settings_: Settings | None = None, desk_: NewsDesk | None = None, wait_jobs: bool = True
    ) -> StorydeskBot:
        apply_endpoints((settings_ or settings).discord)
        bot = StorydeskBot(settings_ or settings, desk_ or desk, guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start("fake-token"))
        running.append((bot, task))  # closed at teardown even if the test abandons it
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait({task, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            ready.cancel()
            task.result()
            raise RuntimeError("bot.start() returned before ready")
        assert ready in done, "bot never became ready"
        if wait_jobs:  # start-up recovery and catch-up done, scheduler running
            await asyncio.wait_for(bot.jobs_ready.wait(), 10)
        return bot

    yield start
    for bot, task in running:
        if not bot.is_closed():
            await stop(bot, task)


@pytest.fixture
async def bot(start_bot: BotFactory) -> StorydeskBot:
    return await start_bot()
