"""Keeps stories in the database in step with the clusterer, and reads them back as `Story`."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Collection, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.news.errors import NotFound
from bot.news.models import ExtractedArticle, StoredArticle, Story
from bot.news.settings import ClusteringSettings
from bot.news.store import Store
from bot.news.stories._catchup import apply_catch_up, article_time, cluster_doc, holds, plan
from bot.news.stories._clusterer import Assignment, ClusterDoc, StoryClusterer
from bot.news.stories._records import StoryRecords
from bot.news.stories._story_view import to_story
from bot.news.stories._vectors import DocFeatures
from bot.news.stories._voices import VoiceCounter

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Placing:
    """A stored article to place: its id, the article, when it arrived, its features (JSON) if known."""

    article_id: int
    article: ExtractedArticle
    now: datetime
    features: str | None = None


class StoryKeeper:
    """The clusterer plus the story records it implies."""

    # The change log keeps the last 100k placements (a few MB); a process further behind rebuilds.
    log_keep = 100_000
    log_prune_every = 10_000

    def __init__(self, store: Store, settings: ClusteringSettings) -> None:
        self.store = store
        self.settings = settings
        self._clusterer: StoryClusterer | None = None
        # How far this index has seen the database: the last change-log row it took in, the
        # largest article id in it, and the name its own log rows carry (stories/_catchup.py).
        self._seen = 0
        self._pruned_at = 0  # `_seen` when this process last pruned the change log
        self._last_article = 0
        self._writer = uuid.uuid4().hex
        # Whether the last sync under the writer lock took in others' placements; if not, this
        # process most likely writes alone and skips the early sync (a log read per batch).
        self._others_lately = True
        self.records = StoryRecords(store, self._writer)  # what placements write, batched
        self.rebuilds = 0  # full rebuilds and incremental catch-ups so far (for benches and logs)
        self.catch_ups = 0
        # Wall seconds and count of syncs by what they did: "place" (others' plain placements),
        # "regroup" (with others' regroupings), "rebuild"; what a feed worker reports on stopping.
        self.sync_spent: dict[str, list[float]] = {}
        # Wall seconds of the catch-ups by part: reading the log, reading the rows it names
        # (placements, the regrouped stories' articles), applying them to the index (`restate`
        # the regroupings, `extend` the placements).
        self.catch_up_parts = dict.fromkeys(("log", "rows", "restate", "extend"), 0.0)
        # When each matchable story last took an article (arrival time): stories idle for
        # `retain_days` are evicted from the clusterer, which bounds its memory.
        self._arrivals: dict[int, datetime] = {}
        self._evicted_at: datetime | None = None
        self.voices = VoiceCounter()  # independent reports per story, remembered until articles change

    async def sync(self, *, early: bool = False) -> None:
        """Take in what other processes placed since this index last looked at the database.

        Another process (a second worker on PostgreSQL, a CLI run beside the bot) may have placed
        articles since: their placements, and the merges and moves those made, are applied from
        the change log as a restore would have built them; what the log cannot say exactly (a
        redate, an evicted story, ids out of order) rebuilds the index from every stored article.
        Ingestion checks this once per batch, under the writer lock, rather than per article.

        `early`: before taking the writer lock (`Ingestor.store_items`), while another process may
        be placing: take in what the log holds so far, so that under the lock only what was placed
        since is left to read (the lock's hold is every worker's serial part), and rebuild here
        when the index needs it (a worker's first batch, a redate) rather than under the lock.
        Log rows commit in the order they are numbered (each writer commits its batch before it
        lets the lock go), so this reads a prefix of what the sync under the lock would; an
        article another writer moved meanwhile is read where it is now, and the row that moved
        it, read later, names its story (`restate` then finds it in place). A rebuild reads the
        log position before the articles: what a writer commits in between is in the index and
        its rows are still to read, which `plan` counts as held. Pruning the log waits for the lock.
        Skipped while the syncs under the lock find nothing from other processes.
        """
        if early and not self._others_lately and self._clusterer is not None:
            return  # the sync under the lock reads the log anyway
        t0 = time.perf_counter()
        kind = await self._sync(early)
        if not early:
            self._others_lately = bool(kind)
        if kind:
            spent = self.sync_spent.setdefault(f"early {kind}" if early else kind, [0, 0.0])
            spent[0] += 1
            spent[1] += time.perf_counter() - t0

    async def _sync(self, early: bool = False) -> str:
        """`sync`; returns what it did ("": nothing to take in)."""
        clusterer = self._clusterer
        if clusterer is None:
            await self._rebuild()
            return "rebuild"
        t0 = time.perf_counter()
        rows = await self.store.story_log.since(self._seen)
        if not rows:
            return ""
        # The row right after the last one seen is there: nothing past it was pruned (pruning
        # deletes the oldest rows); only a gap (a pruned log, or a rolled-back batch's numbers)
        # needs the pruning mark read, one round trip fewer per sync.
        gap = int(rows[0]["seq"]) != self._seen + 1
        if gap and self._seen < await self.store.story_log.pruned_through():
            log.info("rebuilding the story index: the change log was pruned past what it had seen")
            await self._rebuild()
            return "rebuild"
        log_repo = self.store.story_log
        todo = plan(
            rows, self._writer, self._last_article, log_repo.PLACE, log_repo.stories_of, holds(clusterer)
        )
        self.catch_up_parts["log"] += time.perf_counter() - t0
        if todo.article_ids is None:
            log.info("rebuilding the story index: %s", todo.reason)
            await self._rebuild()
            return "rebuild"
        if todo.article_ids:
            if not await self._take_in(todo.article_ids, todo.regrouped, todo.changed):
                log.info("rebuilding the story index: a change this index cannot take in")
                await self._rebuild()
                return "rebuild"
            self.catch_ups += 1
        self._seen = todo.last_seq
        if not early:
            await self._prune_log()
        return ("regroup" if todo.regrouped else "place") if todo.article_ids else ""

    async def _prune_log(self) -> None:
        """Keep the change log bounded: every `log_prune_every` rows, drop all but the last `log_keep`."""
        if self._seen - self._pruned_at >= self.log_prune_every:
            self._pruned_at = self._seen
            if gone := await self.store.story_log.prune(self.log_keep):
                log.info("story change log pruned: %d old rows deleted", gone)

    async def _take_in(
        self, article_ids: list[int], regrouped: bool, changed: Collection[int] | None
    ) -> bool:
        """Apply other processes' placements (and regroupings: `changed` names the stories they
        changed, None every placed article) to the index; False: rebuild instead."""
        t0 = time.perf_counter()
        placed = await self.store.story_log.cluster_rows(article_ids)
        if len(placed) != len(article_ids):
            return False
        stories = await self.store.story_log.placements(changed) if regrouped else []
        next_id = await self.store.stories.max_id() + 1
        t1 = time.perf_counter()
        self.catch_up_parts["rows"] += t1 - t0
        assert self._clusterer is not None
        args = (self._clusterer, stories, placed, next_id, self.catch_up_parts)
        if not await asyncio.to_thread(apply_catch_up, *args):
            return False
        for r in placed:
            sid = int(r["story_id"])
            self._arrivals[sid] = max(self._arrivals.get(sid, r["ingested_at"]), r["ingested_at"])
        self._last_article = max(self._last_article, *article_ids)
        return True

    def forget(self) -> None:
        """Drop the index (a placement failed half-way): it is rebuilt from the database when next needed."""
        self._clusterer = None

    async def _ready(self) -> StoryClusterer:
        if self._clusterer is None:
            await self._rebuild()
        assert self._clusterer is not None
        return self._clusterer

    async def _rebuild(self) -> None:
        # The log position first: a row written after it is read again by the next sync, which
        # does not add its article again if this read it (`plan`'s `held`: an early sync, taken
        # before the writer lock, may rebuild while another process commits).
        seen = await self.store.story_log.last()
        rows = await self.store.articles.cluster_state()
        # Never hand out an id again, not even one a merge retired.
        next_id = await self.store.stories.max_id() + 1
        # Every stored article passes through here: off the event loop.
        clusterer, arrivals, evicted = await asyncio.to_thread(self._restore, rows, next_id)
        self._clusterer = clusterer
        self._seen = seen
        self._last_article = max((int(r["id"]) for r in rows), default=0)
        self.rebuilds += 1
        self._arrivals = {sid: t for sid, t in arrivals.items() if sid not in evicted}
        self._evicted_at = max(arrivals.values(), default=None)
        if evicted:
            log.info(
                "%d idle stories not matched any more (retain_days=%g)",
                len(evicted),
                self.settings.retain_days,
            )

    def _restore(
        self, rows: Sequence[RowMapping], next_id: int
    ) -> tuple[StoryClusterer, dict[int, datetime], set[int]]:
        """A clusterer rebuilt from stored rows, each story's last arrival, and the idle stories."""
        arrivals: dict[int, datetime] = {}
        for r in rows:
            sid = int(r["story_id"])
            arrivals[sid] = max(arrivals.get(sid, r["ingested_at"]), r["ingested_at"])
        latest = max(arrivals.values(), default=None)
        # Idle by the last arrival stored (not the wall clock: a copy of an old database, or a bot
        # started after months off, keeps what it was matching when it stopped).
        evicted = self._idle(arrivals, latest) if latest is not None else set()
        docs = [(cluster_doc(r), int(r["story_id"]), r["syndicated_of"], r["cluster_features"]) for r in rows]
        clusterer = StoryClusterer(self.settings)
        clusterer.restore(docs, next_id, evicted)
        return clusterer, arrivals, evicted

    def _idle(self, arrivals: dict[int, datetime], now: datetime) -> set[int]:
        days = self.settings.retain_days
        if not days:
            return set()
        cutoff = now - timedelta(days=days)
        return {sid for sid, t in arrivals.items() if t < cutoff}

    def _evict_idle(self, clusterer: StoryClusterer, now: datetime) -> None:
        """Evict stories idle for `retain_days` (checked at most hourly; run off the event loop)."""
        if self._evicted_at is not None and now - self._evicted_at < timedelta(hours=1):
            return
        self._evicted_at = now
        idle = self._idle(self._arrivals, now)
        if idle:
            clusterer.evict(idle)
            for sid in idle:
                del self._arrivals[sid]
            log.info("%d idle stories not matched any more", len(idle))

    async def place_unplaced(self) -> int:
        """Place every stored article that is in no story; returns how many.

        Storing an article and placing it are two transactions (the clusterer needs the article's
        id, and holding a write transaction open while it computes would block every other writer
        on SQLite). A process killed between them leaves the article stored but in no story, where
        no later run would look: ingestion calls this under the writer lock before each batch, so
        such an article is placed by the next run (and a database damaged by an older version is
        repaired). Under the writer lock no other process is between the two steps.
        """
        rows = await self.store.articles.unplaced()
        if not rows:
            return 0
        await self.sync()  # the index as stored: the unplaced rows are counted, not yet in it
        placed = 0
        for r in rows:
            article = ExtractedArticle(
                title=r["title"], outlet=r["outlet"], text=r["text"], published=r["published"]
            )
            try:
                await self.place(
                    int(r["id"]), article, r["ingested_at"], live=r["feed_id"] is not None, counted=True
                )
            except (DataError, IntegrityError):  # never let one article hold every later batch up
                log.exception("article %s could not be placed; it is tried again next batch", r["id"])
                self.forget()
                return placed
            placed += 1
        log.warning("placed %d stored article(s) that an interrupted run left in no story", placed)
        return placed

    async def place(
        self,
        article_id: int,
        article: ExtractedArticle,
        now: datetime,
        *,
        live: bool = False,
        counted: bool = False,
        features: str | None = None,
    ) -> int:
        """Put a newly stored article into a story; returns the story id.

        `live`: the article arrived as it was published (a feed entry), so its arrival time is its
        date when it has none. A file's arrival says nothing of when it was written.
        `counted`: kept for callers; the index no longer counts stored articles (see `sync`).
        `features`: the article's clustering features (`DocFeatures.to_json`) if already computed
        (by an ingest worker, from this very title and text); else the clusterer computes them.
        Inside `gathering()` a plain placement's records are written when it ends; else at once.
        """
        return (await self.place_many([Placing(article_id, article, now, features)], live=live))[0]

    async def place_many(self, items: Sequence[Placing], *, live: bool = False) -> list[int]:
        """Put newly stored articles into stories, in order (as `place` one by one); their story ids.

        The clusterer takes the whole run in one trip off the event loop (a thread hand-off per
        article cost the one ordered writer more than some of the clustering), then each
        placement's records are written in order, exactly as placing one by one writes them.
        """
        clusterer = await self._ready()
        placed = await asyncio.to_thread(self._assign_all, clusterer, items, live)
        for item, (result, story_time, touched) in zip(items, placed, strict=True):
            await self.records.write(item.article_id, result, story_time, touched)
        return [result.story_id for result, _, _ in placed]

    def _assign_all(
        self, clusterer: StoryClusterer, items: Sequence[Placing], live: bool
    ) -> list[tuple[Assignment, datetime | None, set[int]]]:
        """Assign each article in turn (in a thread): the assignment, the time its story gives it
        (undated articles), and the stories whose summaries it changed, as they stood right then."""
        out: list[tuple[Assignment, datetime | None, set[int]]] = []
        for item in items:
            article = item.article
            doc = ClusterDoc(
                article_id=item.article_id,
                title=article.title,
                text=article.text,
                outlet=article.outlet,
                when=article_time(article.published, item.now),
                dated=live or article.published is not None,
                features=DocFeatures.from_json(item.features) if item.features else None,
            )
            self._evict_idle(clusterer, item.now)  # before matching: an idle story takes nothing more
            result = clusterer.assign(doc)
            self._last_article = max(self._last_article, item.article_id)
            self._arrivals[result.story_id] = item.now
            for _, story_id in result.moved:  # a regrouping may have made it (or woken it)
                self._arrivals[story_id] = item.now
            for absorbed, _ in [*result.merged, *result.retired]:
                self._arrivals.pop(absorbed, None)
            touched = {result.story_id} | {clusterer.story_of(a) for a in result.redated}
            story_time = None if doc.dated or result.floating else result.when
            out.append((result, story_time, touched))
        return out

    async def refresh(self, story_ids: Sequence[int], conn: AsyncConnection | None = None) -> None:
        """Recompute the stored headline, times and counts of these stories (within `conn`, if given)."""
        await self.records.refresh(story_ids, conn=conn)

    def gathering(self) -> AbstractAsyncContextManager[None]:
        """Within it, plain placements are written together when it ends (see `StoryRecords`);
        open it inside `Store.batch`, so they commit with the articles they place."""
        return self.records.gathering()

    async def resolve_id(self, story_id: int) -> int:
        """Follow merges to the live story id; NotFound if there is none."""
        for _ in range(100):
            row = await self.store.stories.get(story_id)
            if row is None:
                raise NotFound(f"There is no story {story_id}.")
            if row["merged_into"] is None:
                return story_id
            story_id = int(row["merged_into"])
        raise NotFound(f"There is no story {story_id}.")

    async def load(self, story_id: int, guild_id: int | None) -> tuple[Story, list[StoredArticle]]:
        """A story and its articles as `guild_id` may see them (None: everything)."""
        live_id = await self.resolve_id(story_id)
        arts = await self.store.articles.list(story_ids=[live_id], guild_id=guild_id)
        row = await self.store.stories.get(live_id)
        if not arts or row is None:
            raise NotFound(f"There is no story {story_id}.")
        # Off the event loop: the first count of a story's independent reports reads its texts.
        return await asyncio.to_thread(to_story, row, arts, self.voices), arts

    async def load_many(
        self, rows: Sequence[RowMapping], guild_id: int | None
    ) -> list[tuple[Story, list[StoredArticle]]]:
        """Stories for these rows with their visible articles, in the rows' order."""
        ids = [int(r["id"]) for r in rows]
        arts = await self.store.articles.list(story_ids=ids, guild_id=guild_id)
        by_story: dict[int, list[StoredArticle]] = {}
        for a in arts:
            assert a.story_id is not None
            by_story.setdefault(a.story_id, []).append(a)
        # Off the event loop: counting independent reports reads every text.
        return await asyncio.to_thread(
            lambda: [
                (to_story(r, by_story[int(r["id"])], self.voices), by_story[int(r["id"])])
                for r in rows
                if int(r["id"]) in by_story
            ]
        )
