"""DeskScheduler under leadership: digest and leader-only jobs follow the lead; schedules sync in."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import pytest

from bot.news import Schedule
from bot.runtime.scheduler import DeskScheduler, digest_job_id

CREATED = datetime(2026, 1, 5, tzinfo=UTC)


def _schedule(sid: int, cron: str = "0 9 * * *", paused: str | None = None) -> Schedule:
    return Schedule(
        id=sid, guild_id=1, channel_id=2, cron=cron, timezone="UTC", created_at=CREATED, paused_reason=paused
    )


async def _run(_: int = 0) -> None:
    return None


async def test_sync_adds_changes_and_drops_digest_jobs_as_the_database_says() -> None:
    jobs = DeskScheduler(grace=timedelta(minutes=60))
    jobs.start()  # before start, APScheduler keeps a replaced job pending beside the old one
    jobs.sync_digests([_schedule(1), _schedule(2)], _run)
    assert {digest_job_id(1), digest_job_id(2)} <= set(jobs.job_ids())
    first = jobs.scheduler.get_job(digest_job_id(1))
    jobs.sync_digests([_schedule(1), _schedule(2, "30 7 * * 1-5")], _run)
    assert jobs.scheduler.get_job(digest_job_id(1)) is first  # unchanged: left alone
    assert "day_of_week='mon,tue,wed,thu,fri'" in str(jobs.scheduler.get_job(digest_job_id(2)).trigger)
    jobs.sync_digests([_schedule(1, paused="403"), _schedule(3, "not cron")], _run)  # paused, removed, bad
    assert not [j for j in jobs.job_ids() if j.startswith("digest:")]
    jobs.shutdown()


async def test_a_follower_runs_no_digest_or_leader_only_job_but_knows_the_next_run() -> None:
    jobs = DeskScheduler(grace=timedelta(minutes=60))
    jobs.add_interval("drop-folder", _run, 30, now=True, leader_only=True)
    jobs.add_interval("digest-recovery", _run, 300, now=False)
    jobs.add_digest(_schedule(1), _run)
    jobs.follow()
    assert set(jobs.job_ids()) == {"digest-recovery"}
    jobs.add_digest(_schedule(2), _run)  # a /schedule command answered on a follower
    jobs.add_interval("feeds", _run, 60, now=True, leader_only=True)
    assert set(jobs.job_ids()) == {"digest-recovery"}
    nxt = jobs.next_run(2)
    assert nxt is not None and (nxt.hour, nxt.minute) == (9, 0) and nxt > datetime.now(UTC)
    jobs.lead()
    assert set(jobs.job_ids()) == {"digest-recovery", "drop-folder", "feeds"}
    jobs.sync_digests([_schedule(2)], _run)
    assert digest_job_id(2) in jobs.job_ids()


async def test_stop_waits_for_a_cancelled_job_to_unwind() -> None:
    """A job cancelled mid-work still has cleanup to await (a query's connection being closed):
    stop() returns only after it is done, so nothing is closed under it."""
    started, unwound = asyncio.Event(), asyncio.Event()

    async def slow_job() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        finally:
            await asyncio.sleep(0.2)  # cleanup that itself takes a while
            unwound.set()

    jobs = DeskScheduler(grace=timedelta(minutes=60))
    jobs.start()
    jobs.add_interval("slow", slow_job, 60, now=True)
    await asyncio.wait_for(started.wait(), 5)
    await jobs.stop()
    assert unwound.is_set()
    assert not jobs.running


async def test_stop_gives_up_on_a_job_that_does_not_unwind(caplog: pytest.LogCaptureFixture) -> None:
    """Bounded: a job that ignores its cancellation does not hold the stop for ever."""
    started, release = asyncio.Event(), asyncio.Event()

    async def stubborn_job() -> None:
        started.set()
        while not release.is_set():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(0.02)

    jobs = DeskScheduler(grace=timedelta(minutes=60))
    jobs.start()
    jobs.add_interval("stubborn", stubborn_job, 60, now=True)
    await asyncio.wait_for(started.wait(), 5)
    await asyncio.wait_for(jobs.stop(timeout=0.3), 5)
    assert "1 job(s) still unwinding" in caplog.text
    (task,) = jobs._running
    release.set()
    await asyncio.wait_for(task, 5)
