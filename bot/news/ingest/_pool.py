"""Reading files (parse, clean, quotes) in worker processes sized to the cores.

Cleaning and quote extraction are pure CPU work on one file at a time: worker processes do them
in parallel while the one ordered writer (storing and clustering) runs in the ingesting process.
Results come back in the order files were handed in, so the stories are those of a one-process
run. A worker that dies (killed, out of memory, a crash in a C parser) costs no article: its
files, and every file queued behind it, are read again in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import cast

from bot.news.ingest import _worker_start
from bot.news.ingest._dropfolder import FileResult, IncomingArticle, with_items
from bot.news.ingest._frames import unpack_item
from bot.news.ingest._processes import WorkerDied, WorkerPool
from bot.news.ingest._worker import (
    PickledResult,
    give_back_memory,
    read_streamed,
    read_with_quotes,
)
from bot.news.settings import ClusteringSettings

log = logging.getLogger(__name__)

# After this many broken pools, the reader stops starting new ones and reads in-process.
_MAX_POOL_FAILURES = 3

# A pool with no file to read for this long is stopped. Within a run the pool always has one:
# a new file is handed in each time the writer takes one, and reading a file (a worker's ~5 ms an
# article) takes longer than storing one (the writer's ~3 ms), so the pool is idle only once
# every file of the run has been read (or while the writer is held up for longer: it restarts).
_IDLE_SECONDS = 1.0

# Articles the writer takes at a time, at least, while a file is still being read. Taking a file's
# articles as workers hand them on, rather than once its last one is read, keeps the writer's
# backlog small: at the end of a run it no longer stores a whole file (500 articles: ~1.7 s) on
# one core while the other idles. A few dozen at a time keep its transactions and its trips to the
# clusterer's thread as few as a whole file's would make (they are batched by `_BATCH_ARTICLES`).
_PIECE = 32


# Worker processes when the setting is unset: reading an article (parse, clean, quotes, features:
# ~7 ms of CPU) costs about twice what the one ordered writer spends on it (~3.5 ms), so two
# workers keep pace with the writer; more only add memory (~80 MB each) while the writer sets the
# pace, and the two fit the 400 MB budget with the ingesting process (bench/bench_ingest.py).
_DEFAULT_WORKERS = 2

# With the setting unset, a run reads in worker processes only from this many bytes of files on
# (~200 JSON Lines articles, ~1.5 s of reading): starting two workers costs ~0.7 s of CPU.
_POOL_WORTH_BYTES = 1_000_000


def default_workers() -> int:
    """The pool size when none is set: two workers from two cores on (beside the writer), none on
    one core, where a pool would only add memory."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return 0 if cores < 2 else _DEFAULT_WORKERS


def _new_pool(workers: int) -> WorkerPool:
    # New interpreters, not forks: forking a process that runs an event loop and database threads
    # is unsafe, and a worker is a direct child, so it can tell when its parent dies. Each runs
    # `_worker_start.py` by path: a worker imports only what reading needs.
    return WorkerPool(workers, Path(_worker_start.__file__))


class PendingRead:
    """A file being read: its articles as workers hand them on (`pieces`), or all at once (`result`).

    Items come from the pool's thread packed (`_frames.pack_item`) and stay bytes until the writer
    takes them. A file read in this process (no pool, or its worker died) comes whole; after a
    death its first articles are those the worker handed on before it (the same reading), so only
    the rest are new.
    """

    def __init__(self) -> None:
        self.task: asyncio.Task[FileResult | PickledResult]  # set by `FileReader.start`
        self.file: FileResult | None = None  # once `pieces` is done: the file's result, no items
        self._arrived: deque[bytes] = deque()  # handed on by a worker, not yet taken
        self._streamed = 0  # how many a worker handed on (written by the pool's thread only)
        self._wake = asyncio.Event()

    def receiver(self, loop: asyncio.AbstractEventLoop) -> Callable[[bytes], None]:
        """What the pool calls (in its thread) with each article a worker hands on."""

        def arrive(packed: bytes) -> None:
            self._arrived.append(packed)  # deque appends and pops are thread-safe
            self._streamed += 1
            if self._streamed % _PIECE == 0:  # a piece's worth: wake the writer, not at every one
                loop.call_soon_threadsafe(self._wake.set)

        return arrive

    async def pieces(self) -> AsyncIterator[list[IncomingArticle]]:
        """The file's articles in order, at least `_PIECE` at a time while it is being read; then
        `self.file` holds its FileResult (rejections; items not kept). When the file is refused
        as a whole after articles were handed on (a reading that failed partway: see
        `stream_file`; a JSON Lines file fails a line at a time instead), the rest are dropped."""
        give_back_memory()  # the writer is done with the previous file: give its pages back
        while not self.task.done():
            if len(self._arrived) >= _PIECE:
                yield self._take()
                continue
            self._wake.clear()
            woken = asyncio.ensure_future(self._wake.wait())
            await asyncio.wait({self.task, woken}, return_when=asyncio.FIRST_COMPLETED)
            woken.cancel()
        done = self.task.result()
        if isinstance(done, FileResult):  # read here: past what a worker had handed on
            rest = done.items[self._streamed :]
            done.items = []
        else:
            done, rest = done[0], []
        left = self._take() + rest
        self.file = with_items(done, left)  # none when the file was refused as a whole
        if self.file.items:
            yield self.file.items
        elif self._streamed and left:
            log.warning("%s failed partway through; its articles read before that are kept", done.path)
        self.file.items = []

    async def result(self) -> FileResult:
        """The file's FileResult with all its articles (reading never raises)."""
        items = [item async for piece in self.pieces() for item in piece]
        assert self.file is not None
        return with_items(self.file, items)

    def cancel(self) -> None:
        """Stop reading (a failed or cancelled run)."""
        self.task.cancel()

    def _take(self) -> list[IncomingArticle]:
        taken: list[IncomingArticle] = []
        while self._arrived:
            taken.append(unpack_item(self._arrived.popleft()))
        return taken


class FileReader:
    """Reads files for the Ingestor: in a process pool of `workers`, or in a thread when 0.

    The pool starts on first use and stops once it has had nothing to read for a second (and at
    `close()`, when the desk closes): the end of a run, as the writer stores the last files read
    ahead, which is when the ingesting process holds the most (the clusterer's index at its
    largest), so the workers' memory (~60 MB each) is not held beside it; nor is it held by a bot
    between runs. A pool restarts for the next run (~0.4 s of CPU a worker). `workers=None`: the
    default size (`default_workers`), and a pool is started only for a run worth it.
    """

    def __init__(
        self, workers: int | None, max_bytes: int, clustering: ClusteringSettings | None = None
    ) -> None:
        self.auto = workers is None
        self.workers = default_workers() if workers is None else workers
        self.max_bytes = max_bytes
        self.clustering = clustering  # given: the clustering features are computed with the reading
        self._pool: WorkerPool | None = None
        self._failures = 0
        self._reads = 0  # files being read by the pool
        self._idle: asyncio.TimerHandle | None = None  # the pool's stop, once it has nothing to read
        self._stopping: list[WorkerPool] = []  # pools stopped while idle, for `close` to wait on

    @property
    def pooled(self) -> bool:
        """Whether files are (still) read in worker processes."""
        return self.workers > 0 and self._failures < _MAX_POOL_FAILURES

    @property
    def lookahead(self) -> int:
        """Files read ahead of the writer: enough to keep every worker busy (one file in hand each,
        one more done and waiting), few enough to bound memory (a 500-article file waits as ~4 MB)."""
        return self.workers + 1 if self.pooled else 0

    def worth_a_pool(self, paths: Sequence[Path]) -> bool:
        """Whether a run reading these files should start the worker processes (a running pool is
        used all the same): two files at least, and when the size was not set, enough bytes to
        pay for starting them (a bot ingesting a few pages keeps no idle processes)."""
        if not self.pooled or len(paths) < 2:
            return False
        if not self.auto or self._pool is not None:
            return True
        total = 0
        for path in paths:
            with contextlib.suppress(OSError):  # gone already: its reading says so
                total += path.stat().st_size
            if total >= _POOL_WORTH_BYTES:
                return True
        return False

    def start(self, ref_path: str, path: Path, *, alone: bool = False) -> PendingRead:
        """Begin reading a file.

        `alone`: no pool is started for it (a run not `worth_a_pool`; one that is running is used)."""
        pending = PendingRead()
        on_item = pending.receiver(asyncio.get_running_loop())
        pending.task = asyncio.ensure_future(self._read(ref_path, path, alone, on_item))
        return pending

    async def _read(
        self, ref_path: str, path: Path, alone: bool, on_item: Callable[[bytes], None]
    ) -> FileResult | PickledResult:
        """Read one file, in a worker process when there is a pool (its articles handed to
        `on_item` as they come), else in a thread."""
        pool = self._pool if alone else self._executor()
        if pool is not None:
            self._reads += 1
            if self._idle is not None:
                self._idle.cancel()
            loop = asyncio.get_running_loop()
            try:
                # A generator: its articles come one by one, packed (see `_frames.py`).
                streamed = pool.submit_streaming(
                    on_item, read_streamed, ref_path, path, self.max_bytes, self.clustering
                )
                return cast(PickledResult, await asyncio.wrap_future(streamed))
            except WorkerDied:
                self._broken(pool)
            finally:
                self._reads -= 1
                if not self._reads:
                    self._idle = loop.call_later(_IDLE_SECONDS, self._stop_idle)
        # Off the event loop all the same: the bot keeps answering while this runs.
        return await asyncio.to_thread(read_with_quotes, ref_path, path, self.max_bytes, self.clustering)

    def _executor(self) -> WorkerPool | None:
        if not self.pooled:
            return None
        if self._pool is None:
            try:
                self._pool = _new_pool(self.workers)
            except (OSError, ValueError) as e:  # no interpreter to start (an embedded Python)
                log.warning("cannot start ingest worker processes (%s); reading in-process", e)
                self._failures = _MAX_POOL_FAILURES
                return None
        return self._pool

    def _broken(self, pool: WorkerPool) -> None:
        """A worker died: this pool is done; its files are read in-process, later ones by a new pool."""
        if pool is self._pool:
            self._failures += 1
            self._pool = None
            log.warning(
                "an ingest worker process died; its files are read in-process%s",
                "" if self.pooled else " from now on",
            )
        pool.shutdown(wait=False, cancel_futures=True)

    def _stop_idle(self) -> None:
        """Nothing to read for `_IDLE_SECONDS`: stop the workers (they exit at once: none is busy)."""
        self._idle = None
        if self._reads or self._pool is None:
            return
        pool, self._pool = self._pool, None
        pool.shutdown(wait=False)
        self._stopping.append(pool)

    async def close(self) -> None:
        """Stop the worker processes and wait for them to exit (queued files are dropped)."""
        if self._idle is not None:
            self._idle.cancel()
        pools, self._stopping = self._stopping, []
        pool, self._pool = self._pool, None
        for each in [*pools, *([pool] if pool is not None else [])]:
            # In a thread: a worker finishes the file in hand first, and the loop keeps answering.
            await asyncio.to_thread(each.shutdown, wait=True, cancel_futures=True)
