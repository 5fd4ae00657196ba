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
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.news import Schedule
from bot.runtime.cron import crontab_trigger

log = logging.getLogger(__name__)

DROP_FOLDER_JOB = "drop-folder"
RECOVERY_JOB = "digest-recovery"
RECOVERY_MINUTES = 5


def digest_job_id(schedule_id: int) -> str:
    return f"digest:{schedule_id}"


def guarded(job_id: str, func: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[None]]:
    """The job as the scheduler runs it: a failure is logged under the job's id and goes no
    further; cancellation at shutdown (the executor cancels running jobs) is not a failure."""

    @functools.wraps(func)
    async def run(*args: Any, **kwargs: Any) -> None:
        try:
            await func(*args, **kwargs)
        except asyncio.CancelledError:
            log.info("job %s stopped by shutdown", job_id)
        except Exception:
            log.exception("job %s failed", job_id)

    return run


class DeskScheduler:
    """The bot's one scheduler and the jobs on it."""

    def __init__(self, grace: timedelta) -> None:
        self.grace = grace
        self.scheduler = AsyncIOScheduler(timezone=UTC)

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    def start(self) -> None:
        """Start on the running event loop."""
        if not self.scheduler.running:
            self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def _add(self, func: Callable[..., Awaitable[Any]], trigger: Any, job_id: str, **kw: Any) -> None:
        self.scheduler.add_job(
            guarded(job_id, func),
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
        self._add(run, trigger, digest_job_id(schedule.id), args=[schedule.id])

    def remove_digest(self, schedule_id: int) -> None:
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(digest_job_id(schedule_id))

    def add_interval(
        self, job_id: str, run: Callable[[], Awaitable[Any]], seconds: float, *, now: bool
    ) -> None:
        """An interval job (drop folder, recovery); `now` also runs it right away."""
        extra: dict[str, Any] = {"next_run_time": datetime.now(UTC)} if now else {}
        self._add(run, "interval", job_id, seconds=seconds, **extra)

    def next_run(self, schedule_id: int) -> datetime | None:
        job = self.scheduler.get_job(digest_job_id(schedule_id))
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
