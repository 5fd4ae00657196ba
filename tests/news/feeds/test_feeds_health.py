"""Feed health for status screens: counts by state, the worst feeds, and servers kept apart."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.news.desk import NewsDesk
from bot.news.feeds import Feed
from bot.news.feeds._health import summarise_health
from bot.news.settings import NetworkSettings
from tests.clock import FakeClock
from tests.news.feed_server import FeedServer, Route, items_from, rss2, shared_articles


@pytest.fixture
def book(desk: NewsDesk) -> Any:
    desk.feeds.limits = NetworkSettings(allow_private_addresses=True, timeout_seconds=1.0)
    desk.feeds.rng = random.Random(3)
    return desk.feeds


def feed_doc(server: FeedServer, clock: FakeClock, start: int) -> str:
    records = shared_articles("basil_stories", limit=start + 1)[start:]
    return rss2(items_from(records, server.url(""), dates=[clock.now - timedelta(hours=1)]))


async def test_health_counts_states_and_keeps_servers_apart(
    feed_server: FeedServer, clock: FakeClock, book: Any
) -> None:
    async def add(path: str, guild_id: int | None, start: int) -> int:
        added = await book.add(
            feed_server.serve(path, feed_doc(feed_server, clock, start)), guild_id=guild_id
        )
        return int(added.feed.id)

    good = await add("/good.xml", None, 0)
    bad = await add("/bad.xml", None, 1)
    flaky = await add("/flaky.xml", 1, 2)
    other = await add("/other.xml", 2, 3)  # server 2's private feed
    feed_server.serve("/bad.xml", Route(status=500))
    feed_server.serve("/flaky.xml", Route(status=503))
    feed_server.serve("/other.xml", Route(status=404))
    await book.poll(force=True)
    for _ in range(3):
        await book.poll(force=True, feed_ids=[bad, other])
    for _ in range(2):  # the other server's feed fails most: it would lead the list if it leaked
        await book.poll(force=True, feed_ids=[other])
    fresh = await add("/fresh.xml", 1, 4)  # added, not read yet

    every = await book.health(everything=True)
    assert (every.total, every.healthy, every.not_polled, every.backing_off, every.failing) == (5, 1, 1, 1, 2)
    assert [f.id for f in every.worst] == [other, bad, flaky]  # failing first, most failures first
    assert every.worst[0].failures == 6 and "HTTP 404" in (every.worst[0].last_error or "")
    assert all(f.next_poll_at is not None and f.next_poll_at > clock.now for f in every.worst)

    mine = await book.health(guild_id=1)
    assert (mine.total, mine.healthy, mine.not_polled, mine.backing_off, mine.failing) == (4, 1, 1, 1, 1)
    assert [f.id for f in mine.worst] == [bad, flaky] and other not in {f.id for f in mine.worst}
    theirs = await book.health(guild_id=2, worst=1)
    assert (theirs.total, theirs.failing, theirs.troubled) == (3, 2, 2) and [f.id for f in theirs.worst] == [
        other
    ]
    shared = await book.health()
    assert (shared.total, shared.healthy, shared.failing) == (2, 1, 1)
    assert {f.id for f in await book.visible(1)} == {good, bad, flaky, fresh}

    feed_server.serve("/bad.xml", feed_doc(feed_server, clock, 1))  # it recovers
    await book.poll(force=True, feed_ids=[bad])
    assert (await book.health()).healthy == 2


def test_summary_of_no_feeds_and_the_order_of_the_worst() -> None:
    assert summarise_health([]).total == 0 and summarise_health([]).worst == []
    now = datetime(2026, 1, 1, tzinfo=UTC)

    def feed(n: int, failures: int, failing: bool, ok: datetime | None) -> Feed:
        return Feed(
            id=n, url=f"http://f{n}.test/", interval=900, created_at=now, last_polled_at=now,
            failures=failures, failing=failing, last_ok_at=ok, last_error="x" if failures else None,
        )  # fmt: skip

    feeds = [
        feed(1, 0, False, now),
        feed(2, 2, False, now),
        feed(3, 3, True, now),
        feed(4, 3, True, None),  # never read: worse than one that read once
        feed(5, 5, True, now),
    ]
    health = summarise_health(feeds, worst=3)
    assert [f.id for f in health.worst] == [5, 4, 3] and health.troubled == 4 and health.healthy == 1
