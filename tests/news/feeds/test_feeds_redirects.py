"""Feeds that move: permanent redirects (301, 308) update the stored URL, temporary ones do not."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from bot.cli._feeds import poll_json, poll_text
from bot.news.desk import NewsDesk
from bot.news.errors import BadArgument
from bot.news.feeds._fetched import moved_for_good
from bot.news.fetching import Fetcher, FetchResult
from bot.news.fetching import _netguard as netguard
from bot.news.settings import NetworkSettings
from tests.clock import FakeClock
from tests.news.feed_server import FeedServer, Route, items_from, rss2, shared_articles

OPEN = NetworkSettings(allow_private_addresses=True, timeout_seconds=1.0)


@pytest.fixture
def book(desk: NewsDesk) -> Any:
    desk.feeds.limits = OPEN
    desk.feeds.rng = random.Random(5)
    return desk.feeds


def feed_doc(server: FeedServer, clock: FakeClock, n: int = 2, start: int = 0) -> str:
    records = shared_articles("basil_stories", limit=start + n)[start:]
    return rss2(items_from(records, server.url(""), dates=[clock.now - timedelta(hours=1)] * n))


@pytest.mark.parametrize(
    ("chain", "moved"),
    [
        ([301], "/final.xml"),
        ([308], "/final.xml"),
        ([301, 308], "/final.xml"),
        ([301, 302], "/hop1"),  # permanent as far as the first temporary hop
        ([302, 301], None),
        ([307], None),
        ([302], None),
        ([], None),
    ],
)
async def test_fetcher_reports_where_a_url_moved_for_good(
    feed_server: FeedServer, chain: list[int], moved: str | None
) -> None:
    final = feed_server.serve("/final.xml", "<rss/>")
    target = "/final.xml"
    for n in range(len(chain), 0, -1):  # build the chain backwards: /hop0 -> /hop1 -> ... -> final
        feed_server.redirect(f"/hop{n - 1}", target, status=chain[n - 1])
        target = f"/hop{n - 1}"
    async with Fetcher(OPEN) as fetcher:
        got = await fetcher.get(feed_server.url(target))
    assert got.url == final
    assert got.moved_to == (feed_server.url(moved) if moved else None)


def test_a_move_that_gives_up_https_is_not_kept() -> None:
    moved = FetchResult(url="http://b.test/f", status=200, moved_to="http://b.test/f")
    assert moved_for_good("https://a.test/f", moved) is None
    assert moved_for_good("http://a.test/f", moved) == "http://b.test/f"
    upgraded = FetchResult(url="https://a.test/f", status=200, moved_to="https://a.test/f")
    assert moved_for_good("http://a.test/f", upgraded) == "https://a.test/f"
    assert moved_for_good("https://a.test/f", upgraded) is None  # already there


@pytest.mark.parametrize("status", [301, 308])
async def test_a_permanent_redirect_updates_the_feed_url(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any, status: int
) -> None:
    old = feed_server.serve("/old.xml", feed_doc(feed_server, clock))
    new = feed_server.serve("/new.xml", feed_doc(feed_server, clock), etag='"n1"')
    added = await book.add(old, guild_id=7)
    feed_server.redirect("/old.xml", "/new.xml", status=status)
    report = await book.poll()
    assert report.summary()["new"] == 2
    assert report.results[0].moved_to == new and report.results[0].merged_into is None
    feed = await book.get(added.feed.id)
    assert feed.url == new and feed.guild_id == 7 and feed.etag == '"n1"'
    hits = feed_server.hits["/old.xml"]
    again = await book.poll(force=True)  # straight to the new URL, with its validators
    assert feed_server.hits["/old.xml"] == hits
    assert again.results[0].status == "not_modified" and again.results[0].moved_to is None
    assert len(await desk.articles()) == 2


@pytest.mark.parametrize("status", [302, 307])
async def test_a_temporary_redirect_keeps_the_feed_url(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any, status: int
) -> None:
    old = feed_server.serve("/old.xml", feed_doc(feed_server, clock))
    feed_server.serve("/new.xml", feed_doc(feed_server, clock))
    added = await book.add(old)
    feed_server.redirect("/old.xml", "/new.xml", status=status)
    report = await book.poll()
    assert report.summary()["new"] == 2 and report.results[0].moved_to is None
    assert (await book.get(added.feed.id)).url == old


@pytest.mark.parametrize("target", [Route(status=500), Route(body=b"<html>not a feed</html>")])
async def test_no_move_when_the_poll_fails(
    feed_server: FeedServer, clock: FakeClock, book: Any, target: Route
) -> None:
    old = feed_server.serve("/old.xml", feed_doc(feed_server, clock))
    added = await book.add(old)
    feed_server.serve("/new.xml", target)
    feed_server.redirect("/old.xml", "/new.xml", status=301)
    report = await book.poll()
    assert report.results[0].status == "error" and report.results[0].moved_to is None
    assert (await book.get(added.feed.id)).url == old


async def test_moving_onto_a_feed_of_the_same_scope_keeps_one(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:
    target = feed_server.serve("/a.xml", feed_doc(feed_server, clock, 2))
    old = feed_server.serve("/b.xml", feed_doc(feed_server, clock, 2))
    kept = (await book.add(target, guild_id=1)).feed
    moving = (await book.add(old, guild_id=1)).feed
    elsewhere = (await book.add(old, guild_id=2)).feed  # another server has only the old URL
    feed_server.redirect("/b.xml", "/a.xml?utm_source=rss", status=301)  # the same feed, spelt otherwise
    report = await book.poll()
    assert report.summary()["errors"] == 0
    by_id = {r.feed_id: r for r in report.results}
    assert by_id[moving.id].merged_into == kept.id
    assert by_id[elsewhere.id].moved_to == feed_server.url("/a.xml?utm_source=rss")
    assert by_id[elsewhere.id].merged_into is None
    left = {(f.id, f.url, f.guild_id) for f in await book.list_feeds(everything=True)}
    assert left == {(kept.id, target, 1), (elsewhere.id, feed_server.url("/a.xml?utm_source=rss"), 2)}
    assert len(await desk.articles(guild_id=1)) == 2  # one copy of each article for server 1
    assert (await book.poll(force=True)).summary()["errors"] == 0
    text = poll_text(report)
    assert f"feed {moving.id} moved permanently to <{target}?utm_source=rss>: feed {kept.id} already" in text
    assert f"feed {elsewhere.id} moved permanently to" in text
    moved = {r["feed_id"]: r for r in poll_json(report)["results"]}
    assert moved[moving.id]["merged_into"] == kept.id and moved[kept.id]["moved_to"] is None


@dataclass
class Cfg:
    url: str
    name: str | None = None
    interval: float = 900.0


async def test_a_config_feed_keeps_its_configured_url(
    feed_server: FeedServer, clock: FakeClock, book: Any
) -> None:
    configured = feed_server.redirect("/cfg.xml", "/new.xml", status=301)
    feed_server.serve("/new.xml", feed_doc(feed_server, clock))
    await book.sync_config([Cfg(configured)])
    report = await book.poll()
    assert report.summary()["new"] == 2 and report.results[0].moved_to is None
    assert [f.url for f in await book.list_feeds()] == [configured]
    assert (await book.sync_config([Cfg(configured)])).added == []  # nothing for the sync to undo


async def test_adding_a_moved_feed_stores_its_new_url(
    feed_server: FeedServer, clock: FakeClock, book: Any
) -> None:
    new = feed_server.serve("/new.xml", feed_doc(feed_server, clock))
    added = await book.add(feed_server.redirect("/old.xml", "/new.xml", status=308))
    assert added.feed.url == new
    with pytest.raises(BadArgument, match="already added"):
        await book.add(feed_server.url("/old.xml"))


async def test_a_permanent_redirect_to_a_private_address_is_refused(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The guard is on; the test server's own address stands in for 'the public internet'.
    real = netguard.address_refusal

    def pretend_public(ip: netguard.IPAddress, *, allow_private: bool) -> str | None:
        return None if str(ip) == "127.0.0.1" else real(ip, allow_private=allow_private)

    monkeypatch.setattr(netguard, "address_refusal", pretend_public)
    desk.feeds.limits = NetworkSettings(allow_private_addresses=False, timeout_seconds=1.0)
    old = feed_server.serve("/old.xml", feed_doc(feed_server, clock))
    added = await desk.feeds.add(old)
    feed_server.redirect("/old.xml", f"http://127.0.0.2:{feed_server.port}/secret.xml", status=301)
    report = await desk.feeds.poll()
    assert report.results[0].status == "error" and "loopback" in (report.results[0].error or "")
    assert (await desk.feeds.get(added.feed.id)).url == old
    assert feed_server.hits["/secret.xml"] == 0
