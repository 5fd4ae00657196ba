"""Helpers for the end-to-end tests (import from here: several conftest.py files share that name)."""

from __future__ import annotations

import asyncio
import io
import json
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fake_discord import FakeDiscord, Interaction

from bot.news.desk import NewsDesk
from bot.news.schedules import Schedule
from bot.runtime.client import StorydeskBot

REPO = Path(__file__).resolve().parents[2]
INBOX = REPO / "inbox"
SEEDS = REPO.parent / "shared" / "seeds"
INGESTED_AT = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)  # when the template's articles "arrived"
START = datetime(2026, 1, 5, 8, 59, 50, tzinfo=UTC)  # a Monday, ten seconds before 09:00

BotFactory = Callable[..., Awaitable[StorydeskBot]]


class FakeClock:
    """An injectable 'now' that tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


CLOSE_SECONDS = 30.0  # the bot's own close: scheduler, pictures, lock, then discord.py's (gateway 30 s max)


async def stop(bot: StorydeskBot, task: asyncio.Task[None] | None = None) -> None:
    """Close a bot (its scheduler, HTTP session and gateway) and wait for its start() task.

    Bounded: a close that never ends fails the test with every task's stack (where it waits),
    instead of leaving the suite idle until CI's own time runs out."""
    try:
        await asyncio.wait_for(bot.close(), CLOSE_SECONDS)
    except TimeoutError:
        pytest.fail(f"bot.close() still waiting after {CLOSE_SECONDS:.0f} s:\n{task_stacks()}")
    if task is not None:
        await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), 5)


def task_stacks() -> str:
    """Every asyncio task of this loop and where it waits (for a failure's message)."""
    out = io.StringIO()
    for t in asyncio.all_tasks():
        t.print_stack(limit=12, file=out)
    return out.getvalue()


async def answer(fake: FakeDiscord, inter: Interaction, timeout: float = 10.0) -> dict[str, Any]:
    """Wait for an interaction's final answer (after a defer: its latest followup) and return it."""
    await fake.wait_for_response(inter, timeout)
    if inter.response_type in (5, 6):
        await fake.wait_until(lambda: bool(inter.followups), timeout)
        return inter.followups[-1]
    assert inter.original is not None
    return inter.original


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`storydesk --db DB ARGS` as a real process, from the repository's folder."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=180,
    )


def cli_ok(db: Path, *args: str) -> Any:
    """`cli`, which must succeed: its JSON when `--json` was asked for, else its text."""
    proc = cli(db, *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout) if "--json" in args else proc.stdout


# Scheduled digests, shared by the schedule and delta-digest tests.
NINE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    async def loop() -> None:
        while not await check():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(loop(), timeout)


async def add_schedule(desk: NewsDesk, fake: FakeDiscord, channel: str = "news", **kw: Any) -> Schedule:
    return await desk.schedules.add(
        int(fake.guild_id), int(fake.channel(channel).id), "0 9 * * *", "UTC", **kw
    )


async def fire(bot: StorydeskBot, clock: FakeClock, schedule: Schedule, at: datetime) -> None:
    """Move the clock to `at` and let APScheduler run the schedule's job now; wait until it settled."""
    clock.now = at
    before = len(await bot.desk.schedules.history(schedule.id, limit=100))
    bot.jobs.run_soon(f"digest:{schedule.id}")

    async def settled() -> bool:
        entries = await bot.desk.schedules.history(schedule.id, limit=100)
        return (len(entries) > before and entries[0].state != "claimed") or bool(
            entries and entries[0].error and entries[0].state == "claimed"
        )

    await eventually(settled)


async def stop_with_sigterm(process: asyncio.subprocess.Process, seconds: float = 45) -> bytes:
    """SIGTERM, then its stderr once it exits. The budget covers the bot's own bounded shutdown
    (gateway close 10 s, then up to 15 s for the client task) on a loaded machine; past it, the
    process's stacks (SIGUSR1: threads, SIGUSR2: asyncio tasks) go into the failure so a hang
    says where it hangs."""
    process.send_signal(signal.SIGTERM)
    try:
        _, err = await asyncio.wait_for(process.communicate(), seconds)
    except TimeoutError:
        process.send_signal(signal.SIGUSR1)
        process.send_signal(signal.SIGUSR2)
        await asyncio.sleep(1)
        process.kill()
        _, err = await process.communicate()
        pytest.fail(f"still running {seconds:.0f} s after SIGTERM; its stacks:\n" + err.decode()[-9000:])
    return err
