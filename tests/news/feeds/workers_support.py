"""Support for the feed-worker tests: a throwaway PostgreSQL database, feeds built from shared
articles, and `storydesk work` as real processes (output kept in files, read afterwards)."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web

from bot.news.desk import NewsDesk
from tests.news.feed_server import FeedServer, Item, rss2, shared_articles
from tests.paths import REPO


def serve_feeds(server: FeedServer, feeds: int, per_feed: int) -> list[str]:
    """`feeds` RSS feeds of `per_feed` items each, every item its own article (a shared article's
    opening with a line naming the feed and item, so no two items have the same text)."""
    records = shared_articles("basil_stories")
    now = datetime.now(UTC)
    urls: list[str] = []
    for f in range(feeds):
        items = []
        for i in range(per_feed):
            r = records[(f * per_feed + i) % len(records)]
            base = server.url(f"/site{f}")
            text = f"<p>{r['text'][:700]}</p><p>Feed {f}, item {i}.</p>"
            when = now - timedelta(minutes=f + i)
            items.append(Item(f"{base}/{i}", f"{base}/{i}", r.get("title") or f"Item {i}", when, "", text))
        urls.append(server.serve(f"/feed{f}.xml", rss2(items, title=f"Outlet {f}")))
    return urls


async def add_feeds(url: str, feed_urls: list[str]) -> None:
    """Add the feeds straight into the database (as `feeds add` would, without fetching each)."""
    desk = await NewsDesk.open(url)
    try:
        for n, feed_url in enumerate(feed_urls):
            await desk.store.feeds.add(
                {"url": feed_url, "name": f"Outlet {n}", "guild_id": None, "origin": "cli"}
                | {"interval": 900.0, "created_at": desk.clock(), "failures": 0}
                | {"failing": False, "alerted": False}
            )
    finally:
        await desk.close()


def write_config(folder: Path, *, lease: float, batch: int, concurrency: int, grace: float = 5) -> Path:
    path = folder / "config.toml"
    path.write_text(
        "\n".join(
            [
                "[network]",
                "allow_private_addresses = true",  # the feeds are on loopback: tests only
                "timeout_seconds = 30",
                f"per_host_concurrency = {concurrency}",  # every feed is on 127.0.0.1
                "[feed]",
                "full_text_min_chars = 0",  # items carry their text: no page fetches
                f"poll_concurrency = {concurrency}",
                "[workers]",
                f"lease_seconds = {lease}",
                f"batch_size = {batch}",
                "idle_seconds = 1",
                f"stop_grace_seconds = {grace}",
            ]
        ),
        encoding="utf-8",
    )
    return path


@dataclass
class WorkerProcess:
    """A `storydesk work` process; its output goes to files in the test's folder."""

    name: str
    proc: asyncio.subprocess.Process
    out: Path
    err: Path

    async def wait(self, timeout: float) -> int:
        return await asyncio.wait_for(self.proc.wait(), timeout)

    def output(self) -> str:
        return self.out.read_text(encoding="utf-8") + self.err.read_text(encoding="utf-8")


async def start_worker(name: str, folder: Path, config: Path, db: str, *extra: str) -> WorkerProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("STORYDESK_DB", "DISCORD_TOKEN")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    out, err = folder / f"{name}.out", folder / f"{name}.err"
    with out.open("wb") as o, err.open("wb") as e:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--config", str(config), "--db", db,
            "work", "--id", name, *extra, cwd=folder, env=env, stdout=o, stderr=e,
        )  # fmt: skip
    return WorkerProcess(name, proc, out, err)


def held_until(server: FeedServer, paths: list[str], ready: asyncio.Event) -> None:
    """Answer `paths` only once `ready` is set (the answer is the route as served now)."""
    for path in paths:
        route = server.routes[path]
        assert not callable(route)

        async def held(request: web.Request, route=route) -> web.StreamResponse:  # type: ignore[no-untyped-def]
            await ready.wait()
            return web.Response(body=route.body, content_type="application/rss+xml")

        server.routes[path] = held
