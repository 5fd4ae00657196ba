"""The bot beside `storydesk work` processes (`[workers] poll_in_bot = false`): the bot polls no
feed itself, while a worker (another desk on the same database) polls them, and the bot still
tells the alert channel about a feed the worker found failing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from e2e_support import BotFactory, FakeClock
from fake_discord import FakeDiscord

from bot.config import Settings
from bot.news import NewsDesk
from bot.runtime.jobs import FeedRunner
from tests.news.feed_server import FeedServer, Route


async def test_the_bot_leaves_polling_to_workers_and_still_alerts(
    start_bot: BotFactory,
    settings: Settings,
    desk: NewsDesk,
    db_path: Path,
    fake: FakeDiscord,
    feed_server: FeedServer,
    clock: FakeClock,
) -> None:
    data = settings.model_dump()
    data["network"] |= {"allow_private_addresses": True, "timeout_seconds": 2}
    data["workers"]["poll_in_bot"] = False
    data["discord"]["alert_channel_id"] = int(fake.channel_id)
    quiet = Settings.model_validate(data)
    bot = await start_bot(settings_=quiet)
    cog: Any = bot.get_cog("FeedsCog")
    runner: FeedRunner = cog.runner
    url = feed_server.serve("/down.xml", Route(status=500))
    await desk.store.feeds.add(
        {"url": url, "guild_id": None, "origin": "cli", "interval": 900.0, "created_at": clock()}
        | {"failures": 0, "failing": False, "alerted": False}
    )

    report = await runner.poll_round()
    assert report.results == [] and feed_server.hits["/down.xml"] == 0

    worker = await NewsDesk.open(f"sqlite+aiosqlite:///{db_path}", settings=quiet.engine(), clock=clock)
    try:
        for _ in range(3):
            polled = await worker.feeds.poll(force=True)
            assert [r.status for r in polled.results] == ["error"]
    finally:
        await worker.close()
    assert feed_server.hits["/down.xml"] == 3

    before = len(fake.posts_to(fake.channel_id))
    await runner.poll_round()
    alerts = fake.posts_to(fake.channel_id)[before:]
    assert len(alerts) == 1 and "HTTP 500" in alerts[0]["content"]
    assert feed_server.hits["/down.xml"] == 3  # the bot still fetched nothing
