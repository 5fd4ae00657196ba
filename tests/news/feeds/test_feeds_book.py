"""The feed book: adding (with discovery), failures and recovery, safety, servers kept apart, config."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from bot.news.desk import NewsDesk
from bot.news.errors import BadArgument, NotFound
from bot.news.settings import NetworkSettings
from tests.clock import FakeClock
from tests.news.feed_server import (
    BILLION_LAUGHS,
    FeedServer,
    Route,
    atom,
    items_from,
    page_with_alternate,
    rss1,
    rss2,
    shared_articles,
)

LIMITS = NetworkSettings(allow_private_addresses=True, timeout_seconds=0.5, max_response_bytes=300_000)


@pytest.fixture
def book(desk: NewsDesk) -> Any:
    desk.feeds.limits = LIMITS
    desk.feeds.rng = random.Random(11)
    return desk.feeds


def feed_doc(server: FeedServer, clock: FakeClock, n: int = 3, start: int = 0, build: Any = rss2) -> str:
    records = shared_articles("basil_stories", limit=start + n)[start:]
    dates = [clock.now - timedelta(hours=2)] * n
    return str(build(items_from(records, server.url(""), dates=dates)))


async def test_add_discovers_the_feed_of_a_web_page(
    feed_server: FeedServer, clock: FakeClock, book: Any
) -> None:
    feed_url = feed_server.serve("/feeds/main.xml", feed_doc(feed_server, clock))
    page = feed_server.serve("/", page_with_alternate("/feeds/main.xml"), content_type="text/html")
    added = await book.add(page, name="Basil")
    assert added.feed.url == feed_url and added.discovered_from == page and added.entries == 3
    assert added.feed.name == "Basil" and added.feed.guild_id is None
    with pytest.raises(BadArgument, match="already added"):
        await book.add(feed_url)


async def test_add_refuses_what_is_not_a_feed(feed_server: FeedServer, book: Any) -> None:
    plain = feed_server.serve(
        "/plain", "<html><head><title>x</title></head><body>hi</body></html>", content_type="text/html"
    )
    with pytest.raises(BadArgument, match="names no RSS or Atom feed"):
        await book.add(plain)
    junk = feed_server.serve("/junk", "just { words", content_type="text/plain")
    with pytest.raises(BadArgument, match="is not a feed"):
        await book.add(junk)
    with pytest.raises(BadArgument, match="HTTP 404"):
        await book.add(feed_server.url("/missing"))
    with pytest.raises(BadArgument, match="only http and https"):
        await book.add("file:///etc/passwd")
    with pytest.raises(BadArgument, match="at least 60"):
        await book.add(feed_server.url("/x"), interval=5)


async def test_guard_on_refuses_loopback_feeds(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk
) -> None:
    url = feed_server.serve("/feed.xml", feed_doc(feed_server, clock))
    desk.feeds.limits = NetworkSettings(allow_private_addresses=False)
    with pytest.raises(BadArgument, match="loopback"):
        await desk.feeds.add(url)
    with pytest.raises(BadArgument, match="refused localhost"):
        await desk.feeds.add(f"http://localhost:{feed_server.port}/feed.xml")
    # A feed that got in while private addresses were allowed is refused at poll time.
    desk.feeds.limits = LIMITS
    await desk.feeds.add(url)
    desk.feeds.limits = NetworkSettings(allow_private_addresses=False)
    report = await desk.feeds.poll(force=True)
    assert report.results[0].status == "error" and "loopback" in (report.results[0].error or "")
    assert feed_server.hits["/feed.xml"] == 1  # only the add, made while allowed


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(status=500), "HTTP 500"),
        (Route(body=b"<rss>" + b"x" * 400_000 + b"</rss>"), "larger than the 300,000 byte limit"),
        (Route(body=b"<rss/>", delay=3.0), "timed out"),
        (Route(body=b"this is { not xml"), "not an RSS or Atom feed"),
        (Route(body=BILLION_LAUGHS.encode()), "declares XML entities"),
        (Route(body=b"<html><head></head><body>moved</body></html>", content_type="text/html"), "web page"),
    ],
)
async def test_feed_errors_are_recorded(
    feed_server: FeedServer, clock: FakeClock, book: Any, route: Route, message: str
) -> None:
    await book.add(feed_server.serve("/feed.xml", feed_doc(feed_server, clock)))
    feed_server.serve("/feed.xml", route)
    result = (await book.poll(force=True)).results[0]
    assert result.status == "error" and message in (result.error or "")
    feed = (await book.list_feeds())[0]
    assert feed.failures == 1 and message in (feed.last_error or "") and not feed.failing


async def test_failing_after_three_with_backoff_then_recovery(
    feed_server: FeedServer, clock: FakeClock, book: Any
) -> None:
    added = await book.add(feed_server.serve("/feed.xml", feed_doc(feed_server, clock)), interval=600)
    feed_server.serve("/feed.xml", Route(status=502))
    gaps = []
    for n in range(1, 5):
        report = await book.poll()
        assert report.results and report.results[0].status == "error"
        feed = await book.get(added.feed.id)
        assert feed.failures == n and feed.failing == (n >= 3)
        assert report.results[0].became_failing == (n == 3)
        assert feed.next_poll_at is not None
        gaps.append((feed.next_poll_at - clock.now).total_seconds())
        assert (await book.poll()).results == []  # backing off: not due yet
        clock.now = feed.next_poll_at
    # Doubling from the interval (jitter only adds up to 10%).
    for n, gap in enumerate(gaps):
        assert 600 * 2**n <= gap <= 600 * 2**n * 1.1
    alerts = await book.needing_alert()
    assert [f.id for f in alerts] == [added.feed.id]
    await book.mark_alerted(added.feed.id)
    assert await book.needing_alert() == []  # told once
    errors = await book.errors()
    assert errors.feeds[0].failing and "HTTP 502" in (errors.feeds[0].last_error or "")
    feed_server.serve("/feed.xml", feed_doc(feed_server, clock))
    report = await book.poll()
    assert report.results[0].status == "ok"
    feed = await book.get(added.feed.id)
    assert (feed.failures, feed.failing, feed.alerted, feed.last_error) == (0, False, False, None)
    assert 540 <= (feed.next_poll_at - clock.now).total_seconds() <= 660


async def test_retry_after_is_honoured(feed_server: FeedServer, clock: FakeClock, book: Any) -> None:
    await book.add(feed_server.serve("/feed.xml", feed_doc(feed_server, clock)), interval=300)
    feed_server.serve("/feed.xml", Route(status=429, headers={"Retry-After": "7200"}))
    result = (await book.poll()).results[0]
    assert "HTTP 429" in (result.error or "") and "retry after 7200 s" in (result.error or "")
    feed = (await book.list_feeds())[0]
    assert feed.next_poll_at is not None and (feed.next_poll_at - clock.now).total_seconds() >= 7200
    clock.advance(seconds=3600)
    assert (await book.poll()).results == []


async def test_servers_see_shared_and_their_own_feeds_only(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:

    shared = feed_server.serve("/shared.xml", feed_doc(feed_server, clock, 2, start=0))
    one = feed_server.serve("/one.xml", feed_doc(feed_server, clock, 2, start=10, build=atom))
    two = feed_server.serve("/two.xml", feed_doc(feed_server, clock, 2, start=20, build=rss1))
    await book.add(shared)
    await book.add(one, guild_id=1, origin="discord", added_by=99)
    await book.add(two, guild_id=2, origin="discord")
    await book.add(one, guild_id=2, origin="discord")  # the same feed, added by both servers
    report = await book.poll()
    assert report.summary()["new"] == 8 and report.summary()["errors"] == 0
    seen_by_1 = {a.feed_id for a in await desk.articles(guild_id=1)}
    seen_by_2 = {a.feed_id for a in await desk.articles(guild_id=2)}
    feeds = {(f.url, f.guild_id): f.id for f in await book.list_feeds(everything=True)}
    assert seen_by_1 == {feeds[(shared, None)], feeds[(one, 1)]}
    assert seen_by_2 == {feeds[(shared, None)], feeds[(two, 2)], feeds[(one, 2)]}
    # Announcements follow the same fence.
    since = clock.now - timedelta(hours=1)
    visible_1 = {a.id for a in await desk.articles(guild_id=1)}
    assert set(await book.announceable_since(since, guild_id=1)) == visible_1
    # Lists and removal stay within the server.
    assert [f.url for f in await book.list_feeds(guild_id=1)] == [one]
    with pytest.raises(NotFound):
        await book.remove(feeds[(two, 2)], guild_id=1)
    with pytest.raises(NotFound):
        await book.remove(shared, guild_id=1)
    removed = await book.remove(one, guild_id=1)
    assert removed.id == feeds[(one, 1)] and removed.added_by == 99
    assert (one, 2) in {(f.url, f.guild_id) for f in await book.list_feeds(everything=True)}


async def test_feeds_per_server_are_capped(feed_server: FeedServer, clock: FakeClock, desk: NewsDesk) -> None:
    from bot.news.settings import FeedSettings

    desk.feeds.limits = LIMITS
    desk.feeds.policy = FeedSettings(max_feeds_per_guild=1)
    await desk.feeds.add(feed_server.serve("/a.xml", feed_doc(feed_server, clock)), guild_id=5)
    with pytest.raises(BadArgument, match="already has 1 feeds"):
        await desk.feeds.add(feed_server.serve("/b.xml", feed_doc(feed_server, clock)), guild_id=5)


@dataclass
class Cfg:
    url: str
    name: str | None = None
    interval: float = 900.0


async def test_config_feeds_are_synced(feed_server: FeedServer, clock: FakeClock, book: Any) -> None:
    a, b = feed_server.url("/a.xml"), feed_server.url("/b.xml")
    first = await book.sync_config([Cfg(a, "A"), Cfg(b), Cfg("ftp://nope/")])
    assert first.added == [a, b] and first.refused == ["ftp://nope/"]
    second = await book.sync_config([Cfg(a, "A renamed", 1800)])
    assert second.updated == [a] and second.removed == [b]
    feeds = await book.list_feeds()
    assert [(f.url, f.name, f.interval, f.origin) for f in feeds] == [(a, "A renamed", 1800.0, "config")]
    with pytest.raises(BadArgument, match="config file"):
        await book.remove(feeds[0].id, everything=True)
    feed_server.serve("/a.xml", feed_doc(feed_server, clock))
    assert (await book.poll()).summary()["new"] == 3  # a config feed is due at once
