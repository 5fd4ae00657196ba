"""Many bot processes, one scheduler leader: who fires digests, and who posts them.

Every few seconds each sharded process (1) asks for the leader lock, a PostgreSQL session advisory
lock that is freed when its holder dies, (2) if it leads, brings the digest jobs in line with the
schedules in the database, and (3) takes and posts the due fire times of its own servers.

The leader's digest job records a fire time for another process's server as a 'due' ledger row
and posts its own servers' at once. Exactly-once does not depend on there being one leader: the
ledger's unique (schedule, fire time) row and its atomic due -> claimed step decide, so even two
processes that both believe they lead (a lock connection lost for a moment) post nothing twice.
"""

from __future__ import annotations

import asyncio
import logging

from bot.news import LeaderLock
from bot.runtime.context import DeskBot
from bot.runtime.jobs._digests import DigestPoster

log = logging.getLogger(__name__)


class SchedulerLeadership:
    """The coordination job of a sharded process."""

    def __init__(self, bot: DeskBot, digests: DigestPoster, lock: LeaderLock) -> None:
        self.bot = bot
        self.digests = digests
        self.lock = lock
        self._lock = asyncio.Lock()  # one round at a time (the job, and tests calling it)
        self._catch_up: asyncio.Task[None] | None = None

    @property
    def leading(self) -> bool:
        return self.bot.jobs.leading

    async def run_job(self) -> None:
        """The scheduler's job: logs, never raises."""
        try:
            await self.tick()
        except Exception:
            log.exception("scheduler coordination failed")

    async def tick(self) -> None:
        """One round: leadership, then digest jobs (leader), then this process's due digests."""
        async with self._lock:
            leads = await self.lock.try_acquire()
            if leads and not self.leading:
                self._take_over()
            elif not leads and self.leading:
                log.warning("this process no longer leads the scheduler; another one does")
                self.bot.jobs.follow()
            if self.leading:
                schedules = await self.bot.desk.schedules.all()
                self.bot.jobs.sync_digests(schedules, self.digests.run_job)
            await self.digests.post_due()

    def _take_over(self) -> None:
        log.info("this process now leads the scheduler (%s)", self.bot.shard_plan.describe())
        self.bot.jobs.lead()  # the leader-only jobs: drop folder, feed polling
        # Fire times missed while nobody led (the old leader died between two fires) are recorded
        # now if within grace; the ledger keeps any already recorded from doubling. Run beside the
        # rounds, not in one: a post Discord is slow to answer must not hold up the next rounds.
        if self._catch_up is None or self._catch_up.done():
            self._catch_up = asyncio.create_task(self._run_catch_up(), name="storydesk-catch-up")

    async def _run_catch_up(self) -> None:
        try:
            await self.digests.recover_and_catch_up()
        except Exception:
            log.exception("catching up missed digests failed")

    async def close(self) -> None:
        if self._catch_up is not None and not self._catch_up.done():
            self._catch_up.cancel()
            # Unwound before the lock's connection goes (see DeskScheduler.stop); bounded.
            await asyncio.wait({self._catch_up}, timeout=5.0)
        await self.lock.release()
