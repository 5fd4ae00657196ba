"""APScheduler 3.x AsyncIOScheduler: the digest, recovery and drop-folder jobs.

Jobs have stable ids and are (re)added with replace_existing=True, coalesce=True (a backlog of
missed runs fires once), max_instances=1 and a misfire grace time. Each job function catches
and logs its own failures, so a failing schedule never takes the scheduler down.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.news import Schedule, UserFacingError
from bot.runtime.cron import crontab_trigger, next_fire

log = logging.getLogger(__name__)

DROP_FOLDER_JOB = "drop-folder"
RECOVERY_JOB = "digest-recovery"
RECOVERY_MINUTES = 5
COORDINATION_JOB = "coordination"
STOP_SECONDS = 5.0  # how long a stop waits for cancelled jobs to unwind


def digest_job_id(schedule_id: int) -> str:
    return f"digest:{schedule_id}"


def guarded(
    job_id: str, func: Callable[..., Awaitable[Any]], running: set[asyncio.Task[Any]] | None = None
) -> Callable[..., Awaitable[None]]:
    """The job as the scheduler runs it: a failure is logged under the job's id and goes no
    further; cancellation at shutdown (the executor cancels running jobs) is not a failure.
    While it runs, its task is in `running` (so a shutdown can wait for it to unwind)."""

    @functools.wraps(func)
    async def run(*args: Any, **kwargs: Any) -> None:
        task = asyncio.current_task()
        if running is not None and task is not None:
            running.add(task)
        try:
            await func(*args, **kwargs)
        except asyncio.CancelledError:
            log.info("job %s stopped by shutdown", job_id)
        except Exception:
            log.exception("job %s failed", job_id)
        finally:
            if running is not None and task is not None:
                running.discard(task)

    return run


class DeskScheduler:
    """The bot's one scheduler and the jobs on it."""

    def __init__(self, grace: timedelta) -> None:
        self.grace = grace
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        # Digest jobs run only on the scheduler leader (always, unsharded). A follower keeps the
        # triggers it was given, to answer next_run(); the leader picks schedules up from the database.
        self.leading = True
        self._followed: dict[int, CronTrigger] = {}
        self._specs: dict[int, tuple[str, str]] = {}  # schedule id -> (cron, timezone) of its job
        # Interval jobs one process must run for all (the drop folder, feed polling): the leader's.
        self._leader_jobs: dict[str, tuple[Callable[[], Awaitable[Any]], float]] = {}
        self._running: set[asyncio.Task[Any]] = set()  # the jobs' tasks while they run

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    def start(self) -> None:
        """Start on the running event loop."""
        if not self.scheduler.running:
            self.scheduler.start()

    def shutdown(self) -> None:
        """Stop firing jobs; running ones are cancelled (not waited for: see `stop`)."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def stop(self, timeout: float = STOP_SECONDS) -> None:
        """`shutdown`, then wait (bounded) until the cancelled jobs have unwound.

        A job cancelled in the middle of a query has its connection closed by SQLAlchemy in a
        task of its own; the database must not be disposed, nor the event loop closed, under it
        (aiosqlite's close can then wait forever, and with it the process's exit)."""
        self.shutdown()
        running = set(self._running)
        if not running:
            return
        _, late = await asyncio.wait(running, timeout=timeout)
        if late:
            log.warning("%d job(s) still unwinding after %.0f s; stopping without them", len(late), timeout)

    def _add(self, func: Callable[..., Awaitable[Any]], trigger: Any, job_id: str, **kw: Any) -> None:
        self.scheduler.add_job(
            guarded(job_id, func, self._running),
            trigger=trigger,
            id=job_id,
            name=job_id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(self.grace.total_seconds()),
            **kw,
        )

    def add_digest(self, schedule: Schedule, run: Callable[[int], Awaitable[None]]) -> None:
        """(Re)register a schedule's job: `run(schedule_id)` at each cron fire time."""
        trigger = crontab_trigger(schedule.cron, schedule.timezone)
        if not self.leading:
            self._followed[schedule.id] = trigger
            return
        self._add(run, trigger, digest_job_id(schedule.id), args=[schedule.id])
        self._specs[schedule.id] = (schedule.cron, schedule.timezone)

    def remove_digest(self, schedule_id: int) -> None:
        self._followed.pop(schedule_id, None)
        self._specs.pop(schedule_id, None)
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(digest_job_id(schedule_id))

    def sync_digests(self, schedules: Iterable[Schedule], run: Callable[[int], Awaitable[None]]) -> None:
        """Make the digest jobs match the active schedules (added, changed, removed elsewhere).

        Another process may have added, edited or paused a schedule: the leader calls this every
        few seconds. A job whose cron and timezone are unchanged is left alone (re-adding it would
        move its next run).
        """
        active = {s.id: s for s in schedules if not s.paused}
        for schedule_id in set(self._specs) - set(active):
            self.remove_digest(schedule_id)
        for schedule in active.values():
            if self._specs.get(schedule.id) != (schedule.cron, schedule.timezone):
                try:
                    self.add_digest(schedule, run)
                except UserFacingError as e:
                    log.warning("schedule %d cannot run: %s", schedule.id, e)

    def follow(self) -> None:
        """Stop running digest and leader-only jobs: another process leads the scheduler."""
        for schedule_id in list(self._specs):
            self.remove_digest(schedule_id)
        for job_id in self._leader_jobs:
            self.remove_job(job_id)
        self.leading = False

    def lead(self) -> None:
        """Run the leader-only jobs, and digest jobs from now on (the caller adds them: sync_digests)."""
        self._followed.clear()
        self.leading = True
        for job_id, (run, seconds) in self._leader_jobs.items():
            self.add_interval(job_id, run, seconds, now=True)

    def add_interval(
        self,
        job_id: str,
        run: Callable[[], Awaitable[Any]],
        seconds: float,
        *,
        now: bool,
        leader_only: bool = False,
    ) -> None:
        """An interval job (drop folder, recovery); `now` also runs it right away. A `leader_only`
        job runs only while this process leads (always, unsharded)."""
        if leader_only:
            self._leader_jobs[job_id] = (run, seconds)
            if not self.leading:
                return
        extra: dict[str, Any] = {"next_run_time": datetime.now(UTC)} if now else {}
        self._add(run, "interval", job_id, seconds=seconds, **extra)

    def remove_job(self, job_id: str) -> None:
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(job_id)

    def next_run(self, schedule_id: int) -> datetime | None:
        job = self.scheduler.get_job(digest_job_id(schedule_id))
        if job is None and schedule_id in self._followed:  # the leader runs it: when it will
            return next_fire(self._followed[schedule_id], datetime.now(UTC))
        # A job added before start() is pending and has no next_run_time yet.
        return getattr(job, "next_run_time", None) if job is not None else None

    def run_soon(self, job_id: str) -> None:
        """Run a job at once (its trigger stays as it is): tests and `/schedule resume` use this."""
        job = self.scheduler.get_job(job_id)
        if job is None:
            raise LookupError(job_id)
        job.modify(next_run_time=datetime.now(UTC))
        self.scheduler.wakeup()

    def job_ids(self) -> list[str]:
        return [job.id for job in self.scheduler.get_jobs()]
