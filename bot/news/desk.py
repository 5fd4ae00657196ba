"""NewsDesk: the one facade the CLI, scheduled jobs and cogs call."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from sqlalchemy import RowMapping

from bot.news.compare import compare_story
from bot.news.digest import build_digest, digest_item, score_story
from bot.news.errors import BadArgument
from bot.news.feeds import FeedBook
from bot.news.filters import StoryFilter
from bot.news.ingest import IncomingArticle, Ingestor, IngestReport, ProgressFn
from bot.news.live import LiveBoard
from bot.news.models import Comparison, Digest, QuoteGroup, SaidReport, StoredArticle, Story
from bot.news.outlets import outlet_label
from bot.news.quotes import QuoteSource, group_quotes
from bot.news.said import SaidBook
from bot.news.schedules import ScheduleBook
from bot.news.settings import ClusteringSettings, EngineSettings, IngestSettings
from bot.news.store import Store
from bot.news.stories import StoryKeeper
from bot.news.threads import ThreadBook
from bot.news.watch import DeltaBook

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def _merged(
    settings: EngineSettings | None, clustering: ClusteringSettings | None, ingest: IngestSettings | None
) -> EngineSettings:
    base = settings or EngineSettings()
    changes: dict[str, object] = {}
    if clustering is not None:
        changes["clustering"] = clustering
    if ingest is not None:
        changes["ingest"] = ingest
    return base.model_copy(update=changes) if changes else base


def utcnow() -> datetime:
    """The real clock (aware UTC)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class _DigestFilter:
    """What a digest asks of a story, carried to the loading loop."""

    since: datetime
    until: datetime
    min_outlets: int
    keywords: Sequence[str]
    previous: Mapping[int, int] | None
    story_filter: StoryFilter | None = None


def _filtered(
    batch: list[tuple[Story, list[StoredArticle]]], story_filter: StoryFilter | None
) -> list[tuple[Story, list[StoredArticle]]]:
    """The stories a filter admits, each with the articles it keeps."""
    if story_filter is None or story_filter.empty:
        return batch
    kept = [(story, story_filter.apply(story, arts)) for story, arts in batch]
    return [(story, arts) for story, arts in kept if arts is not None]


@dataclass
class DeskStatus:
    """Counts and health for `/status` and `storydesk status`."""

    articles: int
    stories: int
    last_ingest: datetime | None
    recent_rejections: list[tuple[str, str, datetime]] = field(default_factory=list)


class NewsDesk:
    """Everything the engine offers, over one database."""

    def __init__(
        self,
        store: Store,
        *,
        settings: EngineSettings | None = None,
        clustering: ClusteringSettings | None = None,
        ingest: IngestSettings | None = None,
        clock: Clock = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        settings = _merged(settings, clustering, ingest)
        self.settings = settings
        self.store = store
        self.clock = clock
        self.ingest_settings = settings.ingest
        self.keeper = StoryKeeper(store, settings.clustering)
        self.ingestor = Ingestor(store, self.keeper, settings.ingest, clock)
        self.feeds = FeedBook(
            store, self.ingestor, network=settings.network, policy=settings.feed, clock=clock, rng=rng
        )
        self.live = LiveBoard(store, self.keeper, self.feeds, clock)
        self.schedules = ScheduleBook(store, clock)  # digest schedules + exactly-once ledger
        self.sayings = SaidBook(store.speakers, clock)  # who said it, across stories
        self.deltas = DeltaBook(store, self.keeper, clock)  # what each digest channel last saw
        self.threads = ThreadBook(store, clock)  # each story's thread per channel (threads, forums)

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        settings: EngineSettings | None = None,
        clustering: ClusteringSettings | None = None,
        ingest: IngestSettings | None = None,
        clock: Clock = utcnow,
        rng: random.Random | None = None,
    ) -> NewsDesk:
        """Open the database at `url` (migrating it) and return the desk.

        `settings` is the whole engine configuration; `clustering` and `ingest` override its
        sections (a shorthand for tools and tests that tune one of them)."""
        store = await Store.open(url)
        return cls(store, settings=settings, clustering=clustering, ingest=ingest, clock=clock, rng=rng)

    async def close(self) -> None:
        await self.ingestor.close()  # its worker processes first: they outlive no desk
        await self.store.close()

    # Ingestion
    async def ingest_paths(
        self,
        paths: Sequence[str],
        *,
        drop_folder: Path | None = None,
        skip_seen: bool = False,
        settle_seconds: float = 0.0,
        progress: ProgressFn | None = None,
    ) -> IngestReport:
        """Ingest files and folders (recursively); `settle_seconds`: only files still that long."""
        return await self.ingestor.ingest_paths(
            paths,
            drop_folder=drop_folder,
            skip_seen=skip_seen,
            settle_seconds=settle_seconds,
            progress=progress,
        )

    async def ingest_items(
        self, items: Sequence[IncomingArticle], *, guild_id: int | None = None, feed_id: int | None = None
    ) -> IngestReport:
        """Ingest parsed articles (from feeds); `guild_id` makes them private to that server."""
        return await self.ingestor.store_items(items, guild_id=guild_id, feed_id=feed_id)

    # Reading
    async def articles(
        self, *, guild_id: int | None = None, outlet: str | None = None, since: timedelta | None = None
    ) -> list[StoredArticle]:
        """Stored articles, oldest first."""
        arrived = self.clock() - since if since else None
        return await self.store.articles.list(guild_id=guild_id, outlet=outlet, arrived_since=arrived)

    async def stories(
        self,
        *,
        since: timedelta | None = None,
        query: str | None = None,
        guild_id: int | None = None,
        limit: int | None = None,
        rank: Literal["newest", "reports"] = "newest",
    ) -> list[Story]:
        """Live stories, most recently updated first (`rank="reports"`: most independent reports
        first, wire copies counted once); `since` counts back over arrival time."""
        arrived = self.clock() - since if since else None
        rows = await self.store.stories.list(
            guild_id=guild_id, arrived_since=arrived, query=query, limit=limit
        )
        found = [story for story, _ in await self.keeper.load_many(rows, guild_id)]
        if rank == "reports":
            found.sort(
                key=lambda s: (-(s.independent_reports or 0), -len(s.outlets), -s.last_updated.timestamp())
            )
        return found

    async def story_headlines(
        self, *, guild_id: int | None = None, query: str | None = None, limit: int = 25
    ) -> list[tuple[int, str, int, datetime]]:
        """(id, headline, outlet count, last updated) of recent stories, without loading texts
        (for autocomplete)."""
        rows = await self.store.stories.list(guild_id=guild_id, query=query, limit=limit)
        return [(int(r["id"]), str(r["headline"]), int(r["outlet_count"]), r["last_updated"]) for r in rows]

    async def story(self, story_id: int, *, guild_id: int | None = None) -> Story:
        """One story (merged ids lead to the story they went into)."""
        story, _ = await self.keeper.load(story_id, guild_id)
        return story

    async def story_articles(self, story_id: int, *, guild_id: int | None = None) -> list[StoredArticle]:
        _, arts = await self.keeper.load(story_id, guild_id)
        return arts

    async def quotes(
        self, story_id: int, *, speaker: str | None = None, guild_id: int | None = None
    ) -> list[QuoteGroup]:
        """The story's quotes grouped across outlets."""
        _, arts = await self.keeper.load(story_id, guild_id)
        sources = [QuoteSource(a.ref, outlet_label(a), a.text, a.quotes, a.published) for a in arts]
        return await asyncio.to_thread(group_quotes, sources, speaker)

    async def speakers(self, story_id: int, *, guild_id: int | None = None) -> list[str]:
        """Canonical speakers quoted in a story, most quoted first (for autocomplete)."""
        groups = await self.quotes(story_id, guild_id=guild_id)
        counts: dict[str, int] = {}
        for g in groups:
            if g.speaker:
                counts[g.speaker] = counts.get(g.speaker, 0) + len(g.occurrences)
        return sorted(counts, key=lambda s: (-counts[s], s))

    async def said(
        self, name: str, *, days: float | None = None, guild_id: int | None = None, limit: int = 25
    ) -> SaidReport:
        """Every statement by one person across stories and outlets, newest first."""
        return await self.sayings.said(name, days=days, guild_id=guild_id, limit=limit)

    async def known_speakers(
        self, typed: str = "", *, guild_id: int | None = None, limit: int = 25
    ) -> list[str]:
        """Speakers quoted anywhere whose name has a word starting like the last one typed (for
        autocomplete)."""
        return await self.sayings.names(typed, guild_id=guild_id, limit=limit)

    async def compare(
        self, story_id: int, *, outlet: str | None = None, guild_id: int | None = None
    ) -> Comparison:
        """How each outlet told the story; `outlet` narrows the per-outlet part to one."""
        story, arts = await self.keeper.load(story_id, guild_id)
        result = await asyncio.to_thread(compare_story, story, arts)
        if outlet:
            wanted = [o for o in result.outlets if o.outlet.casefold() == outlet.casefold()]
            if not wanted:
                names = ", ".join(o.outlet for o in result.outlets)
                raise BadArgument(f"No outlet {outlet!r} in story {story.id}. Outlets: {names}.")
            result.outlets = wanted
        return result

    async def digest(
        self,
        *,
        hours: float | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        max_stories: int = 8,
        min_outlets: int = 1,
        keywords: Sequence[str] = (),
        previous: Mapping[int, int] | None = None,
        guild_id: int | None = None,
        story_filter: StoryFilter | None = None,
    ) -> Digest:
        """Top stories by arrival in the last `hours` (or since `since`); `story_filter` keeps
        the stories it admits, counting only the articles it keeps."""
        until = until or self.clock()
        if since is None:
            if hours is None or hours <= 0:
                raise BadArgument("A digest needs a positive number of hours.")
            since = until - timedelta(hours=hours)
        rows = await self.store.stories.activity(guild_id=guild_id, arrived_since=since, until=until)
        filters = _DigestFilter(since, until, min_outlets, keywords, previous, story_filter)
        loaded, held = await self._load_best(rows, filters, max_stories, guild_id)
        start_at = since
        return await asyncio.to_thread(
            lambda: build_digest(
                loaded,
                since=start_at,
                until=until,
                max_stories=max_stories,
                min_outlets=min_outlets,
                keywords=keywords,
                previous=previous,
                held_back=held,
            )
        )

    async def channel_digest(
        self,
        channel_id: int,
        *,
        hours: float,
        max_stories: int = 8,
        min_outlets: int = 1,
        keywords: Sequence[str] = (),
        guild_id: int | None = None,
    ) -> Digest:
        """What a channel's next digest would show now (read-only): the stories that arrived since
        its last posted digest (else the last `hours`), those it saw before only with their changes."""
        until = self.clock()
        last = await self.schedules.previous_digest(channel_id, until)
        since = last.fire_time if last else until - timedelta(hours=hours)
        seen = await self.deltas.seen_counts(channel_id)
        for story_id, count in (last.story_ids if last else {}).items():
            seen[story_id] = max(count, seen.get(story_id, 0))
        result = await self.digest(
            since=since,
            until=until,
            max_stories=max_stories,
            min_outlets=min_outlets,
            keywords=keywords,
            previous=seen or None,
            guild_id=guild_id,
        )
        await self.deltas.apply(result, channel_id, guild_id)  # nothing recorded: a preview
        return result

    async def _load_best(
        self, rows: list[RowMapping], f: _DigestFilter, max_stories: int, guild_id: int | None
    ) -> tuple[list[tuple[Story, list[StoredArticle]]], set[int]]:
        """Load stories best first until no unloaded one can enter the top `max_stories`.

        Ranks on the stored counts first (an upper bound of what a server may see), then loads
        texts only for the best candidates: a busy day must not load every article."""
        rows = sorted(
            rows,
            key=lambda r: -score_story(r["outlet_count"], r["article_count"], r["last_arrival"], f.until),
        )
        chunk = max(10, 2 * max_stories)
        loaded: list[tuple[Story, list[StoredArticle]]] = []
        accepted: list[float] = []
        held: set[int] = set()  # a new feed's back catalogue: stored, never announced
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            best_left = score_story(
                part[0]["outlet_count"], part[0]["article_count"], part[0]["last_arrival"], f.until
            )
            if len(accepted) >= max_stories and best_left < sorted(accepted, reverse=True)[max_stories - 1]:
                break
            batch = _filtered(await self.keeper.load_many(part, guild_id), f.story_filter)
            loaded += batch
            held |= await self.feeds.held_back([a.id for _, arts in batch for a in arts])
            for story, arts in batch:
                item = digest_item(
                    story,
                    arts,
                    since=f.since,
                    until=f.until,
                    min_outlets=f.min_outlets,
                    keywords=f.keywords,
                    previous=f.previous,
                    held_back=held,
                )
                if item:
                    accepted.append(item.score)
        return loaded, held

    async def status(self) -> DeskStatus:
        """Counts and the last problems, for status screens."""
        return DeskStatus(
            articles=await self.store.articles.count(),
            stories=await self.store.stories.count(),
            last_ingest=await self.store.articles.last_ingest(),
            recent_rejections=await self.store.articles.recent_rejections(5),
        )
