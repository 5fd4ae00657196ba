"""Ingestion: read incoming articles, store them once, and place each in a story."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

# IngestReport and content_hash are re-exported: the face imports them from here.
from bot.news.ingest._batches import BatchWriter
from bot.news.ingest._batches import IngestReport as IngestReport
from bot.news.ingest._batches import content_hash as content_hash
from bot.news.ingest._dropfolder import (
    FileResult,
    IncomingArticle,
    Rejection,
    iter_files,
    set_aside,
)
from bot.news.ingest._pool import FileReader, PendingRead
from bot.news.ingest._worker import add_quotes
from bot.news.settings import IngestSettings
from bot.news.store import Store
from bot.news.stories import StoryKeeper

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]


# New articles stored and placed in one transaction, at most. Bounded: on SQLite other writers
# (the bot's own bookkeeping) wait for its commit, and placing costs a few ms of CPU per article.
# Each call starts with one article and doubles, so a kill early in a run loses little work.
_BATCH_ARTICLES = 32

# Undated articles held back until the end of a batch, at most (a bound on memory).
_DEFER_AT_MOST = 2000


def without_nul(item: IncomingArticle) -> IncomingArticle:
    """The item with every U+0000 removed: no database keeps it (PostgreSQL refuses it in text),
    and it carries no meaning. Sources reject records holding one; this is the last guard."""
    a = item.article
    if not any(
        f and "\x00" in f for f in (item.ref, a.title, a.outlet, a.url, a.language, a.text, *a.byline)
    ):
        return item

    def clean(value: str | None) -> str | None:
        return value.replace("\x00", "") if value else value

    article = a.model_copy(
        update={
            "title": clean(a.title),
            "outlet": clean(a.outlet),
            "url": clean(a.url),
            "language": clean(a.language),
            "text": a.text.replace("\x00", ""),
            "byline": [b.replace("\x00", "") for b in a.byline],
        }
    )
    if a.quotes:
        add_quotes(article)  # their offsets moved with the text
    # No features: they were those of the text with its NULs (the writer computes them again).
    return IncomingArticle(item.ref.replace("\x00", ""), article, item.path)


@dataclass
class _Reading:
    """A file handed to the reader, with its (size, mtime) when it was picked."""

    path: Path
    stat: tuple[int, int] | None
    task: PendingRead


@dataclass
class _Batch:
    """What one `ingest_paths` run carries from file to file."""

    report: IngestReport
    drop_folder: Path | None
    settle_seconds: float
    deferred: list[IncomingArticle] = field(default_factory=list)  # undated, stored last
    unmarked: list[tuple[str, tuple[int, int]]] = field(default_factory=list)  # their files
    stored: bool = False  # whether a piece of the run was stored (the next start at full size)


class Ingestor(BatchWriter):
    """Stores incoming articles exactly once and keeps stories up to date."""

    def __init__(
        self, store: Store, keeper: StoryKeeper, settings: IngestSettings, clock: Callable[[], datetime]
    ) -> None:
        self.store = store
        self.keeper = keeper
        self.settings = settings
        self.clock = clock
        # Cleaning, quotes and the clustering features, in worker processes: `close()` stops them.
        self.reader = FileReader(settings.workers, settings.max_file_bytes, keeper.settings)
        self.lock = asyncio.Lock()  # one writer at a time: clustering is order-sensitive
        self._synced = False  # whether this batch has checked for other processes' articles
        # Files not yet still, by path: the (size, mtime) first seen and when (monotonic seconds).
        self._settling: dict[str, tuple[tuple[int, int], float]] = {}

    async def ingest_paths(
        self,
        paths: Sequence[str],
        *,
        drop_folder: Path | None = None,
        skip_seen: bool = False,
        settle_seconds: float = 0.0,
        progress: ProgressFn | None = None,
    ) -> IngestReport:
        """Ingest files and folders; bad files are reported (and set aside inside `drop_folder`).

        Undated articles are stored after the batch's dated ones: an undated page takes the time of
        the story it shares passages with (see `ClusterDoc.dated`), so that story should be there.
        A file counts as seen only once all its articles are stored. `settle_seconds`: a file is
        read only once it has been still that long (the watcher: it may still be being written).
        """
        report = IngestReport()
        await self.repair()
        files = list(iter_files(list(paths), self.settings.rejected_dir))
        batch = _Batch(report, drop_folder, settle_seconds)
        reading: deque[_Reading] = deque()  # files being read ahead of the writer, in order
        alone = not self.reader.worth_a_pool([path for _, path, problem in files if problem is None])
        try:
            for n, (ref_path, path, problem) in enumerate(files, start=1):
                if progress:
                    progress(n, len(files), ref_path)
                if problem is not None:
                    await self._refuse(ref_path, path, problem, drop_folder, skip_seen, report)
                    continue
                stat = _stat(path)
                if settle_seconds and stat and not self._still(path, stat, settle_seconds):
                    report.waiting += 1
                    continue
                if skip_seen and stat and await self.store.articles.seen_file(_key(path)) == stat:
                    report.skipped_unchanged += 1
                    continue
                reading.append(_Reading(path, stat, self.reader.start(ref_path, path, alone=alone)))
                while len(reading) > self.reader.lookahead:
                    await self._store_file(reading.popleft(), batch)
            while reading:
                await self._store_file(reading.popleft(), batch)
            await self._flush(batch.deferred, batch.unmarked, report)
        finally:
            for left in reading:  # a failed or cancelled run: stop reading what it will not store
                left.task.cancel()
        return report

    async def _store_file(self, reading: _Reading, batch: _Batch) -> None:
        """Store one file's articles (in file order: clustering is order-sensitive), as they are
        read; the watcher's files once read whole (one written to meanwhile waits for the next scan)."""
        path, stat, report = reading.path, reading.stat, batch.report
        if batch.settle_seconds:
            result = await reading.task.result()
            if _stat(path) != stat:
                report.waiting += 1
                return
            undated = await self._store_read(result.items, batch)
        else:
            undated = False
            try:
                async for items in reading.task.pieces():
                    undated = await self._store_read(items, batch) or undated
            finally:  # a failed or cancelled run: stop reading what it will not store
                reading.task.cancel()
            assert reading.task.file is not None
            result = reading.task.file
        report.rejected += result.rejections
        moved = await self._reject(result, path, batch.drop_folder)
        if stat and not moved:  # a file stays seen until it changes, even a rejected one
            if undated:
                batch.unmarked.append((_key(path), stat))
            else:
                await self.store.articles.mark_seen(_key(path), *stat, self.clock())
        if len(batch.deferred) >= _DEFER_AT_MOST:
            await self._flush(batch.deferred, batch.unmarked, report)

    async def _store_read(self, items: list[IncomingArticle], batch: _Batch) -> bool:
        """Store a file's dated articles, defer its undated ones; whether there were any of those."""
        undated = [item for item in items if item.article.published is None]
        dated = [item for item in items if item.article.published is not None]
        if dated:
            first = _BATCH_ARTICLES if batch.stored else 1
            batch.report.add(await self.store_items(dated, first=first))
            batch.stored = True
        batch.deferred.extend(undated)
        return bool(undated)

    async def _refuse(
        self,
        ref_path: str,
        path: Path,
        problem: str,
        drop_folder: Path | None,
        skip_seen: bool,
        report: IngestReport,
    ) -> None:
        """An entry not to be read (a link out of the folder, a loop, a FIFO): rejected once."""
        key, stat = _key(path, follow=False), _stat(path, follow=False)
        if skip_seen and stat and await self.store.articles.seen_file(key) == stat:
            report.skipped_unchanged += 1  # could not be set aside, and was reported before
            return
        rejection = Rejection(ref_path, problem)
        report.rejected.append(rejection)
        if not await self._reject(FileResult(ref_path, [], [rejection]), path, drop_folder) and stat:
            await self.store.articles.mark_seen(key, *stat, self.clock())

    async def _reject(self, result: FileResult, path: Path, drop_folder: Path | None) -> bool:
        """Record a file's rejections; a wholly rejected file inside the drop folder is set aside
        (returns whether it was)."""
        for rejection in result.rejections:
            await self.store.articles.add_rejection(rejection.describe(), rejection.reason, self.clock())
            log.warning("rejected %s", rejection.describe())
        if result.whole_file_rejected and drop_folder is not None:
            reason = result.rejections[0].reason
            return set_aside(path, drop_folder, self.settings.rejected_dir, reason) is not None
        return False

    async def close(self) -> None:
        """Stop the reader's worker processes."""
        await self.reader.close()

    def _still(self, path: Path, stat: tuple[int, int], settle_seconds: float) -> bool:
        """Whether nothing has written to the file for `settle_seconds`.

        By its modification time (a file renamed in keeps its old one, so is read at once); where
        that time is in the future (a clock ahead of ours, a network share), by having seen the
        same size and time `settle_seconds` ago.
        """
        key = _key(path)
        if time.time() - stat[1] / 1e9 >= settle_seconds:
            self._settling.pop(key, None)
            return True
        first = self._settling.get(key)
        now = time.monotonic()
        if first is None or first[0] != stat:
            if len(self._settling) > 10_000:  # files that vanished before they settled
                self._settling.clear()
            self._settling[key] = (stat, now)
            return False
        return now - first[1] >= settle_seconds

    async def _flush(
        self,
        deferred: list[IncomingArticle],
        unmarked: list[tuple[str, tuple[int, int]]],
        report: IngestReport,
    ) -> None:
        """Store the deferred undated articles, then mark their files seen."""
        if deferred:
            report.add(await self.store_items(deferred))
        for key, stat in unmarked:
            await self.store.articles.mark_seen(key, *stat, self.clock())
        deferred.clear()
        unmarked.clear()

    async def repair(self) -> int:
        """Place the articles an interrupted run stored but left in no story (see
        `StoryKeeper.place_unplaced`); returns how many."""
        async with self.lock, self.store.writer():
            return await self.keeper.place_unplaced()

    async def store_items(
        self,
        items: Sequence[IncomingArticle],
        *,
        guild_id: int | None = None,
        feed_id: int | None = None,
        first: int = 1,
    ) -> IngestReport:
        """Store already-parsed articles (from files or feeds) and cluster the new ones.

        `first`: articles in the first transaction (then doubling, up to `_BATCH_ARTICLES`); a
        run's later pieces start at full size: its first articles are already safe."""
        report = IngestReport()
        async with self.lock:
            # Others' placements so far, before waiting for the writer lock: under it, only what
            # was placed meanwhile is left to take in (see `StoryKeeper.sync`).
            await self.keeper.sync(early=True)
            await self._store_locked(items, guild_id, feed_id, report, first)
        return report

    async def _store_locked(
        self,
        items: Sequence[IncomingArticle],
        guild_id: int | None,
        feed_id: int | None,
        report: IngestReport,
        first: int = 1,
    ) -> None:
        """`store_items` under the writer lock."""
        async with self.store.writer():
            self._synced = False  # the next new article first picks up other processes' placements
            await self.keeper.place_unplaced()  # what a killed run left unplaced, first
            todo = [without_nul(item) for item in items]
            size = first  # doubling: a call's first articles are visible (and safe) at once
            while todo:
                todo = await self._store_run(todo[:size], guild_id, feed_id, report) + todo[size:]
                size = min(2 * size, _BATCH_ARTICLES)


def _stat(path: Path, *, follow: bool = True) -> tuple[int, int] | None:
    try:
        st = path.stat() if follow else path.lstat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _key(path: Path, *, follow: bool = True) -> str:
    """The path a file is remembered by: absolute, links resolved (`follow=False`: all but the
    last part, which is the entry itself). Never raises, even for a link loop."""
    if follow:
        return os.path.realpath(path)
    return os.path.join(os.path.realpath(path.parent), path.name)
