"""`storydesk run` with `[health] enabled`: the endpoint answers while the bot runs, then stops."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import aiohttp
from e2e_support import INBOX, stop_with_sigterm
from fake_discord import FakeDiscord

from bot.news.desk import NewsDesk


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_run_serves_healthz_and_metrics(fake: FakeDiscord, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{db}")
    try:
        await desk.ingest_paths([str(p) for p in sorted(INBOX.glob("*ferry*"))])
        stored = (await desk.status()).articles
    finally:
        await desk.close()
    port = _free_port()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "{db.name}"\n[drop_folder]\npath = "drop"\n'
        f'[discord]\nguild_ids = [{fake.guild_id}]\napi_base = "{fake.rest_base}"\n'
        f'gateway_url = "{fake.gateway_url}"\n[health]\nenabled = true\nport = {port}\n',
        encoding="utf-8",
    )
    env = dict(os.environ, DISCORD_TOKEN="health-token", PYTHONUNBUFFERED="1")
    env.pop("STORYDESK_DB", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run",
        cwd=tmp_path / "..", env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    metrics = ""
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(300):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    pass
                await asyncio.sleep(0.1)
            async with http.get(f"http://127.0.0.1:{port}/metrics") as r:
                assert r.status == 200
                metrics = await r.text()
    finally:
        err = await stop_with_sigterm(proc)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert "storydesk_up 1" in metrics.splitlines()
    # The database named relatively in the config file was found beside it (not in the cwd).
    assert f"storydesk_articles_stored {stored}" in metrics.splitlines()
