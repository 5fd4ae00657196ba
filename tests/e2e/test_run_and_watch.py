"""`storydesk run` as a real process (token, SIGTERM, SIGKILL mid-post), drop-folder watching, mentions."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from e2e_support import INBOX, BotFactory, answer, stop_with_sigterm
from fake_discord import FakeDiscord

from bot.cli import main as cli_main
from bot.config import Settings
from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle
from bot.news.models import ExtractedArticle

TOKEN = "sekrit-token-do-not-log-123"


def write_config(path: Path, fake: FakeDiscord, db: Path, drop: Path) -> Path:
    path.write_text(
        f"""
[database]
url = "{db}"

[drop_folder]
path = "{drop}"
poll_seconds = 0.5

[discord]
guild_ids = [{fake.guild_id}]
api_base = "{fake.rest_base}"
gateway_url = "{fake.gateway_url}"

[logging]
level = "INFO"
""",
        encoding="utf-8",
    )
    return path


def test_missing_token_exits_2_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, expected_errors: Any
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    expected_errors.allow("DISCORD_TOKEN is not set")
    assert cli_main(["run"]) == 2
    assert any("DISCORD_TOKEN is not set" in r.getMessage() for r in caplog.records)


async def start_process(config: Path, cwd: Path) -> asyncio.subprocess.Process:
    env = dict(os.environ, DISCORD_TOKEN=TOKEN, PYTHONUNBUFFERED="1")
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run",
        cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_killed_process_restarts_without_a_second_post_and_stops_on_sigterm(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    db = tmp_path / "live.sqlite3"
    now = datetime.now(UTC)  # the process runs on the real clock
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{db}", clock=lambda: now - timedelta(minutes=5))
    try:
        await desk.ingest_paths([str(p) for p in sorted(INBOX.glob("*ferry*"))])
        # a schedule whose fire time is this very minute: the process posts it on start (catch-up)
        schedule = await desk.schedules.add(
            int(fake.guild_id), int(fake.channel("news").id), f"{now.minute} {now.hour} * * *", "UTC"
        )
    finally:
        await desk.close()
    config = write_config(tmp_path / "config.toml", fake, db, tmp_path / "drop")
    news = fake.channel("news").id
    fake.hang_posts(news)

    first = await start_process(config, tmp_path)
    try:
        await fake.wait_until(lambda: len(fake.posts_to(news)) == 1, timeout=30)
    except TimeoutError:
        first.kill()
        _, err = await first.communicate()
        pytest.fail("the bot process never posted:\n" + err.decode()[-3000:])
    first.kill()  # SIGKILL while Discord's answer is outstanding
    await first.wait()
    assert first.returncode == -signal.SIGKILL
    fake.hanging.clear()

    second = await start_process(config, tmp_path)
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{db}")
    try:

        async def recorded() -> bool:
            history = await desk.schedules.history(schedule.id, limit=1)
            return bool(history) and history[0].state == "posted"

        for _ in range(300):
            if await recorded():
                break
            await asyncio.sleep(0.1)
        [entry] = await desk.schedules.history(schedule.id, limit=5)
        assert entry.state == "posted" and entry.message_id == int(fake.posts_to(news)[0]["id"])
    finally:
        await desk.close()
    assert len(fake.posts_to(news)) == 1
    assert len(fake.calls_to("POST", rf"/channels/{news}/messages")) == 1

    second.send_signal(signal.SIGUSR1)  # an operator asking a live process what it is doing
    second.send_signal(signal.SIGUSR2)  # ... and what its coroutines wait for
    err = await stop_with_sigterm(second)
    assert second.returncode == 0, err.decode()[-2000:]
    logs = err.decode()
    assert "digest sd" in logs and "was posted before a restart" in logs
    assert "most recent call first" in logs  # the stacks SIGUSR1 asked for; it kept running
    tasks = logs[logs.index("asyncio task(s) ---") : logs.index("--- end of tasks ---")]
    assert "task 'storydesk-bot'" in tasks and "in start" in tasks  # SIGUSR2's: discord.py's start
    assert TOKEN not in logs
    assert fake.identify is not None and fake.identify["token"] == TOKEN


async def test_drop_folder_is_watched(
    start_bot: BotFactory, fake: FakeDiscord, settings: Settings, desk: NewsDesk, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    fast = settings.model_copy(
        update={"drop_folder": settings.drop_folder.model_copy(update={"poll_seconds": 0.2})}
    )
    bot = await start_bot(settings_=fast)
    before = (await desk.status()).articles
    (drop / "quarry-lane-footbridge.txt").write_text(
        "Quarry Lane footbridge reopens after repairs\n\n"
        "The Quarry Lane footbridge reopened on Monday after four months of repairs, the city said. "
        "Engineers replaced the deck boards and the handrails. Cyclists must still dismount on the span.\n",
        encoding="utf-8",
    )

    async def ingested() -> bool:
        return (await desk.status()).articles == before + 1

    for _ in range(50):
        if await ingested():
            break
        await asyncio.sleep(0.1)
    assert await ingested(), "the new file was not ingested within the poll interval"
    assert bot.watcher.health.new_total == 1
    msg = await answer(fake, await fake.slash("status"))
    fields = {f["name"]: f["value"] for f in msg["embeds"][0]["fields"]}
    assert "watching" in fields["Drop folder"] and "1 new since start" in fields["Drop folder"]


async def test_article_text_never_pings(start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk) -> None:
    article = ExtractedArticle(
        title="Council says @everyone must register before Friday <@&123> @here",
        outlet="Storydesk Test Gazette",
        text="@everyone in Port Calloway must register by Friday, the council said. <@123> and @here too.",
    )
    await desk.ingest_items([IncomingArticle("pings-1", article)])
    await start_bot()
    inter = await fake.slash("digest")
    msg = await answer(fake, inter)
    [call] = fake.calls_to("POST", rf"/webhooks/\d+/{inter.token}")
    assert call.json["allowed_mentions"] == {"parse": []}
    assert "content" not in call.json or not call.json["content"]
    assert any("@everyone" in f["name"] for f in msg["embeds"][0]["fields"])
