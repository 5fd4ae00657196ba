"""The digest ledger under real SIGKILLs of `storydesk run`: a digest is never posted twice, never lost.

`test_run_and_watch` kills the bot after Discord created the post but before its answer arrived.
Here the bot is killed at the other points: after it claimed the fire time but before the post
exists (Discord holds the request and never creates it), and twice in a row at that point; each
restart must post the digest exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from e2e_support import INBOX, stop_with_sigterm
from fake_discord import FakeDiscord

from bot.news.desk import NewsDesk

TOKEN = "sekrit-token-for-kill-tests-456"


def _config(path: Path, fake: FakeDiscord, db: Path) -> Path:
    path.write_text(
        f'[database]\nurl = "{db}"\n\n[drop_folder]\npath = "{path.parent / "drop"}"\n\n'
        f"[discord]\nguild_ids = [{fake.guild_id}]\n"
        f'api_base = "{fake.rest_base}"\ngateway_url = "{fake.gateway_url}"\n',
        encoding="utf-8",
    )
    return path


async def _start(config: Path, cwd: Path) -> asyncio.subprocess.Process:
    env = dict(os.environ, DISCORD_TOKEN=TOKEN, PYTHONUNBUFFERED="1")
    env.pop("STORYDESK_DB", None)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run",
        cwd=cwd, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def _ledger(db: Path, schedule_id: int) -> list[tuple[str, int | None]]:
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{db}")
    try:
        return [(e.state, e.message_id) for e in await desk.schedules.history(schedule_id, limit=5)]
    finally:
        await desk.close()


async def test_killed_before_the_post_exists_posts_once_on_restart(fake: FakeDiscord, tmp_path: Path) -> None:
    db = tmp_path / "kills.sqlite3"
    now = datetime.now(UTC)
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{db}", clock=lambda: now - timedelta(minutes=5))
    try:
        await desk.ingest_paths([str(p) for p in sorted(INBOX.glob("*ferry*"))])
        schedule = await desk.schedules.add(
            int(fake.guild_id), int(fake.channel("news").id), f"{now.minute} {now.hour} * * *", "UTC"
        )
    finally:
        await desk.close()
    config = _config(tmp_path / "config.toml", fake, db)
    news = fake.channel("news").id
    posts = rf"/channels/{news}/messages"
    fake.stall_posts(news)

    for attempt in (1, 2):  # killed at the same point twice: the claim survives both
        proc = await _start(config, tmp_path)
        try:
            await fake.wait_until(lambda n=attempt: len(fake.calls_to("POST", posts)) == n, timeout=30)
        except TimeoutError:
            proc.kill()
            _, err = await proc.communicate()
            pytest.fail("the bot never tried to post:\n" + err.decode()[-3000:])
        proc.kill()  # SIGKILL: claimed in the ledger, the message not created
        await proc.wait()
        assert proc.returncode == -signal.SIGKILL
        assert fake.posts_to(news) == []
        assert await _ledger(db, schedule.id) == [("claimed", None)]

    fake.stalled.clear()
    proc = await _start(config, tmp_path)
    try:
        await fake.wait_until(lambda: len(fake.posts_to(news)) == 1, timeout=30)
        for _ in range(100):
            if (await _ledger(db, schedule.id))[0][0] == "posted":
                break
            await asyncio.sleep(0.1)
        [(state, message_id)] = await _ledger(db, schedule.id)
        assert state == "posted" and message_id == int(fake.posts_to(news)[0]["id"])
        await asyncio.sleep(1.0)  # nothing else arrives: the digest is posted once
        assert len(fake.posts_to(news)) == 1
    finally:
        err = await stop_with_sigterm(proc)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert "claimed but not posted" in err.decode() and TOKEN not in err.decode()
