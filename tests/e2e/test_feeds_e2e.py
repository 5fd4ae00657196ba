"""/feeds and /live end to end: the real bot, the fake Discord, a local feed server, real SQLite."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
from e2e_support import BotFactory, FakeClock, answer
from fake_discord import FakeDiscord

from bot.config import Settings
from bot.news import NewsDesk
from bot.news.live import CardAction, LiveBoard
from bot.runtime.client import StorydeskBot
from bot.runtime.jobs import FeedRunner, LivePoster
from bot.runtime.render import live_card
from tests.news.feed_server import FeedServer, Route, items_from, rss2, shared_articles

OUTLETS = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}


@pytest.fixture
def open_settings(settings: Settings) -> Settings:
    """The e2e settings, allowing the loopback feed server (the guard is tested on its own)."""
    data = settings.model_dump()
    data["network"]["allow_private_addresses"] = True
    data["network"]["timeout_seconds"] = 2
    return Settings.model_validate(data)


@pytest.fixture
async def bot(start_bot: BotFactory, open_settings: Settings, desk: NewsDesk) -> StorydeskBot:
    desk.feeds.limits = open_settings.network  # the desk is opened by the fixture, before these settings
    started: StorydeskBot = await start_bot(settings_=open_settings)
    return started


def runner_of(bot: StorydeskBot) -> FeedRunner:
    cog: Any = bot.get_cog("FeedsCog")
    return cog.runner  # type: ignore[no-any-return]


def poster_of(bot: StorydeskBot) -> LivePoster:
    cog: Any = bot.get_cog("LiveCog")
    return cog.poster  # type: ignore[no-any-return]


def event() -> dict[str, dict[str, Any]]:
    """One BASIL event covered by Fox, NYT and HuffPost."""
    by_event: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in shared_articles("basil_stories"):
        by_event[r["cluster_id"]][r["source"]] = r
    return next(e for e in by_event.values() if set(e) == set(OUTLETS))


def outlet_feed(server: FeedServer, clock: FakeClock, source: str, record: dict[str, Any]) -> str:
    items = items_from([record], server.url(f"/{source}"), dates=[clock.now - timedelta(minutes=20)])
    return server.serve(f"/{source}.xml", rss2(items, title=OUTLETS[source]))


def sub(command: str, **options: Any) -> list[dict[str, Any]]:
    """A subcommand with string/int/channel options, as Discord sends them."""
    kinds = {str: 3, int: 4}
    opts = [
        {"name": k, "type": 7 if k in ("channel", "alerts") else kinds[type(v)], "value": v}
        for k, v in options.items()
    ]
    return [{"type": 1, "name": command, "options": opts}]


async def test_feeds_commands_polling_and_alerts(
    bot: StorydeskBot, fake: FakeDiscord, feed_server: FeedServer, clock: FakeClock
) -> None:
    guild = int(fake.guild_id)
    url = outlet_feed(feed_server, clock, "fox", event()["fox"])

    denied = await answer(fake, await fake.slash("feeds", sub("list"), user=fake.reader))
    assert "Manage Server" in denied["content"] and denied["flags"] == 64

    added = await answer(fake, await fake.slash("feeds", sub("add", url=url, name="Fox (politics)")))
    assert "added" in added["content"] and added["flags"] == 64
    feed = (await bot.desk.feeds.list_feeds(guild_id=guild))[0]
    assert (feed.url, feed.name, feed.origin) == (url, "Fox (politics)", "discord")
    assert feed.alert_channel_id == int(fake.channel_id) and feed.added_by == int(fake.admin.id)

    await bot.desk.feeds.poll(force=True)
    mine = [a for a in await bot.desk.articles(guild_id=guild) if a.feed_id == feed.id]
    assert len(mine) == 1 and mine[0].guild_id == guild and mine[0].outlet == "Fox (politics)"
    assert [a for a in await bot.desk.articles(guild_id=guild + 1) if a.feed_id == feed.id] == []

    listed = await answer(fake, await fake.slash("feeds", sub("list")))
    assert "Fox (politics)" in listed["embeds"][0]["description"]

    # Three failures in a row: the feed is failing and its alert channel hears it once.
    feed_server.serve("/fox.xml", Route(status=500))
    for _ in range(3):
        await bot.desk.feeds.poll(force=True)
    before = len(fake.posts_to(fake.channel_id))
    assert await runner_of(bot).send_alerts() == 1
    assert await runner_of(bot).send_alerts() == 0
    alerts = fake.posts_to(fake.channel_id)[before:]
    assert (
        len(alerts) == 1
        and "has failed 3 times" in alerts[0]["content"]
        and "HTTP 500" in alerts[0]["content"]
    )

    # Another server's private feed fails too: this server's /status must not show it.
    secret = outlet_feed(feed_server, clock, "nyt", event()["nyt"])
    hidden = await bot.desk.feeds.add(secret, guild_id=guild + 1)
    feed_server.serve("/nyt.xml", Route(status=418))
    for _ in range(3):
        await bot.desk.feeds.poll(force=True, feed_ids=[hidden.feed.id])
    assert (await bot.desk.feeds.get(hidden.feed.id)).failing
    status = await answer(fake, await fake.slash("status"))
    feeds_field = next(f for f in status["embeds"][0]["fields"] if f["name"] == "Feeds")
    assert feeds_field["value"].startswith("1 feed · 0 ok · ⚠ 1 failing")
    assert "HTTP 500" in feeds_field["value"] and "next try <t:" in feeds_field["value"]
    # Another server's failing feed never shows (its error, not a digit run that a snowflake id may hold).
    assert "HTTP 418" not in str(status) and "Teapot" not in str(status) and "nyt.xml" not in str(status)

    errors = await answer(fake, await fake.slash("feeds", sub("errors")))
    assert (
        "failing" in errors["embeds"][0]["description"] and "HTTP 500" in errors["embeds"][0]["description"]
    )

    choices = await fake.autocomplete(
        "feeds",
        [
            {
                "type": 1,
                "name": "remove",
                "options": [{"name": "feed", "type": 4, "value": "", "focused": True}],
            }
        ],
    )
    assert [c["value"] for c in choices] == [feed.id]
    removed = await answer(fake, await fake.slash("feeds", sub("remove", feed=feed.id)))
    assert f"Feed **{feed.id}**" in removed["content"] and "removed" in removed["content"]
    assert await bot.desk.feeds.list_feeds(guild_id=guild) == []


async def test_feeds_add_explains_refusals(bot: StorydeskBot, fake: FakeDiscord) -> None:
    refused = await answer(fake, await fake.slash("feeds", sub("add", url="file:///etc/passwd")))
    assert "only http and https" in refused["content"] and refused["flags"] == 64


async def test_live_card_posted_once_then_edited_as_outlets_join(
    bot: StorydeskBot, start_bot: BotFactory, open_settings: Settings, fake: FakeDiscord,
    feed_server: FeedServer, clock: FakeClock,
) -> None:  # fmt: skip
    guild, news = int(fake.guild_id), fake.channel("news").id
    story_event = event()
    started = await answer(fake, await fake.slash("live", sub("start", channel=news, min_outlets=2)))
    assert "Live stories on" in started["content"]
    clock.advance(seconds=5)
    poster = poster_of(bot)

    for source in ("fox", "nyt"):
        await bot.desk.feeds.add(outlet_feed(feed_server, clock, source, story_event[source]), guild_id=guild)
    await bot.desk.feeds.poll(force=True)
    await poster.update()
    cards = fake.posts_to(news)
    assert len(cards) == 1
    card = cards[0]["embeds"][0]
    assert "Covered by 2 outlets" in card["description"]
    assert "Fox News" in card["description"] and "The New York Times" in card["description"]

    clock.advance(minutes=3)
    await bot.desk.feeds.add(outlet_feed(feed_server, clock, "hpo", story_event["hpo"]), guild_id=guild)
    await bot.desk.feeds.poll(force=True)
    await poster.update()
    assert len(fake.posts_to(news)) == 1  # the same message, edited
    edited = fake.find_message(cards[0]["id"])
    assert edited is not None and edited["edited_timestamp"]
    assert "Covered by 3 outlets" in edited["embeds"][0]["description"]
    newest = next(f for f in edited["embeds"][0]["fields"] if f["name"] == "Newest")
    assert newest["value"].startswith("HuffPost")
    patches = len(fake.calls_to("PATCH", rf"/channels/{news}/messages/"))
    await poster.update()
    assert len(fake.calls_to("PATCH", rf"/channels/{news}/messages/")) == patches  # unchanged: no edit

    # A restart changes nothing: the card is recorded in the database.
    await bot.close()
    again = await start_bot(settings_=open_settings)
    await poster_of(again).update()
    assert len(fake.posts_to(news)) == 1

    stopped = await answer(fake, await fake.slash("live", sub("stop")))
    assert "stopped" in stopped["content"]


async def test_an_article_from_own_and_shared_feed_counts_once(
    bot: StorydeskBot, fake: FakeDiscord, feed_server: FeedServer, clock: FakeClock
) -> None:
    guild, news = int(fake.guild_id), fake.channel("news").id
    story_event = event()
    await answer(fake, await fake.slash("live", sub("start", channel=news, min_outlets=2)))
    clock.advance(seconds=5)
    for source in ("fox", "nyt"):
        await bot.desk.feeds.add(outlet_feed(feed_server, clock, source, story_event[source]), guild_id=guild)
    # The owner's shared feed carries the same Fox article, from another feed URL under another name.
    items = items_from(
        [story_event["fox"]], feed_server.url("/fox"), dates=[clock.now - timedelta(minutes=20)]
    )
    await bot.desk.feeds.add(feed_server.serve("/shared-fox.xml", rss2(items, title="Fox News (shared)")))
    await bot.desk.feeds.poll(force=True)
    assert len([a for a in await bot.desk.articles() if a.outlet and "Fox" in a.outlet]) == 2  # one per scope
    await poster_of(bot).update()
    (card,) = fake.posts_to(news)
    description = card["embeds"][0]["description"]
    assert "Covered by 2 outlets" in description
    assert description.count("Fox News") == 1 and description.count("/fox/articles/") == 1


async def _one_card_due(
    bot: StorydeskBot, fake: FakeDiscord, feed_server: FeedServer, clock: FakeClock
) -> tuple[LiveBoard, CardAction]:
    """A live board on #news and one story from two outlets' feeds, its card due."""
    guild, news = int(fake.guild_id), fake.channel("news").id
    story_event = event()
    board = bot.desk.live
    await board.start(guild, int(news), min_outlets=2)
    clock.advance(seconds=5)
    for source in ("fox", "nyt"):
        await bot.desk.feeds.add(outlet_feed(feed_server, clock, source, story_event[source]), guild_id=guild)
    await bot.desk.feeds.poll(force=True)
    (action,) = await board.due(clock.now - timedelta(hours=1))
    return board, action


async def test_a_claim_left_by_a_crash_is_found_not_reposted(
    bot: StorydeskBot, fake: FakeDiscord, feed_server: FeedServer, clock: FakeClock
) -> None:
    guild, news = int(fake.guild_id), fake.channel("news").id
    board, action = await _one_card_due(bot, fake, feed_server, clock)
    # The crash: claimed and posted (with the claim's nonce), but the message id never recorded.
    card = await board.claim(action)
    assert card is not None
    stale = action.view
    stale.outlets = stale.outlets[:1]  # what the card said when it was posted
    channel = bot.get_partial_messageable(int(news), guild_id=guild)
    await channel.send(embeds=live_card(stale, marker=card.nonce).embeds, nonce=card.nonce)
    await poster_of(bot).update()
    posted = fake.posts_to(news)
    assert len(posted) == 1  # found by the marker in its footer: nothing posted twice
    assert await board.unrecorded() == []
    # Recovered without knowing its content: it is edited up to date, in place.
    assert "Covered by 2 outlets" in posted[0]["embeds"][0]["description"]
    assert posted[0]["edited_timestamp"]


async def test_a_claim_never_posted_is_posted_once_by_recovery(
    bot: StorydeskBot, fake: FakeDiscord, feed_server: FeedServer, clock: FakeClock
) -> None:
    news = fake.channel("news").id
    board, action = await _one_card_due(bot, fake, feed_server, clock)
    assert await board.claim(action) is not None  # the crash came before the post
    await poster_of(bot).update()
    await poster_of(bot).update()
    posted = fake.posts_to(news)
    assert len(posted) == 1 and "Covered by 2 outlets" in posted[0]["embeds"][0]["description"]
    assert await board.unrecorded() == []


def test_cards_and_feed_lists_fit_discord_limits_whatever_the_data() -> None:
    from datetime import UTC, datetime

    from bot.news.feeds import Feed, FeedErrors
    from bot.news.feeds._health import summarise_health
    from bot.news.live import CardView
    from bot.runtime.render._feeds import feed_errors_embed, feeds_embed, feeds_status
    from bot.runtime.render._limits import violations

    long = "Breaking [news](http://x) **@everyone** " * 200
    view = CardView(
        story_id=7,
        headline=long,
        outlets=[f"Outlet {n} {long[:80]}" for n in range(300)],
        newest_title=long,
        newest_outlet=long,
        newest_url="http://example.com/" + "a" * 3000,
        links=[(f"Outlet {n} {long[:80]}", long, f"http://o{n}.test/a b") for n in range(300)],
    )
    card = live_card(view, marker="abcd1234")
    assert violations(card.content, card.embeds) == []
    assert "Covered by 300 outlets" in (card.embeds[0].description or "")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    feeds = [
        Feed(id=n, url=f"http://f{n}.test/" + "x" * 500, name=long, interval=900, created_at=now, failing=n % 2 == 0,
             failures=3, last_error=long)
        for n in range(200)
    ]  # fmt: skip
    for embed in (feeds_embed(feeds, 5), feed_errors_embed(FeedErrors(feeds=feeds))):
        assert violations(None, [embed]) == []
    for f in feeds:
        f.last_polled_at = f.next_poll_at = now
    status = feeds_status(summarise_health(feeds, worst=200))
    assert len(status) <= 1024 and "100 failing" in status
