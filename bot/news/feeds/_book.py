"""FeedBook: feeds per server (add, list, remove), polling rounds, alerts and what to announce.

Exposed as `NewsDesk.feeds`. Discord-free and scheduler-free: the runtime (or `storydesk poll`)
decides when to call `poll()`; everything that depends on time reads the desk's clock.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.news.errors import BadArgument, NotFound
from bot.news.feeds._config_sync import SyncReport, sync_config_feeds
from bot.news.feeds._fetched import moved_for_good
from bot.news.feeds._health import FeedHealth, summarise_health
from bot.news.feeds._identity import normalise_link
from bot.news.feeds._lease import FeedWorker, Heartbeat, dead_on_this_host
from bot.news.feeds._parse import FeedParseError, ParsedFeed, find_feed_links, looks_like_html, parse_feed
from bot.news.feeds._poller import FeedPoller
from bot.news.fetching import (
    Fetcher,
    FetchError,
    FetchResult,
    UnsafeAddress,
    check_url,
)
from bot.news.ingest import IncomingArticle, Ingestor, IngestReport
from bot.news.models import Feed, FeedOrigin, FeedPollResult, PollReport
from bot.news.settings import FeedConfig, FeedSettings, NetworkSettings
from bot.news.store import EntryRecord, Store
from bot.news.stories import FeatureMaker

Clock = Callable[[], datetime]

log = logging.getLogger(__name__)

__all__ = [
    "AddedFeed",
    "Feed",
    "FeedBook",
    "FeedErrors",
    "FeedHealth",
    "FeedPollResult",
    "FeedSettings",
    "FeedWorker",
    "PollReport",
]


@dataclass
class AddedFeed:
    """A feed just added; `discovered_from` is the web page whose <link rel=alternate> named it."""

    feed: Feed
    discovered_from: str | None = None
    entries: int = 0


@dataclass
class EntryProblem:
    feed_id: int
    key: str
    state: str
    attempts: int
    error: str


@dataclass
class FeedErrors:
    """Why feeds fail: failing or erroring feeds, and entries waiting for or denied their page."""

    feeds: list[Feed] = field(default_factory=list)
    entries: list[EntryProblem] = field(default_factory=list)


class FeedBook:
    """Feeds over the desk's database."""

    def __init__(
        self,
        store: Store,
        ingestor: Ingestor,
        *,
        network: NetworkSettings | None = None,
        policy: FeedSettings | None = None,
        clock: Clock,
        rng: random.Random | None = None,
    ) -> None:
        # The ingestor, not the desk: the book stores what it polls and needs nothing else of it.
        self.repo = store.feeds
        self._writer = store.writer
        self.ingestor = ingestor
        self.limits = network or NetworkSettings()
        self.policy = policy or FeedSettings()
        self.clock = clock
        self.rng = rng or random.Random()
        self._round = asyncio.Lock()  # one polling round at a time per process
        self.worker = FeedWorker()  # who this process's rounds claim feeds as

    def _fetcher(self) -> Fetcher:
        return Fetcher(self.limits, clock=self.clock)

    # Managing feeds
    async def add(
        self,
        url: str,
        *,
        name: str | None = None,
        guild_id: int | None = None,
        interval: float | None = None,
        origin: FeedOrigin = "cli",
        added_by: int | None = None,
        alert_channel_id: int | None = None,
    ) -> AddedFeed:
        """Check the URL is a feed (or a page naming one) and add it; `BadArgument` says why not."""
        url = url.strip()
        interval = self._check_interval(interval)
        name = (name or "").strip()[:100] or None
        try:
            check_url(url, allow_private=self.limits.allow_private_addresses)
        except UnsafeAddress as e:
            raise BadArgument(f"Cannot use {url}: {e}.") from None
        if guild_id is not None and await self.repo.count(guild_id) >= self.policy.max_feeds_per_guild:
            raise BadArgument(
                f"This server already has {self.policy.max_feeds_per_guild} feeds; remove one first."
            )
        feed_url, parsed, page = await self._discover(url)
        existing = await self.repo.find(feed_url, guild_id)
        if existing is not None:
            raise BadArgument(f"That feed is already added (feed {existing.id}: {existing.url}).")
        feed = await self.repo.add(
            {
                "url": feed_url,
                "name": name,
                "title": parsed.title,
                "guild_id": guild_id,
                "origin": origin,
                "added_by": added_by,
                "alert_channel_id": alert_channel_id,
                "interval": interval,
                "created_at": self.clock(),
                "failures": 0,
                "failing": False,
                "alerted": False,
            }
        )
        log.info("feed %s added: %s (guild %s)", feed.id, feed.url, guild_id)
        return AddedFeed(feed, page, len(parsed.entries))

    def _check_interval(self, interval: float | None) -> float:
        value = self.policy.default_interval if interval is None else interval
        if value < self.policy.min_interval:
            raise BadArgument(f"The interval must be at least {self.policy.min_interval:g} seconds.")
        return value

    async def _discover(self, url: str) -> tuple[str, ParsedFeed, str | None]:
        """(feed URL, parsed feed, page it was found on) for a feed URL or a page that names one."""
        async with self._fetcher() as fetcher:
            fetched = await self._get(fetcher, url)
            try:
                return (
                    moved_for_good(url, fetched) or url,  # a feed that moved for good is kept at its new home
                    await asyncio.to_thread(parse_feed, fetched.body, fetched.url, fetched.content_type),
                    None,
                )
            except FeedParseError as e:
                if not looks_like_html(fetched.body, fetched.content_type):
                    raise BadArgument(f"{url} is not a feed: {e}.") from None
            links = find_feed_links(fetched.body, fetched.url)
            if not links:
                raise BadArgument(
                    f"{url} is a web page that names no RSS or Atom feed "
                    '(no <link rel="alternate" type="application/rss+xml">); give the feed\'s own URL.'
                )
            problems: list[str] = []
            for link in links[:3]:
                try:
                    found = await self._get(fetcher, link)
                    parsed = await asyncio.to_thread(parse_feed, found.body, found.url, found.content_type)
                    return moved_for_good(link, found) or link, parsed, url
                except (BadArgument, FeedParseError) as e:
                    problems.append(f"{link}: {e}")
            raise BadArgument(f"{url} names feeds, but none could be read: " + "; ".join(problems))

    @staticmethod
    async def _get(fetcher: Fetcher, url: str) -> FetchResult:
        try:
            return await fetcher.get(url)
        except FetchError as e:
            raise BadArgument(f"Cannot read {url}: {e}.") from None

    async def list_feeds(self, *, guild_id: int | None = None, everything: bool = False) -> list[Feed]:
        """A server's own feeds (guild_id), the shared ones (None), or every feed (everything)."""
        return await self.repo.list_feeds(guild_id=guild_id, everything=everything)

    async def visible(self, guild_id: int | None) -> list[Feed]:
        """What a server reads from: the shared feeds and its own (guild_id None: shared only)."""
        shared = await self.repo.list_feeds(guild_id=None)
        own = await self.repo.list_feeds(guild_id=guild_id) if guild_id is not None else []
        return sorted(shared + own, key=lambda f: f.id)

    async def health(
        self, *, guild_id: int | None = None, everything: bool = False, worst: int = 5
    ) -> FeedHealth:
        """How the feeds a server reads from (or every feed) are doing, with the worst few."""
        feeds = await self.list_feeds(everything=True) if everything else await self.visible(guild_id)
        return summarise_health(feeds, worst=worst)

    async def get(self, feed_id: int) -> Feed:
        feed = await self.repo.get(feed_id)
        if feed is None:
            raise NotFound(f"No feed {feed_id}.")
        return feed

    async def find(
        self, id_or_url: str | int, *, guild_id: int | None = None, everything: bool = False
    ) -> Feed:
        """A feed by id or URL, within the asker's scope (a server never reaches another's feeds)."""
        text = str(id_or_url).strip()
        candidates = await self.repo.list_feeds(guild_id=guild_id, everything=everything)
        if text.isdigit():
            found = [f for f in candidates if f.id == int(text)]
        else:
            wanted = normalise_link(text) or text
            found = [f for f in candidates if f.url == text or normalise_link(f.url) == wanted]
        if not found:
            raise NotFound(f"No feed {text} here. `feeds list` shows the ids.")
        if len(found) > 1:
            ids = ", ".join(str(f.id) for f in found)
            raise BadArgument(f"{text} matches several feeds ({ids}); give the id.")
        return found[0]

    async def remove(
        self, id_or_url: str | int, *, guild_id: int | None = None, everything: bool = False
    ) -> Feed:
        """Remove a feed (its stored articles stay); config feeds are removed from the config file."""
        feed = await self.find(id_or_url, guild_id=guild_id, everything=everything)
        if feed.origin == "config":
            raise BadArgument(f"Feed {feed.id} comes from the config file ([[feeds]]); remove it there.")
        await self.repo.remove(feed.id)
        log.info("feed %s removed: %s", feed.id, feed.url)
        return feed

    async def sync_config(self, configured: Sequence[FeedConfig]) -> SyncReport:
        """Make the shared config feeds match `[[feeds]]`: add new, update changed, drop removed."""
        # Under the writer lock: workers starting together would each add the same shared feed
        # (the unique key does not hold for NULL guild ids on PostgreSQL).
        async with self._writer():
            return await sync_config_feeds(self.repo, configured, self.limits, self.policy, self.clock)

    # Polling
    async def poll(
        self,
        *,
        force: bool = False,
        feed_ids: Sequence[int] | None = None,
        limit: int | None = None,
        worker: FeedWorker | None = None,
    ) -> PollReport:
        """Claim the feeds that are due (every unclaimed one with `force`; at most `limit`) and
        poll them concurrently; never raises per feed. Feeds another worker holds are skipped."""
        worker = worker or self.worker
        async with self._round:
            now = self.clock()
            await self._free_claims_of_the_dead()
            feeds = await self.repo.claim(
                worker.id, now, worker.lease_seconds, limit=limit, every=force, feed_ids=feed_ids
            )
            try:
                results = await self._poll_claimed(feeds, now, worker)
            finally:
                # Whatever was not released feed by feed (a cancelled round): free it for others.
                await asyncio.shield(self.repo.release(worker.id, [f.id for f in feeds]))
        report = PollReport(list(results))
        if feeds:
            log.info("feed poll: %s", report.summary())
        return report

    async def _poll_claimed(
        self, feeds: list[Feed], now: datetime, worker: FeedWorker
    ) -> list[FeedPollResult]:
        pending = await self.repo.pending_entries(now, [f.id for f in feeds])
        gate = asyncio.Semaphore(self.policy.poll_concurrency)
        heartbeat = Heartbeat(self.repo, worker, self.clock)
        async with self._fetcher() as fetcher, heartbeat.running():
            features = FeatureMaker(self.ingestor.keeper.settings)  # off the writer lock (see _prepare)
            poller = FeedPoller(self.repo, fetcher, self._ingest, self.policy, self.rng, self.clock, features)
            heartbeat.held.update(f.id for f in feeds)

            async def one(feed: Feed) -> FeedPollResult:
                async with gate:
                    try:
                        return await self._poll_one(poller, feed, pending.get(feed.id, []))
                    finally:
                        heartbeat.held.discard(feed.id)
                        await self.repo.release(worker.id, [feed.id])

            return list(await asyncio.gather(*(one(f) for f in feeds)))

    async def _free_claims_of_the_dead(self) -> None:
        """Release what processes of this host that died (SIGKILL, a crash) still held."""
        held = {w for w, _until in (await self.repo.claims()).values()}
        for wid in dead_on_this_host(held):
            freed = await self.repo.release(wid)
            log.info("released %d feed claims of %s, a process that is gone", freed, wid)

    async def release_claims(self, worker: FeedWorker | None = None) -> int:
        """Free every feed this worker still holds (on shutdown); returns how many."""
        return await self.repo.release((worker or self.worker).id)

    async def due_count(self) -> int:
        """How many feeds are due now, whoever holds them."""
        return await self.repo.due_count(self.clock())

    async def _poll_one(self, poller: FeedPoller, feed: Feed, pending: list[EntryRecord]) -> FeedPollResult:
        try:
            return await poller.poll(feed, pending)
        except Exception as e:  # one feed's bug must not stop the round
            log.exception("polling feed %s (%s) failed", feed.id, feed.url)
            result = FeedPollResult(feed.id, feed.url, feed.guild_id, "error")
            await poller.record_failure(feed, result, f"internal error ({e.__class__.__name__})", None)
            return result

    async def _ingest(
        self, items: Sequence[IncomingArticle], guild_id: int | None, feed_id: int
    ) -> IngestReport:
        return await self.ingestor.store_items(items, guild_id=guild_id, feed_id=feed_id)

    async def next_due_at(self) -> datetime | None:
        """When the next feed is due (None: no feeds)."""
        return await self.repo.next_due_at()

    # Health and announcing
    async def needing_alert(self) -> list[Feed]:
        """Feeds marked failing whose server (or the bot owner) has not been told yet."""
        return await self.repo.needing_alert()

    async def mark_alerted(self, feed_id: int) -> None:
        """The runtime told the alert channel: do not tell again until the feed recovers and fails anew."""
        await self.repo.update(feed_id, alerted=True)

    async def errors(self, *, guild_id: int | None = None, everything: bool = False) -> FeedErrors:
        """Feeds with an error and entries not stored in full, in the asker's scope."""
        feeds = await self.repo.list_feeds(guild_id=guild_id, everything=everything)
        bad = [f for f in feeds if f.failing or f.last_error]
        rows = await self.repo.failed_entries([f.id for f in feeds])
        return FeedErrors(bad, [EntryProblem(*r) for r in rows])

    async def held_back(self, article_ids: Sequence[int]) -> set[int]:
        """Of these articles, those only known as a new feed's back catalogue: do not announce them."""
        return await self.repo.held_back(article_ids)

    async def announceable_since(self, since: datetime, *, guild_id: int | None = None) -> list[int]:
        """Feed articles that arrived since `since` and may be announced, as the server sees them."""
        return await self.repo.announceable_since(since, guild_id)
