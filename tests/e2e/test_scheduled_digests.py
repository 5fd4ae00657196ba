"""Scheduled digests through the real APScheduler job and the fake Discord: exactly once per fire time.

The clock is injected (a Monday, 08:59:50 UTC); a job is fired by moving the clock and asking
APScheduler to run it now, so the real job path runs without waiting for wall-clock 09:00.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import pytest
from e2e_support import NINE, BotFactory, FakeClock, add_schedule, eventually, fire, stop
from fake_discord import FakeDiscord
from sqlalchemy.exc import OperationalError

from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle
from bot.runtime import client
from bot.runtime.client import StorydeskBot
from bot.runtime.jobs import DigestPoster
from bot.runtime.render._limits import violations


async def test_scheduled_digest_fires_once(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    schedule = await add_schedule(desk, fake, mention_role_id=int(fake.role_id))
    bot = await start_bot()
    news = fake.channel("news").id
    assert fake.posts_to(news) == []  # 08:59:50: nothing due yet

    await fire(bot, clock, schedule, NINE + timedelta(seconds=2))
    [post] = fake.posts_to(news)
    [call] = fake.calls_to("POST", rf"/channels/{news}/messages")
    assert call.json["nonce"] == "sd1.1767603600" and call.json["enforce_nonce"] is True
    assert call.json["content"] == f"<@&{fake.role_id}>"
    assert call.json["allowed_mentions"] == {"parse": [], "roles": [int(fake.role_id)]}  # only that role
    assert violations(call.json["content"], call.json["embeds"]) == []
    assert "ref sd1.1767603600" in post["embeds"][0]["footer"]["text"]
    entry = await desk.schedules.entry_for(schedule.id, NINE)
    assert entry is not None and entry.state == "posted" and entry.message_id == int(post["id"])
    assert entry.story_ids and entry.since == NINE - timedelta(hours=24)

    # the same fire time again (a second run, a restart at 09:00:30): nothing new is posted
    bot.jobs.run_soon(f"digest:{schedule.id}")
    await asyncio.sleep(0.2)
    await stop(bot)
    clock.now = NINE + timedelta(seconds=30)
    await start_bot()
    assert len(fake.posts_to(news)) == 1
    assert len(fake.calls_to("POST", rf"/channels/{news}/messages")) == 1


async def test_next_digest_only_repeats_stories_that_grew(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    schedule = await add_schedule(desk, fake)
    bot.jobs.add_digest(schedule, bot.digests.run_job)
    await fire(bot, clock, schedule, NINE)
    first = await desk.schedules.entry_for(schedule.id, NINE)
    assert first is not None and first.state == "posted"

    # next day, nothing new arrived: no post (and the ledger says why)
    await fire(bot, clock, schedule, NINE + timedelta(days=1))
    quiet = await desk.schedules.entry_for(schedule.id, NINE + timedelta(days=1))
    assert quiet is not None and (quiet.state, quiet.error) == ("skipped", "no new stories")

    # a new article joins the biggest story: only that story comes back the day after
    story = max(await desk.stories(), key=lambda s: len(s.outlets))
    source = (await desk.story_articles(story.id))[0]
    clock.now = NINE + timedelta(days=1, hours=12)
    copy = source.model_copy(
        update={"outlet": "Storydesk Test Gazette", "text": source.text + "\n\nUpdated with new details."}
    )
    report = await desk.ingest_items([IncomingArticle("test-gazette-1", copy)])
    assert report.story_of["test-gazette-1"] == story.id
    await fire(bot, clock, schedule, NINE + timedelta(days=2))
    grown = await desk.schedules.entry_for(schedule.id, NINE + timedelta(days=2))
    assert grown is not None and grown.state == "posted" and list(grown.story_ids) == [story.id]
    assert grown.since == NINE  # since the channel's previous posted digest
    assert len(fake.posts_to(fake.channel("news").id)) == 2


async def test_restart_after_claim_before_post_posts_once(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    # the previous process claimed 09:00 and died before its post reached Discord
    schedule = await add_schedule(desk, fake)
    claim = await desk.schedules.claim(schedule, NINE, default_hours=24)
    assert claim is not None
    clock.now = NINE + timedelta(minutes=10)
    bot = await start_bot()
    news = fake.channel("news").id
    assert len(fake.posts_to(news)) == 1
    assert (await desk.schedules.entry(claim.id)).state == "posted"
    await stop(bot)
    clock.now = NINE + timedelta(minutes=11)
    await start_bot()
    assert len(fake.posts_to(news)) == 1  # not twice


async def test_killed_while_posting_is_found_not_reposted(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock, db_path: Any
) -> None:
    schedule = await add_schedule(desk, fake)
    news = fake.channel("news").id
    fake.hang_posts(news)  # Discord creates the message, the answer never arrives
    clock.now = NINE + timedelta(seconds=5)
    first = await start_bot(wait_jobs=False)  # start-up catch-up posts at once, then hangs
    await fake.wait_until(lambda: len(fake.posts_to(news)) == 1)
    await stop(first)  # "kill" mid-request: the post exists, its message id was never recorded
    entry = await desk.schedules.entry_for(schedule.id, NINE)
    assert entry is not None and entry.state == "claimed" and entry.message_id is None

    fake.hanging.clear()
    second_desk = await NewsDesk.open(f"sqlite+aiosqlite:///{db_path}", clock=clock)  # a new process
    try:
        clock.now = NINE + timedelta(minutes=3)
        await start_bot(desk_=second_desk)
        recovered = await second_desk.schedules.entry_for(schedule.id, NINE)
        assert recovered is not None and recovered.state == "posted"
        assert recovered.message_id == int(fake.posts_to(news)[0]["id"])
        assert len(fake.posts_to(news)) == 1
        assert len(fake.calls_to("POST", rf"/channels/{news}/messages")) == 1
    finally:
        await second_desk.close()


async def test_missed_fire_within_grace_posts_once_outside_grace_never(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    on_time = await add_schedule(desk, fake, "news")
    clock.now = NINE + timedelta(minutes=40)  # the bot was down at 09:00; grace is 60 min
    bot = await start_bot()
    assert len(fake.posts_to(fake.channel("news").id)) == 1
    await stop(bot)
    clock.now = NINE + timedelta(minutes=50)
    bot = await start_bot()
    assert len(fake.posts_to(fake.channel("news").id)) == 1  # not twice
    await stop(bot)

    late = await add_schedule(desk, fake, "general")
    clock.now = NINE + timedelta(days=1, minutes=61)  # missed by more than the grace period
    await start_bot()
    assert fake.posts_to(fake.channel("general").id) == []
    assert await desk.schedules.entry_for(late.id, NINE + timedelta(days=1)) is None
    assert await desk.schedules.entry_for(on_time.id, NINE + timedelta(days=1)) is None


async def test_forbidden_channel_pauses_the_schedule(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    schedule = await add_schedule(desk, fake, "news")
    bot.jobs.add_digest(schedule, bot.digests.run_job)
    news = fake.channel("news").id
    fake.forbid(news)  # the bot lost its permissions after the schedule was made
    await fire(bot, clock, schedule, NINE)
    paused = await desk.schedules.get(schedule.id)
    assert paused.paused_reason and "403" in paused.paused_reason
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "paused" in r.getMessage()]
    assert warnings and "schedule 1 paused" in warnings[0].getMessage()

    # no crash loop: later fires do not even try
    clock.now = NINE + timedelta(days=1)
    bot.jobs.run_soon(f"digest:{schedule.id}")
    await asyncio.sleep(0.2)
    assert (
        len(
            fake.calls_to(
                "POST",
                rf"/channels/{news}/messages",
            )
        )
        == 1
    )
    assert bot.jobs.running

    inter = await fake.slash("schedule", [{"name": "list", "type": 1, "options": []}])
    await fake.wait_for_response(inter)
    assert inter.original is not None and "paused" in inter.original["embeds"][0]["description"]
    status = await fake.slash("status")
    await fake.wait_for_response(status)
    assert status.original is not None
    fields = {f["name"]: f["value"] for f in status.original["embeds"][0]["fields"]}
    assert "paused" in fields["Schedules"]

    fake.channels[news].forbidden = False
    resumed = await fake.slash(
        "schedule",
        [{"name": "resume", "type": 1, "options": [{"name": "schedule", "type": 4, "value": schedule.id}]}],
    )
    await fake.wait_for_response(resumed)
    assert not (await desk.schedules.get(schedule.id)).paused


async def test_server_error_is_checked_then_retried(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    schedule = await add_schedule(desk, fake, "news")
    bot.jobs.add_digest(schedule, bot.digests.run_job)
    news = fake.channel("news").id
    fake.fail_next("POST", rf"/channels/{news}/messages", status=503)
    await fire(bot, clock, schedule, NINE)
    pending = await desk.schedules.entry_for(schedule.id, NINE)
    assert pending is not None and pending.state == "claimed" and "503" in (pending.error or "")
    await bot.digests.recover()  # the recovery job: not in the channel -> post it now
    done = await desk.schedules.entry_for(schedule.id, NINE)
    assert done is not None and done.state == "posted"
    assert len(fake.posts_to(news)) == 1


async def test_rate_limited_post_is_retried_once(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    schedule = await add_schedule(desk, fake, "news")
    bot.jobs.add_digest(schedule, bot.digests.run_job)
    news = fake.channel("news").id
    fake.rate_limit_next("POST", rf"/channels/{news}/messages", retry_after=0.2)
    await fire(bot, clock, schedule, NINE)
    assert [c.status for c in fake.calls_to("POST", rf"/channels/{news}/messages")] == [429, 200]
    assert len(fake.posts_to(news)) == 1


async def test_a_failing_job_does_not_stop_the_others(
    bot: StorydeskBot,
    fake: FakeDiscord,
    desk: NewsDesk,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    expected_errors: Any,
) -> None:
    broken = await add_schedule(desk, fake, "general", keywords="boom")
    healthy = await add_schedule(desk, fake, "news")
    real_digest = desk.digest

    async def digest(**kw: Any) -> Any:
        if kw.get("keywords") == ["boom"]:
            raise RuntimeError("engine exploded")
        return await real_digest(**kw)

    monkeypatch.setattr(desk, "digest", digest)
    expected_errors.allow("digest for schedule 1 (channel")
    for s in (broken, healthy):
        bot.jobs.add_digest(s, bot.digests.run_job)
    await fire(bot, clock, broken, NINE)
    await fire(bot, clock, healthy, NINE)
    assert bot.jobs.running and fake.posts_to(fake.channel("general").id) == []
    assert len(fake.posts_to(fake.channel("news").id)) == 1


async def test_a_start_up_the_database_refuses_is_retried_until_it_works(
    start_bot: BotFactory,
    fake: FakeDiscord,
    desk: NewsDesk,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    expected_errors: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The database refuses the first two start-ups' first query (a restart of PostgreSQL, say).
    # The bot must not stay up without a scheduler: it tries again until the jobs are running.
    schedule = await add_schedule(desk, fake, "news")
    clock.now = NINE + timedelta(minutes=10)  # missed while down, within grace: caught up at start
    refusals = [OperationalError("SELECT", {}, ConnectionRefusedError("database restarting"))] * 2
    real_recover = DigestPoster.recover_and_catch_up

    async def recover(self: DigestPoster) -> None:
        if refusals:
            raise refusals.pop()
        await real_recover(self)

    monkeypatch.setattr(DigestPoster, "recover_and_catch_up", recover)
    monkeypatch.setattr(client, "START_RETRY_FIRST", 0.2)
    expected_errors.allow("starting the scheduler failed; trying again in")
    bot = await start_bot()
    assert not bot.jobs.running and bot.scheduler_failing  # /healthz says 503 meanwhile

    async def caught_up() -> bool:
        return bot.jobs.running and len(fake.posts_to(fake.channel("news").id)) == 1

    await eventually(caught_up)
    failures = [r for r in caplog.records if "starting the scheduler failed" in r.getMessage()]
    assert len(failures) == 2 and refusals == [] and not bot.scheduler_failing
    assert bot.jobs.next_run(schedule.id) is not None  # tomorrow's fire time is scheduled too
    entry = await desk.schedules.entry_for(schedule.id, NINE)
    assert entry is not None and entry.state == "posted"
