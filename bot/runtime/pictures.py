"""Coverage pictures without slowing the answers around them: added to answers (an upload and
an edit) only while no interaction waits for its first response, one at a time; drawn off the loop.

What slowed /story's p95 (bench/bench_discord.py fires commands back to back): the picture drawn
right after the first card (answers arriving meanwhile took 2-3x longer: 15-23 ms instead of 5-8),
then every card sent before it was drawn got its picture by an edit, all at once, a burst of ~10
multipart uploads that delayed the next command's answer by tens of ms. Now a picture is drawn
only once no interaction is waiting (or 2 s later at the latest), and the edits go one at a time
into the gaps between answers (QuietGate).

Drawing stays in a thread by default: ~100 ms of CPU, two thirds of it in Pillow's PNG encoder,
which releases the GIL. A worker process (`worker_process=True`) keeps all of it off the bot's GIL,
at a lower priority, but costs ~1 s of CPU to start (its imports, on the same 2 cores as the
answers) and ~120 MB of RSS while it lives (one interleaved trace of 30 back-to-back /story on a
loaded host: p95 98 ms with the worker, 72 ms with the thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import time
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import discord

from bot.news import StoredArticle, Story, story_png
from bot.runtime._picture_worker import start_worker

log = logging.getLogger(__name__)

_MAX_POOL_FAILURES = 3  # after this many dead workers, pictures are drawn in a thread


class PictureDrawer:
    """Draws story pictures in a thread, or with `worker_process` in one worker process (in a
    thread all the same when workers keep dying). The worker starts on the first picture (~1 s of
    imports, at its low priority) and stops after `idle_seconds` without one: it holds ~120 MB
    that a bot nobody reads should not."""

    def __init__(self, *, worker_process: bool = False, idle_seconds: float = 300.0) -> None:
        self.in_process = not worker_process
        self.idle_seconds = idle_seconds
        self._pool: ProcessPoolExecutor | None = None
        self._failures = 0
        self._drawing = 0
        self._idle: asyncio.TimerHandle | None = None

    def start(self) -> None:
        """Start the worker now rather than on the first picture."""
        pool = self._executor()
        if pool is not None:
            pool.submit(os.getpid)  # the pool spawns its worker on the first task

    @property
    def worker_pids(self) -> list[int]:
        """The worker's process id (empty when drawing in a thread or stopped)."""
        processes = (self._pool._processes or {}) if self._pool else {}
        return [p.pid for p in processes.values() if p.pid is not None]

    async def draw(self, story: Story, articles: Sequence[StoredArticle]) -> bytes:
        """The story's coverage PNG; raises what drawing raised."""
        if self._idle is not None:
            self._idle.cancel()
        self._drawing += 1
        try:
            pool = self._executor()
            if pool is not None:
                try:
                    loop = asyncio.get_running_loop()
                    return await loop.run_in_executor(pool, story_png, story, list(articles))
                except BrokenProcessPool:
                    self._broken(pool)
            return await asyncio.to_thread(story_png, story, articles)
        finally:
            self._drawing -= 1
            if self._pool is not None:
                self._idle = asyncio.get_running_loop().call_later(self.idle_seconds, self._stop_if_idle)

    def _stop_if_idle(self) -> None:
        if not self._drawing:
            self.close()

    def close(self) -> None:
        """Stop the worker (a later picture starts a new one)."""
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor | None:
        if self.in_process or self._failures >= _MAX_POOL_FAILURES:
            return None
        if self._pool is None:
            try:
                # Spawned, not forked: forking a process that runs an event loop and threads is unsafe.
                self._pool = ProcessPoolExecutor(
                    1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=start_worker,
                    initargs=(os.getpid(),),
                )
            except (OSError, ValueError, NotImplementedError) as e:  # no semaphores, no /dev/shm
                log.warning("cannot start the picture worker (%s); drawing in a thread", e)
                self._failures = _MAX_POOL_FAILURES
                return None
        return self._pool

    def _broken(self, pool: ProcessPoolExecutor) -> None:
        if pool is self._pool:
            self._failures += 1
            self._pool = None
            log.warning("the picture worker died; this picture is drawn in a thread")
        pool.shutdown(wait=False, cancel_futures=True)


class QuietGate:
    """Turns for uploads that follow answers: one at a time, each waiting until no interaction
    waits for its first response and none arrived or was answered in the last `quiet` seconds
    (the poll sees an answer up to `poll` late), but never longer
    than `max_hold` seconds after it asked (a picture is late, never lost)."""

    def __init__(
        self,
        *,
        quiet: float = 0.05,
        max_hold: float = 2.0,
        poll: float = 0.01,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet, self.max_hold, self.poll, self.clock = quiet, max_hold, poll, clock
        self._waiting: dict[int, tuple[float, discord.Interaction[Any]]] = {}
        self._last_seen = float("-inf")
        self._lock = asyncio.Lock()

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """The client's `on_interaction` listener: an interaction arrived."""
        self.saw(interaction)

    def saw(self, interaction: discord.Interaction[Any]) -> None:
        now = self.clock()
        self._last_seen = now
        self._prune(now)  # here too: answered interactions are not kept while no upload asks
        if not interaction.response.is_done():
            self._waiting[interaction.id] = (now, interaction)

    def busy(self) -> bool:
        """Whether an interaction is waiting for its first response, or one arrived just now."""
        now = self.clock()
        self._prune(now)
        return bool(self._waiting) or now - self._last_seen < self.quiet

    def _prune(self, now: float) -> None:
        for key, (seen, interaction) in list(self._waiting.items()):
            # Past 3 s Discord has given up on it: waiting longer would hold uploads for nothing.
            if interaction.response.is_done() or now - seen > 3.0:
                del self._waiting[key]
                # The quiet window runs from the last answer too: right after a slow answer, the
                # next command is as likely as right after an arrival.
                self._last_seen = now

    async def until_quiet(self, deadline: float | None = None) -> None:
        """Return once nothing is busy (see `busy`), or at `deadline` (default: `max_hold` from now)."""
        deadline = self.clock() + self.max_hold if deadline is None else deadline
        while self.busy() and self.clock() < deadline:
            await asyncio.sleep(self.poll)

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Hold the caller until its turn to upload; the next turn waits for this one to end."""
        deadline = self.clock() + self.max_hold
        async with self._lock:
            await self.until_quiet(deadline)
            yield
