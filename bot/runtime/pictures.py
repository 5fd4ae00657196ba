"""Coverage pictures without slowing the answers around them: drawn in a worker process at low
priority, and added to answers (an upload and an edit) only while no interaction waits for its
first response.

Why a process and not a thread: drawing is ~100-150 ms of Python holding the GIL. In a thread, the
event loop has to win the GIL back at every release (each socket read or write, each select), so an
interaction arriving meanwhile was answered 2-5x slower (measured with bench/bench_discord.py: the
/story answers fired while the previous one's picture was drawn were its p95). A process competes
only for a core, and at a lower priority than the bot.
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
    """Draws story pictures in one worker process, in a thread when `in_process` or when workers
    keep dying. The worker starts on the first picture (~1 s of imports, at its low priority) and
    stops after `idle_seconds` without one: it holds ~100 MB that a bot nobody reads should not."""

    def __init__(self, *, in_process: bool = False, idle_seconds: float = 300.0) -> None:
        self.in_process = in_process
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
    waits for its first response and none arrived in the last `quiet` seconds, but never longer
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
        if not interaction.response.is_done():
            self._waiting[interaction.id] = (now, interaction)

    def busy(self) -> bool:
        """Whether an interaction is waiting for its first response, or one arrived just now."""
        now = self.clock()
        for key, (seen, interaction) in list(self._waiting.items()):
            # Past 3 s Discord has given up on it: waiting longer would hold uploads for nothing.
            if interaction.response.is_done() or now - seen > 3.0:
                del self._waiting[key]
        return bool(self._waiting) or now - self._last_seen < self.quiet

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Hold the caller until its turn to upload; the next turn waits for this one to end."""
        deadline = self.clock() + self.max_hold
        async with self._lock:
            while self.busy() and self.clock() < deadline:
                await asyncio.sleep(self.poll)
            yield
