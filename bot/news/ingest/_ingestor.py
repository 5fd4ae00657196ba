"""Ingestion: read incoming articles, store them once, and place each in a story."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from bot.news.ingest._dropfolder import (
    FileResult,
    IncomingArticle,
    Rejection,
    iter_files,
    read_file,
    set_aside,
)
from bot.news.models import ExtractedArticle
from bot.news.quotes import extract_quotes
from bot.news.settings import IngestSettings
from bot.news.store import Store
from bot.news.stories import StoryKeeper

log = logging.getLogger(__name__)

Outcome = Literal["new", "duplicate", "updated"]
ProgressFn = Callable[[int, int, str], None]


@dataclass
class IngestReport:
    """What one ingest run did."""

    new: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    skipped_unchanged: int = 0
    story_of: dict[str, int] = field(default_factory=dict)

    def add(self, other: IngestReport) -> None:
        self.new += other.new
        self.duplicate += other.duplicate
        self.updated += other.updated
        self.rejected += other.rejected
        self.skipped_unchanged += other.skipped_unchanged
        self.story_of |= other.story_of

    def summary(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "duplicate": len(self.duplicate),
            "updated": len(self.updated),
            "rejected": len(self.rejected),
        }


_WS = re.compile(r"\s+")


# Undated articles held back until the end of a batch, at most (a bound on memory).
_DEFER_AT_MOST = 2000


def content_hash(article: ExtractedArticle) -> str:
    """Identity of an article's content: whitespace and case do not make a new version."""
    basis = f"{article.title or ''}\n{article.text}"
    return hashlib.sha256(_WS.sub(" ", basis).strip().lower().encode("utf-8")).hexdigest()


def _read_with_quotes(ref_path: str, path: Path, max_bytes: int) -> FileResult:
    # Runs in a worker thread: parsing, cleaning and quote extraction are CPU work.
    result = read_file(ref_path, path, max_bytes)
    for item in result.items:
        add_quotes(item.article)
    return result


def add_quotes(article: ExtractedArticle) -> None:
    """Fill the article's quotes from its cleaned text."""
    article.quotes = extract_quotes(article.text)


class Ingestor:
    """Stores incoming articles exactly once and keeps stories up to date."""

    def __init__(
        self, store: Store, keeper: StoryKeeper, settings: IngestSettings, clock: Callable[[], datetime]
    ) -> None:
        self.store = store
        self.keeper = keeper
        self.settings = settings
        self.clock = clock
        self.lock = asyncio.Lock()  # one writer at a time: clustering is order-sensitive
        self._synced = False  # whether this batch has checked for other processes' articles

    async def ingest_paths(
        self,
        paths: Sequence[str],
        *,
        drop_folder: Path | None = None,
        skip_seen: bool = False,
        progress: ProgressFn | None = None,
    ) -> IngestReport:
        """Ingest files and folders; bad files are reported (and set aside inside `drop_folder`).

        Undated articles are stored after the batch's dated ones: an undated page takes the time of
        the story it shares passages with (see `ClusterDoc.dated`), so that story should be there.
        A file counts as seen only once all its articles are stored.
        """
        report = IngestReport()
        files = list(iter_files(list(paths), self.settings.rejected_dir))
        deferred: list[IncomingArticle] = []
        unmarked: list[tuple[Path, tuple[int, int]]] = []  # files with deferred articles
        for n, (ref_path, path) in enumerate(files, start=1):
            if progress:
                progress(n, len(files), ref_path)
            stat = _stat(path)
            if skip_seen and stat and await self.store.articles.seen_file(str(path.resolve())) == stat:
                report.skipped_unchanged += 1
                continue
            result = await asyncio.to_thread(_read_with_quotes, ref_path, path, self.settings.max_file_bytes)
            undated = [item for item in result.items if item.article.published is None]
            report.add(await self.store_items([i for i in result.items if i.article.published is not None]))
            deferred.extend(undated)
            for rejection in result.rejections:
                report.rejected.append(rejection)
                await self.store.articles.add_rejection(rejection.describe(), rejection.reason, self.clock())
                log.warning("rejected %s", rejection.describe())
            if result.whole_file_rejected and drop_folder is not None:
                set_aside(path, drop_folder, self.settings.rejected_dir, result.rejections[0].reason)
            elif stat and undated:
                unmarked.append((path, stat))
            elif stat:
                await self.store.articles.mark_seen(str(path.resolve()), *stat, self.clock())
            if len(deferred) >= _DEFER_AT_MOST:
                await self._flush(deferred, unmarked, report)
        await self._flush(deferred, unmarked, report)
        return report

    async def _flush(
        self,
        deferred: list[IncomingArticle],
        unmarked: list[tuple[Path, tuple[int, int]]],
        report: IngestReport,
    ) -> None:
        """Store the deferred undated articles, then mark their files seen."""
        if deferred:
            report.add(await self.store_items(deferred))
        for path, stat in unmarked:
            await self.store.articles.mark_seen(str(path.resolve()), *stat, self.clock())
        deferred.clear()
        unmarked.clear()

    async def store_items(
        self, items: Sequence[IncomingArticle], *, guild_id: int | None = None, feed_id: int | None = None
    ) -> IngestReport:
        """Store already-parsed articles (from files or feeds) and cluster the new ones."""
        report = IngestReport()
        async with self.lock, self.store.writer():
            self._synced = False  # the next new article first picks up other processes' placements
            for item in items:
                outcome, story_id = await self._store_one(item, guild_id, feed_id)
                getattr(report, outcome).append(item.ref)
                if story_id is not None:
                    report.story_of[item.ref] = story_id
        return report

    async def _store_one(
        self, item: IncomingArticle, guild_id: int | None, feed_id: int | None
    ) -> tuple[Outcome, int | None]:
        now = self.clock()
        digest = content_hash(item.article)
        # Once the batch has checked for other processes' articles, the lookup also stores a new one.
        existing, same_content, article_id = await self.store.articles.lookup(
            item.ref,
            digest,
            guild_id,
            insert=item.article if self._synced else None,
            now=now,
            feed_id=feed_id,
        )
        if existing is not None:
            story_id = existing["story_id"]
            # A re-dated entry (same text, new date) is an update too, not a duplicate.
            if existing["content_hash"] == digest and existing["published"] == item.article.published:
                return "duplicate", story_id
            await self.store.articles.update_version(existing["id"], item.article, digest, now)
            if story_id is not None:
                await self.keeper.refresh([story_id])
            return "updated", story_id
        if same_content:
            return "duplicate", None
        if article_id is None:
            # Once per batch, before its first new article: pick up what other processes placed.
            await self.keeper.sync()
            self._synced = True
            article_id = await self.store.articles.insert(
                item.ref, item.article, digest, now, guild_id=guild_id, feed_id=feed_id
            )
        story_id = await self.keeper.place(article_id, item.article, now, live=feed_id is not None)
        return "new", story_id


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns
