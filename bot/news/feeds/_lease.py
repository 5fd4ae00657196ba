"""Who polls: a worker's identity and lease, and the heartbeat that keeps its claims alive.

Every polling process claims the feeds it polls (see `FeedClaims`), the bot's own feed job as
well as `storydesk work` processes, so they can run side by side and never poll one feed twice
at once. A claim lasts `lease_seconds`; while a round runs, its claims are renewed every third of
that, so only a worker that died (or hangs for a whole lease) loses its feeds to another.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.news.store import FeedRepo

log = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 300.0


def default_worker_id() -> str:
    """`host:pid`: unique among live processes, and says where to look when a claim lingers."""
    return f"{socket.gethostname()}:{os.getpid()}"


def dead_on_this_host(worker_ids: set[str]) -> list[str]:
    """The `host:pid` workers of this host whose process no longer runs.

    A killed process's claims would otherwise hold its feeds for a whole lease (five minutes by
    default): on one machine, the usual case, a restarted `poll` or bot would find nothing to poll.
    Only ids of this host's form are judged; a pid taken again by another process reads as alive,
    which only means waiting for the lease as before. Hosts sharing a name and not a pid namespace
    (containers given one hostname) should name their workers (`[workers] id`)."""
    host = socket.gethostname()
    dead = []
    for wid in worker_ids:
        name, _, pid = wid.rpartition(":")
        if name != host or not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            dead.append(wid)
        except OSError:  # it exists, owned by someone else
            continue
    return sorted(dead)


@dataclass(frozen=True)
class FeedWorker:
    """A polling process as the claims know it."""

    id: str = field(default_factory=default_worker_id)
    lease_seconds: float = DEFAULT_LEASE_SECONDS


class Heartbeat:
    """Renews a worker's claims on the feeds it is still polling, until stopped."""

    def __init__(self, repo: FeedRepo, worker: FeedWorker, clock: Callable[[], datetime]) -> None:
        self.repo = repo
        self.worker = worker
        self.clock = clock
        self.held: set[int] = set()

    def _until(self) -> datetime:
        return self.clock() + timedelta(seconds=self.worker.lease_seconds)

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.worker.lease_seconds / 3)
            if not self.held:
                continue
            try:
                kept = await self.repo.renew(self.worker.id, sorted(self.held), self._until())
            except Exception:  # a database hiccup: the next beat tries again, well within the lease
                log.warning("renewing feed claims of %s failed", self.worker.id, exc_info=True)
                continue
            lost = self.held - kept
            if lost:  # another worker took them after our lease ran out: it polls them now
                log.warning("worker %s lost its claim on feeds %s", self.worker.id, sorted(lost))

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[Heartbeat]:
        task = asyncio.create_task(self._beat(), name=f"feed-claims-{self.worker.id}")
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
