"""Live cards in the engine: one card per story once enough outlets carry it; edits as outlets join."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest

from bot.news.desk import NewsDesk
from bot.news.errors import BadArgument, NotFound
from bot.news.live import LiveBoard
from bot.news.settings import NetworkSettings
from tests.clock import FakeClock
from tests.news.feed_server import OUTLETS, FeedServer, events, items_from, rss2


def serve_outlet(server: FeedServer, clock: FakeClock, source: str, records: list[dict[str, Any]]) -> str:
    dates = [clock.now - timedelta(minutes=30)] * len(records)
    items = items_from(records, server.url(f"/{source}"), dates=dates)
    return server.serve(f"/{source}.xml", rss2(items, title=OUTLETS[source]))


@pytest.fixture
def board(desk: NewsDesk) -> LiveBoard:
    desk.feeds.limits = NetworkSettings(allow_private_addresses=True)
    desk.feeds.rng = random.Random(5)
    return desk.live


async def test_start_and_stop(board: LiveBoard) -> None:
    with pytest.raises(BadArgument, match="between 1 and 50"):
        await board.start(1, 10, min_outlets=0)
    started = await board.start(1, 10, min_outlets=2)
    assert (started.channel_id, started.min_outlets) == (10, 2)
    moved = await board.start(1, 11, min_outlets=3)  # one live channel per server
    assert [c.channel_id for c in await board.channels()] == [moved.channel_id] == [11]
    await board.stop(1)
    with pytest.raises(NotFound):
        await board.stop(1)


async def test_one_card_per_story_edited_as_outlets_join(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, board: LiveBoard
) -> None:
    (event,) = events(1)
    await board.start(guild_id=1, channel_id=10, min_outlets=2)
    since = clock.now - timedelta(minutes=1)
    await desk.feeds.add(serve_outlet(feed_server, clock, "fox", [event["fox"]]))
    await desk.feeds.poll()
    assert await board.due(since) == []  # one outlet: below the threshold

    await desk.feeds.add(serve_outlet(feed_server, clock, "nyt", [event["nyt"]]))
    await desk.feeds.poll()
    (post,) = await board.due(since)
    assert post.kind == "post" and post.view.outlet_count == 2
    assert set(post.view.outlets) == {"Fox News", "The New York Times"}
    card = await board.claim(post)
    assert card is not None
    assert await board.claim(post) is None  # a second claim for the same story fails
    await board.record_posted(card, message_id=555, view=post.view)
    assert await board.due(since) == []  # posted and unchanged: nothing to do

    clock.advance(minutes=5)
    await desk.feeds.add(serve_outlet(feed_server, clock, "hpo", [event["hpo"]]))
    await desk.feeds.poll()
    (edit,) = await board.due(since)
    assert edit.kind == "edit" and edit.card is not None and edit.card.message_id == 555
    assert edit.view.outlet_count == 3 and edit.view.newest_outlet == "HuffPost"
    assert edit.view.newest_title == event["hpo"]["title"]
    await board.record_edited(edit.card, edit.view)
    assert await board.due(since) == []
    assert await board.unrecorded() == []


async def test_back_catalogue_never_makes_a_card(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, board: LiveBoard
) -> None:
    (event,) = events(1)
    await board.start(guild_id=1, channel_id=10, min_outlets=2)
    since = clock.now - timedelta(minutes=1)
    for source in ("fox", "nyt", "hpo"):  # original 2010 dates: a new feed's old items
        items = items_from([event[source]], feed_server.url(f"/{source}"))
        await desk.feeds.add(feed_server.serve(f"/{source}.xml", rss2(items, title=OUTLETS[source])))
    report = await desk.feeds.poll()
    assert report.summary()["new"] == 3 and report.announce == []
    stories = await desk.stories()
    assert any(len(s.outlets) == 3 for s in stories)
    assert await board.due(since) == []


async def test_cards_respect_server_boundaries(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk, board: LiveBoard
) -> None:
    (event,) = events(1)
    since = clock.now - timedelta(minutes=1)
    await board.start(guild_id=1, channel_id=10, min_outlets=2)
    await board.start(guild_id=2, channel_id=20, min_outlets=2)
    await desk.feeds.add(serve_outlet(feed_server, clock, "fox", [event["fox"]]))  # shared
    await desk.feeds.add(serve_outlet(feed_server, clock, "nyt", [event["nyt"]]), guild_id=1)
    await desk.feeds.poll()
    actions = await board.due(since)
    assert [(a.kind, a.channel.guild_id) for a in actions] == [("post", 1)]  # server 2 sees one outlet
