"""One article from a server's own feed and from a shared feed: the server sees it once."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from bot.news.desk import NewsDesk
from bot.news.settings import NetworkSettings
from tests.clock import FakeClock
from tests.news.feed_server import FeedServer, Item, events, items_from, rss2


@pytest.fixture
def book(desk: NewsDesk) -> Any:
    desk.feeds.limits = NetworkSettings(allow_private_addresses=True)
    desk.feeds.rng = random.Random(9)
    return desk.feeds


def outlet_items(
    server: FeedServer, clock: FakeClock, source: str, records: list[dict[str, Any]]
) -> list[Item]:
    # Built on the outlet's own address: every feed carrying these items links the same pages.
    return items_from(
        records, server.url(f"/{source}"), dates=[clock.now - timedelta(minutes=30)] * len(records)
    )


@pytest.mark.parametrize("own_first", [True, False])
async def test_own_and_shared_copies_show_once_to_the_server(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any, own_first: bool
) -> None:
    picked = events(2)
    fox = outlet_items(feed_server, clock, "fox", [e["fox"] for e in picked])
    nyt = outlet_items(feed_server, clock, "nyt", [e["nyt"] for e in picked])
    shared = feed_server.serve("/shared-fox.xml", rss2(fox, title="Fox News"))
    own = feed_server.serve("/own-fox.xml", rss2(fox, title="Fox News"))
    await book.add(feed_server.serve("/own-nyt.xml", rss2(nyt, title="NYT")), guild_id=1)
    start = clock.now
    for url, guild_id in [(own, 1), (shared, None)] if own_first else [(shared, None), (own, 1)]:
        await book.add(url, guild_id=guild_id, name="Fox (politics)" if guild_id else None)
        assert (await book.poll()).summary()["errors"] == 0
        clock.advance(minutes=5)

    assert len(await desk.articles()) == 6  # stored once per scope: the CLI (owner) sees both copies
    mine = await desk.articles(guild_id=1)
    assert len(mine) == 4 and len({a.url for a in mine}) == 4
    fox_outlets = {a.outlet for a in mine if a.url and "/fox/" in a.url}
    assert fox_outlets == ({"Fox (politics)"} if own_first else {"Fox News"})  # the copy stored first
    theirs = await desk.articles(guild_id=2)  # a private copy never hides the shared one elsewhere
    assert (
        len(theirs) == 2
        and {a.outlet for a in theirs} == {"Fox News"}
        and {a.guild_id for a in theirs} == {None}
    )

    for guild_id, expected in [(1, 4), (2, 2)]:
        stories = await desk.stories(guild_id=guild_id)
        refs = [a.url for s in stories for a in s.articles]
        assert len(refs) == expected and len(set(refs)) == expected
        assert all(len(s.outlets) == len(set(s.outlets)) for s in stories)
        digest = await desk.digest(since=start - timedelta(hours=1), guild_id=guild_id, max_stories=20)
        assert sum(i.article_count for i in digest.items) == expected
        links = [link.url for i in digest.items for link in i.outlets]
        assert len(links) == len(set(links)) == expected
        announced = await book.announceable_since(start - timedelta(hours=1), guild_id=guild_id)
        assert Counter(announced) == Counter(a.id for a in await desk.articles(guild_id=guild_id))


async def test_same_url_or_same_content_is_the_same_article(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, book: Any
) -> None:
    fox = outlet_items(feed_server, clock, "fox", [e["fox"] for e in events(2)])
    await book.add(feed_server.serve("/shared.xml", rss2(fox, title="Fox News")))
    await book.poll()
    clock.advance(minutes=5)
    reworded = Item(**{**vars(fox[0]), "content": fox[0].content + "<p>An update.</p>"})  # same link
    moved = Item(**{**vars(fox[1]), "guid": "other-id", "link": feed_server.url("/elsewhere/1")})  # same text
    text = "<p>Nothing to do with the rest.</p>" * 30  # long enough not to fetch its page
    other = Item(guid="x", link=feed_server.url("/x"), title="Only here", date=clock.now, content=text)
    await book.add(feed_server.serve("/own.xml", rss2([reworded, moved, other], title="Own")), guild_id=1)
    assert (await book.poll()).summary()["new"] == 3
    mine = await desk.articles(guild_id=1)
    assert sorted((a.outlet, a.title) for a in mine) == sorted(
        [("Fox News", fox[0].title), ("Fox News", fox[1].title), ("Own", "Only here")]
    )
