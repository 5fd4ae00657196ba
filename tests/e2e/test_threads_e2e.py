"""Threads and forum channels through the real jobs, the real discord.py client and the fake Discord.

A forum schedule opens one post per story and later only replies in that post (also after a
restart, and in a new post when the old one was deleted); a text channel in thread mode starts a
thread from each story's message, reopens an archived thread and replaces a locked one; a live
board puts figure notes into the card's thread or forum post; missing permissions are refused up
front, naming what is missing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from e2e_support import BotFactory, FakeClock, answer, stop
from fake_discord import FakeDiscord
from fake_payloads import CREATE_PUBLIC_THREADS, SEND_MESSAGES_IN_THREADS

from bot.news import Schedule
from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle, add_quotes
from bot.news.models import ExtractedArticle
from bot.runtime.client import StorydeskBot
from bot.runtime.jobs import LivePoster
from bot.runtime.render._limits import violations
from tests.news.watch.plant import report

NINE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
NO_PINGS = {"parse": []}


def extra(n: int) -> ExtractedArticle:
    """One more outlet's report of the plant story (the fourth report, retold by outlet n)."""
    base = report(3)
    outlet = f"Harbor Post {n}"
    return base.model_copy(
        update={
            "outlet": outlet,
            "title": f"Delmont chemical plant explosion: {outlet}",
            "url": f"https://harbor-post-{n}.example/delmont",
            "text": base.text + f" Schools in district {n} near the Delmont plant stayed closed on Tuesday.",
        }
    )


async def arrive(desk: NewsDesk, clock: FakeClock, at: datetime, *articles: ExtractedArticle) -> int:
    """These reports arrive at `at`; returns the (one) story they are in."""
    clock.now = at
    items = []
    for article in articles:
        add_quotes(article)  # as the feed poller does
        items.append(IncomingArticle(article.url or "", article))
    result = await desk.ingest_items(items)
    (story,) = set(result.story_of.values())
    return story


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    async def loop() -> None:
        while not await check():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(loop(), timeout)


async def fire(bot: StorydeskBot, clock: FakeClock, schedule: Schedule, at: datetime) -> None:
    """Run the schedule's job at `at` and wait until its ledger entry settled."""
    clock.now = at
    bot.jobs.run_soon(f"digest:{schedule.id}")

    async def settled() -> bool:
        entry = await bot.desk.schedules.entry_for(schedule.id, at)
        return entry is not None and (entry.state != "claimed" or entry.error is not None)

    await eventually(settled)


def sub(name: str, **options: Any) -> list[dict[str, Any]]:
    kinds = {"channel": 7, "min_outlets": 4, "threads": 5}
    opts = [{"name": k, "type": kinds.get(k, 3), "value": v} for k, v in options.items()]
    return [{"name": name, "type": 1, "options": opts}]


def embed_of(msg: dict[str, Any]) -> dict[str, Any]:
    assert violations(msg.get("content"), msg["embeds"]) == []
    return msg["embeds"][0]  # type: ignore[no-any-return]


async def thread_of(desk: NewsDesk, channel_id: str, story_id: int) -> str:
    known = await desk.threads.thread(int(channel_id), story_id)
    assert known is not None
    return str(known.thread_id)


async def test_a_forum_schedule_opens_a_post_per_story_then_only_replies(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    forum = fake.add_channel("stories", forum=True).id
    bot = await start_bot()
    clock.now = NINE - timedelta(hours=1)
    added = await answer(
        fake, await fake.slash("schedule", sub("add", channel=forum, cron="0 9 * * *", timezone="UTC"))
    )
    assert "a forum post per story" in added["content"]
    (schedule,) = [s for s in await desk.schedules.all(int(fake.guild_id)) if s.channel_id == int(forum)]
    assert schedule.target == "forum"

    plant = await arrive(desk, clock, NINE - timedelta(minutes=50), report(0), report(1))
    fake.rate_limit_next("POST", rf"/channels/{forum}/threads")  # discord.py waits it out
    await fire(bot, clock, schedule, NINE)
    entry = await desk.schedules.entry_for(schedule.id, NINE)
    assert entry is not None and entry.state == "posted" and plant in entry.story_ids
    posts = fake.threads_in(forum)
    assert len(posts) == len(entry.story_ids)  # one post per story, the rate-limited one too
    for post in posts:
        (first,) = fake.thread_posts(post.id)
        assert first["id"] == post.id and 1 <= len(post.name) <= 100 and "<@" not in post.name
        assert "Update since" not in (embed_of(first).get("description") or "")
    created = fake.calls_to("POST", rf"/channels/{forum}/threads")
    assert [c.status for c in created].count(429) == 1 and len(created) == len(posts) + 1
    assert all(c.json["message"]["allowed_mentions"] == NO_PINGS for c in created)
    # discord.py's start_thread_in_forum: the first message nested under `message`
    assert all({"name", "auto_archive_duration", "message"} <= set(c.json) for c in created)
    assert all(c.query.get("use_nested_fields") == "1" for c in created)
    listed = await answer(fake, await fake.slash("schedule", sub("list")))
    assert "a forum post per story" in listed["embeds"][0]["description"]
    assert not fake.calls_to("POST", rf"/channels/{forum}/messages")  # a forum takes posts only
    thread = await thread_of(desk, forum, plant)

    # The story grows: a reply in its post with only what changed; no new post.
    await arrive(desk, clock, NINE + timedelta(hours=4), report(2))
    await fire(bot, clock, schedule, NINE + DAY)
    assert len(fake.threads_in(forum)) == len(posts)
    update = fake.thread_posts(thread)[-1]
    assert embed_of(update)["title"].startswith("↻ ")
    assert "Update since you saw it" in embed_of(update)["description"]
    assert "killed: 8 → 15" in embed_of(update)["description"]
    assert fake.calls_to("POST", rf"/channels/{thread}/messages")[-1].json["allowed_mentions"] == NO_PINGS

    # After a restart the mapping holds: the next change is a reply in the same post.
    await stop(bot)
    bot = await start_bot()
    await arrive(desk, clock, NINE + DAY + timedelta(hours=5), report(3))
    await fire(bot, clock, schedule, NINE + 2 * DAY)
    assert len(fake.thread_posts(thread)) == 3 and len(fake.threads_in(forum)) == len(posts)
    assert "Evening Tribune" in embed_of(fake.thread_posts(thread)[-1])["description"]

    # A moderator deletes the post: the next change opens a new post for the story.
    fake.delete_thread(thread)
    await arrive(desk, clock, NINE + 2 * DAY + timedelta(hours=5), extra(1))
    await fire(bot, clock, schedule, NINE + 3 * DAY)
    replaced = await thread_of(desk, forum, plant)
    assert replaced != thread and replaced in fake.threads
    (opening,) = fake.thread_posts(replaced)
    assert "Harbor Post 1" in embed_of(opening)["description"]
    assert len(fake.threads_in(forum)) == len(posts)  # the deleted one gone, its replacement in
    latest = await desk.schedules.entry_for(schedule.id, NINE + 3 * DAY)
    assert latest is not None and latest.state == "posted"


async def test_a_forum_digest_cut_short_by_discord_resumes_without_posting_a_story_twice(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    forum = fake.add_channel("stories", forum=True).id
    bot = await start_bot()
    schedule = await desk.schedules.add(int(fake.guild_id), int(forum), "0 9 * * *", "UTC", target="forum")
    bot.jobs.add_digest(schedule, bot.digests.run_job)
    await arrive(desk, clock, NINE - timedelta(minutes=50), report(0), report(1))

    fake.fail_next("POST", rf"/channels/{forum}/threads", status=503, after=2)  # the third post fails
    await fire(bot, clock, schedule, NINE)
    entry = await desk.schedules.entry_for(schedule.id, NINE)
    assert entry is not None and entry.state == "claimed" and "503" in (entry.error or "")
    assert len(fake.threads_in(forum)) == 2 < len(entry.story_ids)
    stories = list(entry.story_ids)
    first_two = set(await desk.threads.threads(int(forum), stories))
    assert len(first_two) == 2

    clock.now = NINE + timedelta(minutes=5)  # the recovery job, within the grace period
    await bot.digests.recover()
    entry = await desk.schedules.entry_for(schedule.id, NINE)
    assert entry is not None and entry.state == "posted"
    assert set(entry.story_ids) == set(stories)
    posts = fake.threads_in(forum)
    assert len(posts) == len(stories)  # the rest posted, the first two not again
    mapped = await desk.threads.threads(int(forum), stories)
    assert sorted(str(t.thread_id) for t in mapped.values()) == sorted(p.id for p in posts)


async def test_a_threaded_text_channel_reopens_archived_threads_and_replaces_locked_ones(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    briefing = fake.add_channel("briefing").id
    bot = await start_bot()
    schedule = await desk.schedules.add(
        int(fake.guild_id), int(briefing), "0 9 * * *", "UTC", target="threads"
    )
    bot.jobs.add_digest(schedule, bot.digests.run_job)

    plant = await arrive(desk, clock, NINE - timedelta(minutes=50), report(0), report(1))
    await fire(bot, clock, schedule, NINE)
    entry = await desk.schedules.entry_for(schedule.id, NINE)
    assert entry is not None and entry.state == "posted"
    stories = fake.posts_to(briefing)
    assert len(stories) == len(entry.story_ids)  # one message per story in the channel...
    assert {t.id for t in fake.threads_in(briefing)} == {m["id"] for m in stories}  # ...each starts a thread
    started = fake.calls_to("POST", rf"/channels/{briefing}/messages/\d+/threads")
    assert all(1 <= len(c.json["name"]) <= 100 for c in started)
    thread = await thread_of(desk, briefing, plant)
    assert fake.thread_posts(thread) == []

    # Discord archived the idle thread: it is reopened and the update goes into it.
    fake.archive_thread(thread)
    await arrive(desk, clock, NINE + timedelta(hours=4), report(2))
    await fire(bot, clock, schedule, NINE + DAY)
    assert [c.json for c in fake.calls_to("PATCH", rf"/channels/{thread}")] == [{"archived": False}]
    (update,) = fake.thread_posts(thread)
    assert "Update since you saw it" in embed_of(update)["description"]
    assert len(fake.posts_to(briefing)) == len(stories)  # nothing new in the channel itself

    # A moderator locked it: it cannot be reopened, so the story starts a new thread.
    fake.archive_thread(thread, locked=True)
    await arrive(desk, clock, NINE + DAY + timedelta(hours=5), report(3))
    await fire(bot, clock, schedule, NINE + 2 * DAY)
    replaced = await thread_of(desk, briefing, plant)
    assert replaced != thread and len(fake.thread_posts(thread)) == 1
    assert replaced == fake.posts_to(briefing)[-1]["id"]  # started from the story's new message
    assert "Evening Tribune" in embed_of(fake.posts_to(briefing)[-1])["description"]

    # The bot lost its permissions there: the schedule pauses instead of opening thread after thread.
    fake.forbid(briefing)
    threads_before = len(fake.threads_in(briefing))
    await arrive(desk, clock, NINE + 2 * DAY + timedelta(hours=5), extra(1))
    await fire(bot, clock, schedule, NINE + 3 * DAY)
    paused = await desk.schedules.get(schedule.id)
    assert paused.paused and "missing permissions" in (paused.paused_reason or "")
    assert (
        len(fake.threads_in(briefing)) == threads_before
        and await thread_of(desk, briefing, plant) == replaced
    )


def poster_of(bot: StorydeskBot) -> LivePoster:
    cog: Any = bot.get_cog("LiveCog")
    return cog.poster  # type: ignore[no-any-return]


async def test_a_live_board_with_threads_puts_figure_notes_in_the_cards_thread(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    live = fake.add_channel("live").id
    bot = await start_bot()
    started = await answer(
        fake, await fake.slash("live", sub("start", channel=live, min_outlets=2, threads=True))
    )
    assert "Each card gets a thread" in started["content"]
    clock.advance(seconds=5)
    poster = poster_of(bot)

    await arrive(desk, clock, clock.now + timedelta(minutes=3), report(0), report(1))
    await poster.update()
    (card,) = fake.posts_to(live)
    (thread,) = fake.threads_in(live)
    assert thread.id == card["id"]  # started from the card

    await arrive(desk, clock, clock.now + timedelta(minutes=3), report(2))
    await poster.update()
    assert fake.find_message(card["id"])["edited_timestamp"]  # type: ignore[index]
    assert len(fake.posts_to(live)) == 1  # the note is not in the channel...
    (note,) = fake.thread_posts(thread.id)  # ...but in the card's thread, with the new outlet
    assert note["content"].split("\n") == [
        "Now covered by 3 outlets:",
        "➕ Valley Herald: Delmont chemical plant explosion: Valley Herald",
        "📊 killed: 8 → 15; one outlet still says 8",
    ]
    assert fake.calls_to("POST", rf"/channels/{thread.id}/messages")[-1].json["allowed_mentions"] == NO_PINGS

    # The mapping was lost (a crash between starting the thread and recording it): Discord says
    # the card has a thread already, and that thread (the card's id) is adopted, not a new one.
    (story_id,) = await desk.threads.threads(int(live), [s.id for s in await desk.stories()])
    await desk.threads.gone(int(live), story_id)
    await arrive(desk, clock, clock.now + timedelta(minutes=3), report(3))
    await poster.update()
    assert [c.status for c in fake.calls_to("POST", rf"/channels/{live}/messages/\d+/threads")] == [200, 400]
    assert len(fake.threads_in(live)) == 1 and len(fake.posts_to(live)) == 1
    assert "➕ Evening Tribune" in fake.thread_posts(thread.id)[-1]["content"]
    assert await thread_of(desk, live, story_id) == thread.id


async def test_a_live_board_on_a_forum_opens_a_post_per_card(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    forum = fake.add_channel("live-forum", forum=True).id
    bot = await start_bot()
    started = await answer(fake, await fake.slash("live", sub("start", channel=forum, min_outlets=2)))
    assert "Each card gets a forum post" in started["content"]
    clock.advance(seconds=5)
    poster = poster_of(bot)

    await arrive(desk, clock, clock.now + timedelta(minutes=3), report(0), report(1))
    await poster.update()
    (post,) = fake.threads_in(forum)
    (card,) = fake.thread_posts(post.id)
    assert card["id"] == post.id and embed_of(card)["title"].startswith("🔴")

    fake.archive_thread(post.id)  # idle: the edit reopens it
    await arrive(desk, clock, clock.now + timedelta(minutes=3), report(2))
    await poster.update()
    assert fake.calls_to("PATCH", rf"/channels/{post.id}/messages/{post.id}")
    assert fake.find_message(post.id)["edited_timestamp"]  # type: ignore[index]
    card_now, note = fake.thread_posts(post.id)
    assert card_now["id"] == post.id  # the card stays the post's first message
    assert note["content"].endswith("\n📊 killed: 8 → 15; one outlet still says 8")
    assert "➕ Valley Herald" in note["content"]
    assert len(fake.threads_in(forum)) == 1

    # A crash after the post was opened but before its message id was recorded: a forum has no
    # history to search, so the story's post is found through the thread mapping, not posted again.
    assert await desk.store.live.unrecorded() == []
    (story_id,) = await desk.threads.threads(int(forum), [s.id for s in await desk.stories()])
    (card_row,) = (await desk.store.live.cards(int(fake.guild_id), [story_id])).values()
    await desk.store.live.update_card(card_row.id, state="claimed", message_id=None)
    await poster.recover()
    (recovered,) = (await desk.store.live.cards(int(fake.guild_id), [story_id])).values()
    assert recovered.state == "posted" and str(recovered.message_id) == post.id
    assert len(fake.threads_in(forum)) == 1


async def test_missing_thread_and_forum_permissions_are_refused_up_front(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk
) -> None:
    no_threads = fake.add_channel("no-threads", deny=CREATE_PUBLIC_THREADS).id
    mute_forum = fake.add_channel("mute-forum", forum=True, deny=SEND_MESSAGES_IN_THREADS).id
    tagged = fake.add_channel("tagged", forum=True, flags=16).id
    await start_bot()
    guild = int(fake.guild_id)

    async def schedule_add(channel: str, **kw: Any) -> str:
        inter = await fake.slash(
            "schedule", sub("add", channel=channel, cron="0 9 * * *", timezone="UTC", **kw)
        )
        return str((await answer(fake, inter))["content"])

    refused = await schedule_add(no_threads, threads=True)
    assert f"<#{no_threads}>" in refused and "I need Create Public Threads there" in refused
    assert await desk.schedules.all(guild) == []
    assert "Schedule" in await schedule_add(no_threads)  # without threads the channel is fine

    refused = await answer(fake, await fake.slash("live", sub("start", channel=mute_forum)))
    assert (
        f"I cannot post live cards in <#{mute_forum}>: I need Send Messages in Posts there."
        == refused["content"]
    )
    assert await desk.live.channel(guild) is None
    assert "requires a tag" in await schedule_add(tagged)
    assert [s.channel_id for s in await desk.schedules.all(guild)] == [int(no_threads)]
    assert not fake.calls_to("POST", r"/channels/\d+/threads")
