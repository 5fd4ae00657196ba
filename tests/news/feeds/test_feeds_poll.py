"""Polling feeds into a real desk: formats, no duplicates, edits, back catalogue, full text, retries."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.news.desk import NewsDesk
from bot.news.settings import FeedSettings, NetworkSettings
from bot.news.store._schema import articles
from bot.news.stories import FeatureMaker
from tests.clock import FakeClock
from tests.news.feed_server import (
    FeedServer,
    Item,
    Route,
    atom,
    items_from,
    rss1,
    rss2,
    shared_articles,
    shared_page,
)

LIMITS = NetworkSettings(allow_private_addresses=True, timeout_seconds=1.0, max_response_bytes=2_000_000)


@pytest.fixture
def book(desk: NewsDesk) -> Any:
    desk.feeds.limits = LIMITS
    desk.feeds.rng = random.Random(7)
    return desk.feeds


def recent_items(
    server: FeedServer, clock: FakeClock, n: int, *, start: int = 0, full: bool = True
) -> list[Item]:
    records = shared_articles("basil_stories", limit=start + n)[start:]
    dates = [clock.now - timedelta(hours=1 + i) for i in range(n)]
    return items_from(records, server.url(""), dates=dates, full=full)


@pytest.mark.parametrize("build", [rss2, atom, rss1])
async def test_poll_stores_each_format(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any, build: Any
) -> None:
    items = recent_items(feed_server, clock, 4)
    url = feed_server.serve("/feed.xml", build(items, title="Basil Wire"))
    added = await book.add(url)
    report = await book.poll()
    assert report.summary()["new"] == 4 and report.summary()["errors"] == 0
    arts = await desk.articles()
    assert {a.title for a in arts} == {i.title for i in items}
    for a in arts:
        assert a.feed_id == added.feed.id and a.guild_id is None
        assert a.outlet == "Basil Wire"
        assert a.url and "utm_" not in a.url  # tracking parameters removed
        assert len(a.text) > 500
    assert sorted(report.announce) == sorted(a.id for a in arts)  # all recent: all announced
    ua = [h["User-Agent"] for p, h in feed_server.requests if p == "/feed.xml"]
    assert ua and all(u.startswith("Storydesk/") for u in ua)


async def test_no_duplicates_on_repoll_304_or_unchanged(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:
    items = recent_items(feed_server, clock, 5)
    url = feed_server.serve(
        "/feed.xml", rss2(items), etag='"abc"', last_modified="Fri, 20 Nov 2026 11:00:00 GMT"
    )
    await book.add(url)
    first = await book.poll()
    assert first.summary()["new"] == 5
    feed = (await book.list_feeds())[0]
    assert feed.etag == '"abc"' and feed.last_modified == "Fri, 20 Nov 2026 11:00:00 GMT"
    # Not due yet: nothing is polled without force.
    assert (await book.poll()).results == []
    clock.advance(seconds=feed.interval * 1.2)
    second = await book.poll()
    assert [r.status for r in second.results] == ["not_modified"]
    assert feed_server.requests[-1][1]["If-None-Match"] == '"abc"'
    # A server that ignores validators: same body again, still nothing new.
    feed_server.serve("/feed.xml", rss2(items))
    third = await book.poll(force=True)
    assert third.results[0].status == "ok" and third.results[0].unchanged == 5
    assert third.summary()["new"] == 0 and third.summary()["updated"] == 0
    assert len(await desk.articles()) == 5


async def test_edited_and_redated_entries_update_without_a_second_announcement(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:
    items = recent_items(feed_server, clock, 3)
    url = feed_server.serve("/feed.xml", rss2(items))
    await book.add(url)
    first = await book.poll()
    assert len(first.announce) == 3
    before = {a.ref: a for a in await desk.articles()}
    items[0].content += "<p>Update: the council confirmed the figures on Friday evening.</p>"
    assert items[1].date is not None
    items[1].date += timedelta(minutes=30)
    feed_server.serve("/feed.xml", rss2(items))
    clock.advance(minutes=20)
    second = await book.poll(force=True)
    assert second.summary()["new"] == 0 and second.summary()["updated"] == 2
    assert second.announce == []
    after = {a.ref: a for a in await desk.articles()}
    assert after.keys() == before.keys()
    edited = next(a for a in after.values() if a.title == items[0].title)
    redated = next(a for a in after.values() if a.title == items[1].title)
    assert "council confirmed the figures" in edited.text and edited.version == 2
    assert redated.published == items[1].date and redated.version == 2


async def test_new_feed_back_catalogue_is_not_announced(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:
    old = items_from(shared_articles("basil_stories", limit=6), feed_server.url(""))  # dated 2010..2019
    fresh = recent_items(feed_server, clock, 1, start=6)
    undated = recent_items(feed_server, clock, 1, start=7)
    undated[0].date = None
    url = feed_server.serve("/feed.xml", rss2(fresh + old + undated))
    await book.add(url)
    first = await book.poll()
    assert first.summary()["new"] == 8
    arts = {a.title: a for a in await desk.articles()}
    fresh_id = arts[fresh[0].title].id
    assert first.announce == [fresh_id]  # old and undated items of a new feed are back catalogue
    held = await book.held_back([a.id for a in arts.values()])
    assert fresh_id not in held and len(held) == 7
    # The digest, too, counts only the fresh item as news that arrived: no back-catalogue flood.
    digest = await desk.digest(hours=1, max_stories=20)
    assert len(digest.items) == 1
    assert fresh_id in [a.id for a in await desk.story_articles(digest.items[0].story_id)]
    # Later, a new undated item is news: the feed was already known.
    later = recent_items(feed_server, clock, 1, start=8)
    later[0].date = None
    feed_server.serve("/feed.xml", rss2(later + fresh + old + undated))
    second = await book.poll(force=True)
    assert second.summary()["new"] == 1 and len(second.announce) == 1
    recent = await book.announceable_since(clock.now - timedelta(hours=1))
    assert set(recent) == {fresh_id, second.announce[0]}


async def test_summary_only_entry_gets_its_page(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:
    html, gold = shared_page(0)
    page_url = feed_server.serve("/story/1", html, content_type="text/html; charset=utf-8")
    summary = gold.split(".")[0] + "."
    item = Item(guid="story-1", link=page_url, title="A summary-only story", date=clock.now, summary=summary)
    url = feed_server.serve("/feed.xml", rss2([item]))
    await book.add(url)
    report = await book.poll()
    assert report.summary()["new"] == 1 and report.summary()["pending"] == 0
    art = (await desk.articles())[0]
    assert len(art.text) > 5 * len(summary)
    words = set(gold.split())
    assert len(words & set(art.text.split())) > 0.6 * len(words)  # the page's article body, mostly
    assert feed_server.hits["/story/1"] == 1
    await book.poll(force=True)
    assert feed_server.hits["/story/1"] == 1  # an unchanged entry is not fetched again


async def test_failed_page_fetch_is_retried_not_dropped(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:
    html, _gold = shared_page(1)
    feed_server.serve("/story/2", Route(status=503))
    item = Item(
        guid="story-2", link=feed_server.url("/story/2"), title="Later", date=clock.now, summary="Short."
    )
    url = feed_server.serve("/feed.xml", rss2([item]), etag='"v1"')
    await book.add(url)
    first = await book.poll()
    assert first.summary()["pending"] == 1 and first.summary()["new"] == 0
    assert await desk.articles() == []
    errors = await book.errors()
    assert errors.entries[0].state == "pending" and "HTTP 503" in errors.entries[0].error
    # The feed answers 304 now, yet the waiting entry is retried from what was stored.
    feed_server.serve("/story/2", html, content_type="text/html")
    clock.advance(hours=1)
    second = await book.poll(force=True)
    assert second.results[0].status == "not_modified"
    assert second.summary()["new"] == 1 and second.announce  # recent when first seen: announced
    assert len((await desk.articles())[0].text) > 1000
    assert (await book.errors()).entries == []


async def test_page_that_never_loads_is_stored_from_the_feed(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:
    book.policy = FeedSettings(max_entry_attempts=2, entry_retry_base=60)
    feed_server.serve("/story/3", Route(status=500))
    item = Item(
        guid="s3", link=feed_server.url("/story/3"), title="Gone", date=clock.now, summary="Only this."
    )
    await book.add(feed_server.serve("/feed.xml", rss2([item])))
    assert (await book.poll()).summary()["pending"] == 1
    clock.advance(minutes=5)
    last = await book.poll(force=True)
    assert last.summary()["failed"] == 1 and last.summary()["new"] == 1
    art = (await desk.articles())[0]
    assert art.text == "Only this."
    problem = (await book.errors()).entries[0]
    assert problem.state == "failed" and problem.attempts == 2


async def test_redirected_feed_is_followed(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:

    feed_server.serve("/real.xml", atom(recent_items(feed_server, clock, 2)))
    feed_server.redirect("/moved", "/real.xml", status=301)
    await book.add(feed_server.redirect("/old", "/moved"))
    assert (await book.poll()).summary()["new"] == 2


async def test_an_article_carried_by_two_feeds_stays_with_the_first(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:
    items = recent_items(feed_server, clock, 2)
    await book.add(feed_server.serve("/wire.xml", rss2(items, title="Wire A")))
    assert (await book.poll()).summary()["new"] == 2
    items[0].summary = "An aggregator's own blurb."  # same article URL, different wording
    await book.add(feed_server.serve("/agg.xml", rss2(items[:1], title="Aggregator")))
    report = await book.poll()
    assert report.summary()["new"] == 0 and report.summary()["updated"] == 0
    arts = await desk.articles()
    assert len(arts) == 2 and {a.outlet for a in arts} == {"Wire A"}
    assert all(a.version == 1 for a in arts)


async def test_a_link_to_something_else_than_a_page_is_not_retried(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:
    feed_server.serve("/report.pdf", b"%PDF-1.4 binary", content_type="application/pdf")
    item = Item(
        guid="pdf", link=feed_server.url("/report.pdf"), title="Report", date=clock.now, summary="A PDF."
    )
    await book.add(feed_server.serve("/feed.xml", rss2([item])))
    report = await book.poll()
    assert (
        report.summary()["new"] == 1 and report.summary()["failed"] == 1 and report.summary()["pending"] == 0
    )
    assert (await desk.articles())[0].text == "A PDF."
    assert "not a web page (application/pdf)" in (await book.errors()).entries[0].error


async def test_the_clustering_features_come_with_the_items_not_from_the_writer(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:
    """The poller computes each article's clustering features beside its quotes, outside the
    writer lock (feed workers all wait for that lock); they are the features of its title and
    text, the ones the writer would have computed and stores."""
    items = recent_items(feed_server, clock, 3)
    url = feed_server.serve("/feed.xml", rss2(items, title="Basil Wire"))
    await book.add(url)
    handed: list[Any] = []
    store_items = desk.ingestor.store_items

    async def watched(batch: Any, **kwargs: Any) -> Any:
        handed.extend(batch)
        return await store_items(batch, **kwargs)

    desk.ingestor.store_items = watched  # type: ignore[method-assign]
    assert (await book.poll()).summary()["new"] == 3
    maker = FeatureMaker(desk.keeper.settings)
    assert len(handed) == 3
    for item in handed:
        assert item.features == maker.features(item.article.title, item.article.text).to_json()
    async with desk.store.engine.connect() as conn:
        stored = (await conn.execute(select(articles.c.ref, articles.c.cluster_features))).all()
    assert {ref: f for ref, f in stored} == {i.ref: i.features for i in handed}
