"""DeskScheduler under leadership: digest and leader-only jobs follow the lead; schedules sync in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
