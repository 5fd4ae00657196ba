"""Sharded bots in one test process: who posts a digest when the leader's cron job fires.

Two real StorydeskBots against the fake Discord, one shard each, on one database. The leader's
digest job (fired through APScheduler, as at a fire time) posts its own server's digest and only records
another shard's as due; that shard's bot takes and posts it; neither ever posts the other's.
Live cards likewise come only from the owner. Also: the fake gateway routes guilds by Discord's shard formula and refuses a wrong shard count.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from e2e_support import BotFactory, FakeClock, stop
from fake_discord import FakeDiscord

from bot.config import Settings
from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle, add_quotes
from bot.runtime.client import ShardedStorydeskBot, StorydeskBot, build_bot
from bot.runtime.jobs import LivePoster
from bot.runtime.main import apply_endpoints
from bot.runtime.scheduler import digest_job_id
from bot.runtime.shards import ShardPlan, shard_of
from tests.news.watch.plant import report


def _sharded(settings: Settings, shard: int) -> Settings:
    # coordination_seconds: only the round at start runs by itself; the test runs the others.
    discord = settings.discord.model_copy(
        update={"shard_count": 2, "shard_ids": [shard], "coordination_seconds": 3600}
    )
    return settings.model_copy(update={"discord": discord})


async def test_leader_posts_its_own_and_records_the_other_shards_as_due(
    fake: FakeDiscord, settings: Settings, desk: NewsDesk, clock: FakeClock, start_bot: BotFactory
) -> None:
    fake.shard_count = 2
    ch0 = fake.add_guild("news-s0", shard=0, shard_count=2)
    ch1 = fake.add_guild("news-s1", shard=1, shard_count=2)
    s0 = await desk.schedules.add(int(ch0.guild_id), int(ch0.id), "0 9 * * *", "UTC")
    s1 = await desk.schedules.add(int(ch1.guild_id), int(ch1.id), "0 9 * * *", "UTC")
    bot0 = await start_bot(settings_=_sharded(settings, 0))
    bot1 = await start_bot(settings_=_sharded(settings, 1))
    assert bot0.shard_plan.owns(int(ch0.guild_id)) and not bot0.shard_plan.owns(int(ch1.guild_id))
    assert {bot0.shard_id, bot1.shard_id} == {0, 1}

    clock.advance(seconds=15)  # 09:00:05: the 09:00 fire is due
    # The leader's digest jobs (synced in from the database), fired through APScheduler.
    await bot0.leadership.tick()  # (SQLite: one database, every process leads; the ledger decides)
    assert digest_job_id(s1.id) in bot0.jobs.job_ids()
    bot0.jobs.run_soon(digest_job_id(s1.id))  # shard 1's server: only recorded as due
    bot0.jobs.run_soon(digest_job_id(s0.id))  # its own server: posted at once
    await fake.wait_until(lambda: len(fake.posts_to(ch0.id)) == 1, timeout=10)
    for _ in range(100):
        if await desk.schedules.history(s1.id):
            break
        await asyncio.sleep(0.05)
    [entry] = await desk.schedules.history(s1.id)
    assert entry.state == "due" and fake.posts_to(ch1.id) == []

    await bot0.leadership.tick()  # shard 0's round leaves shard 1's due row alone
    assert fake.posts_to(ch1.id) == [] and (await desk.schedules.history(s1.id))[0].state == "due"
    await bot1.leadership.tick()  # the owner takes it and posts it
    assert len(fake.posts_to(ch1.id)) == 1
    assert (await desk.schedules.history(s1.id))[0].state == "posted"

    for bot in (bot0, bot1):  # every later attempt finds the fire time settled
        await bot.digests.run_job(s0.id)
        await bot.digests.run_job(s1.id)
        await bot.leadership.tick()
    assert len(fake.posts_to(ch0.id)) == len(fake.posts_to(ch1.id)) == 1


async def _identify(fake: FakeDiscord, shard: list[int]) -> tuple[list[dict[str, Any]], int | None]:
    """Events a raw gateway session receives after IDENTIFY with `shard`, and its close code."""
    events: list[dict[str, Any]] = []
    async with aiohttp.ClientSession() as http, http.ws_connect(fake.gateway_url) as ws:
        await ws.receive_json()  # HELLO
        await ws.send_str(json.dumps({"op": 2, "d": {"token": "t", "intents": 0, "shard": shard}}))
        while True:
            msg = await ws.receive(timeout=5)
            if msg.type is not aiohttp.WSMsgType.TEXT:
                return events, ws.close_code
            events.append(json.loads(msg.data))
            if events[-1]["t"] == "GUILD_CREATE" and len(events) == 1 + len(events[0]["d"]["guilds"]):
                return events, None


async def test_fake_gateway_routes_guilds_by_shard_and_refuses_a_wrong_count(fake: FakeDiscord) -> None:
    fake.shard_count = 2
    extra = [fake.add_guild(f"g{i}", shard=i % 2, shard_count=2).guild_id for i in range(4)]
    for shard in (0, 1):
        events, code = await _identify(fake, [shard, 2])
        assert code is None and events[0]["t"] == "READY" and events[0]["d"]["shard"] == [shard, 2]
        got = {e["d"]["id"] for e in events[1:]}
        assert got == {g for g in [fake.guild_id, *extra] if shard_of(int(g), 2) == shard}
    assert (await _identify(fake, [0, 3]))[1] == 4010  # another shard count than the bot's
    assert (await _identify(fake, [2, 2]))[1] == 4010  # no such shard


def test_shard_plan_follows_discords_formula() -> None:
    plan = ShardPlan(shard_count=4, shard_ids=(1, 3))
    ids = [(ms << 22) | 7 for ms in range(40)]
    assert [g for g in ids if plan.owns(g)] == [g for g in ids if (g >> 22) % 4 in (1, 3)]
    assert plan.client_options() == {"shard_ids": [1, 3], "shard_count": 4}
    assert ShardPlan(2, (1,)).client_options() == {"shard_id": 1, "shard_count": 2}
    assert ShardPlan().owns(ids[5]) and ShardPlan().client_options() == {} and not ShardPlan().sharded
    assert ShardPlan(3).mine == (0, 1, 2)


async def test_one_process_can_run_several_shards(
    fake: FakeDiscord, settings: Settings, desk: NewsDesk
) -> None:
    fake.shard_count = 2
    other = fake.add_guild("news-elsewhere", shard=1 - shard_of(int(fake.guild_id), 2), shard_count=2)
    discord = settings.discord.model_copy(update={"shard_count": 2, "coordination_seconds": 3600})
    apply_endpoints(discord)
    bot = build_bot(settings.model_copy(update={"discord": discord}), desk, guild_ready_timeout=0.05)
    assert isinstance(bot, ShardedStorydeskBot)  # AutoShardedBot: one gateway session per shard
    task = asyncio.create_task(bot.start("fake-token"))
    try:
        await asyncio.wait_for(bot.wait_until_ready(), 20)
        assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]
        assert {g.id for g in bot.guilds} == {int(fake.guild_id), int(other.guild_id)}
        assert bot.shard_plan.owns(int(other.guild_id)) and bot.shard_plan.owns(int(fake.guild_id))
    finally:
        await stop(bot, task)


async def test_live_cards_come_only_from_the_process_owning_the_server(
    fake: FakeDiscord, settings: Settings, desk: NewsDesk, clock: FakeClock, start_bot: BotFactory
) -> None:
    fake.shard_count = 2
    owner = shard_of(int(fake.guild_id), 2)
    news = fake.channel("news").id
    await desk.live.start(int(fake.guild_id), int(news), min_outlets=2)
    other_bot = await start_bot(settings_=_sharded(settings, 1 - owner))
    owner_bot = await start_bot(settings_=_sharded(settings, owner))
    clock.advance(minutes=3)
    items = []
    for n in (0, 1):  # two outlets report the same event: a card is due in the server
        article = report(n)
        add_quotes(article)
        items.append(IncomingArticle(f"plant-{n}", article))
    await desk.ingest_items(items)

    assert await _live(other_bot).update() == 0 and fake.posts_to(news) == []
    assert await _live(owner_bot).update() == 1 and len(fake.posts_to(news)) == 1
    assert await _live(other_bot).update() == 0 and len(fake.posts_to(news)) == 1


def _live(bot: StorydeskBot) -> LivePoster:
    cog: Any = bot.get_cog("LiveCog")
    return cog.poster  # type: ignore[no-any-return]
