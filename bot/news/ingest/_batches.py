"""Storing runs of new articles in one transaction, and single articles on their own.

Split out of `_ingestor.py` (which reads files and feeds the writer) to keep each file small:
this is the writer's storing half, a base class of `Ingestor`. It holds only what storing needs
(the report it fills, the content hash it stores by); `Ingestor` owns the attributes declared here.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy.exc import DataError, IntegrityError

from bot.news.ingest._dropfolder import IncomingArticle, Rejection
from bot.news.models import ExtractedArticle
from bot.news.store import Store
from bot.news.stories import Placing, StoryKeeper

log = logging.getLogger(__name__)

Outcome = Literal["new", "duplicate", "updated"]


@dataclass
class IngestReport:
    """What one ingest run did."""

    new: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    skipped_unchanged: int = 0
    waiting: int = 0  # files still being written (the watcher reads them once still)
    story_of: dict[str, int] = field(default_factory=dict)

    def add(self, other: IngestReport) -> None:
        self.new += other.new
        self.duplicate += other.duplicate
        self.updated += other.updated
        self.rejected += other.rejected
        self.skipped_unchanged += other.skipped_unchanged
        self.waiting += other.waiting
        self.story_of |= other.story_of

    def summary(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "duplicate": len(self.duplicate),
            "updated": len(self.updated),
            "rejected": len(self.rejected),
        }


def content_hash(article: ExtractedArticle) -> str:
    """Identity of an article's content: whitespace and case do not make a new version."""
    basis = f"{article.title or ''}\n{article.text}"
    # Runs of whitespace as one space, none at the ends: `str.split()` splits on exactly what
    # `re`'s `\s` matches (`str.isspace`), so the hashes stored by the former regex stay valid,
    # at half its cost (the writer hashes every article).
    return hashlib.sha256(" ".join(basis.split()).lower().encode("utf-8")).hexdigest()


class BatchWriter:
    """The storing half of `Ingestor`: runs of new articles together, the rest one by one."""

    store: Store
    keeper: StoryKeeper
    clock: Callable[[], datetime]
    _synced: bool  # whether this batch has checked for other processes' articles

    async def _store_run(
        self, items: list[IncomingArticle], guild_id: int | None, feed_id: int | None, report: IngestReport
    ) -> list[IncomingArticle]:
        """Store `items` that are new, or plainly duplicates, in one transaction; an article whose
        ref is stored already (an update) is stored alone, as before. Returns the articles not
        handled yet.

        Whether an article is new is asked once for the run (`known`), and is exactly what
        storing one by one would find: the run stops at the first article its answer may not
        cover (a ref it stores or updates itself), and the next run asks again."""

        digests = [content_hash(item.article) for item in items]
        refs, hashes = await self.store.articles.known([i.ref for i in items], digests, guild_id)
        new: list[tuple[IncomingArticle, str, datetime]] = []
        for n, (item, digest) in enumerate(zip(items, digests, strict=True)):
            if item.ref in refs:  # stored before (maybe just now, in this run): an update or not
                await self._store_new(new, guild_id, feed_id, report)
                await self._store_alone(item, guild_id, feed_id, report)
                return items[n + 1 :]
            now = self.clock()  # read for every article, as storing one by one does
            if digest in hashes:  # the same content under another ref, in the same scope
                report.duplicate.append(item.ref)
                continue
            new.append((item, digest, now))
            refs.add(item.ref)
            hashes.add(digest)
        await self._store_new(new, guild_id, feed_id, report)
        return []

    async def _store_new(
        self,
        new: list[tuple[IncomingArticle, str, datetime]],
        guild_id: int | None,
        feed_id: int | None,
        report: IngestReport,
    ) -> None:
        """Store new articles and place each in a story, all in one transaction: stored and placed
        together or (killed, refused) not at all. A record the database refuses costs only itself:
        the batch is undone and its articles stored one by one."""
        if not new:
            return
        if not self._synced:  # once per call, before its first new article: others' placements
            await self.keeper.sync()
            self._synced = True
        placed: list[int] = []
        try:
            async with self.store.batch() as conn:
                rows = [(item.ref, item.article, digest, now) for item, digest, now in new]
                ids = await self.store.articles.insert_many(conn, rows, guild_id, feed_id)
                # The placements' records are written together at the end, still in the batch.
                async with self.keeper.gathering():
                    todo = [
                        Placing(article_id, item.article, now, item.features)
                        for article_id, (item, _, now) in zip(ids, new, strict=True)
                    ]
                    placed = await self.keeper.place_many(todo, live=feed_id is not None)
        except (DataError, IntegrityError):
            # The clusterer placed articles the database then lost: rebuilt from it next time.
            self._forget()
            for item, _, _ in new:
                await self._store_alone(item, guild_id, feed_id, report)
        except BaseException:
            # Cancelled (a stop) or failed with the batch clustered but not committed: the same
            # loss, and the database will hand the lost articles' ids out again.
            self._forget()
            raise
        else:
            for (item, _, _), story_id in zip(new, placed, strict=True):
                report.new.append(item.ref)
                report.story_of[item.ref] = story_id
        new.clear()

    def _forget(self) -> None:
        """The clusterer may hold placements the database does not: rebuild it before the next."""
        self.keeper.forget()
        self._synced = False

    async def _store_alone(
        self, item: IncomingArticle, guild_id: int | None, feed_id: int | None, report: IngestReport
    ) -> None:
        """Store one article in transactions of its own (an update, or a batch that failed)."""
        try:
            outcome, story_id = await self._store_one(item, guild_id, feed_id)
        except (DataError, IntegrityError) as e:
            # The database refused this one record: it costs only itself. Whatever the
            # clusterer did with it is forgotten (rebuilt from the database next time).
            self._forget()
            rejection = Rejection(item.path or item.ref, f"could not be stored ({e.__class__.__name__})")
            report.rejected.append(rejection)
            log.warning("rejected %s: %s", item.ref, str(e).splitlines()[0][:300])
            return
        except BaseException:
            self._forget()  # cancelled mid-placement: as for a lost batch
            raise
        getattr(report, outcome).append(item.ref)
        if story_id is not None:
            report.story_of[item.ref] = story_id

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
        story_id = await self.keeper.place(
            article_id, item.article, now, live=feed_id is not None, features=item.features
        )
        return "new", story_id
