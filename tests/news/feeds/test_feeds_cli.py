"""`storydesk feeds ...` and `storydesk poll` as real processes against the local feed server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.news.feed_server import (
    FeedServer,
    Route,
    atom,
    items_from,
    page_with_alternate,
    rss2,
    shared_articles,
)
from tests.paths import REPO


async def storydesk(*args: str, cwd: Path, timeout: float = 60) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("STORYDESK_DB", "DISCORD_TOKEN")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def ok_json(*args: str, cwd: Path) -> Any:
    code, out, err = await storydesk(*args, "--json", cwd=cwd)
    assert code == 0, err
    return json.loads(out)


def write_config(folder: Path, feeds: list[str], *, allow_private: bool = True) -> None:
    lines = [
        "[network]",
        f"allow_private_addresses = {'true' if allow_private else 'false'}",
        "timeout_seconds = 5",
        "",
    ]
    for url in feeds:
        lines += ["[[feeds]]", f'url = "{url}"', 'name = "Configured"', "interval = 600", ""]
    (folder / "config.toml").write_text("\n".join(lines), encoding="utf-8")


def feed_body(server: FeedServer, start: int, n: int, build: Any = rss2) -> str:
    now = datetime.now(UTC)
    records = shared_articles("basil_stories", limit=start + n)[start:]
    return str(build(items_from(records, server.url(""), dates=[now - timedelta(hours=1)] * n)))


async def test_feeds_add_list_remove_and_poll_once(feed_server: FeedServer, tmp_path: Path) -> None:
    configured = feed_server.serve("/config.xml", feed_body(feed_server, 0, 2), etag='"c1"')
    feed_server.serve("/cli.xml", feed_body(feed_server, 10, 3, build=atom))
    page = feed_server.serve("/home", page_with_alternate("/cli.xml"), content_type="text/html")
    write_config(tmp_path, [configured])

    added = await ok_json("feeds", "add", page, "--name", "CLI Wire", "--interval", "30m", cwd=tmp_path)
    assert added["url"] == feed_server.url("/cli.xml") and added["discovered_from"] == page
    assert added["name"] == "CLI Wire" and added["interval"] == 1800 and added["guild_id"] is None

    report = await ok_json("poll", "--once", cwd=tmp_path)
    assert report["feeds"] == 2 and report["new"] == 5 and report["errors"] == 0

    again = await ok_json("poll", "--once", cwd=tmp_path)  # ETag remembered in the database
    assert again["new"] == 0 and again["not_modified"] == 1
    sent = [h.get("If-None-Match") for p, h in feed_server.requests if p == "/config.xml"]
    assert sent[-1] == '"c1"'

    listed = await ok_json("feeds", "list", cwd=tmp_path)
    by_url = {f["url"]: f for f in listed}
    assert by_url[configured]["origin"] == "config" and by_url[configured]["etag"] == '"c1"'
    assert by_url[feed_server.url("/cli.xml")]["last_ok_at"] is not None

    code, _out, err = await storydesk("feeds", "remove", configured, cwd=tmp_path)
    assert code == 1 and "config file" in err
    code, out, err = await storydesk("feeds", "remove", str(added["id"]), cwd=tmp_path)
    assert code == 0 and "Removed feed" in out
    articles = await ok_json("articles", cwd=tmp_path)
    assert len(articles) == 5  # removing a feed keeps its articles


async def test_cli_add_refused_with_guard_on(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.serve("/f.xml", feed_body(feed_server, 0, 1))
    write_config(tmp_path, [], allow_private=False)
    code, _out, err = await storydesk("feeds", "add", url, cwd=tmp_path)
    assert code == 1 and "loopback" in err
    assert feed_server.hits["/f.xml"] == 0


async def test_poll_without_once_keeps_polling(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.serve("/loop.xml", feed_body(feed_server, 0, 2))
    write_config(tmp_path, [url])
    env = {k: v for k, v in os.environ.items() if k != "STORYDESK_DB"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "poll", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), 60)
        assert b"Polled 1 feeds" in line and b"2 new" in line
    finally:
        proc.send_signal(signal.SIGINT)
        await asyncio.wait_for(proc.wait(), 30)
    assert proc.returncode == 130


async def test_status_shows_feed_health(feed_server: FeedServer, tmp_path: Path) -> None:
    good = feed_server.serve("/good.xml", feed_body(feed_server, 0, 1))
    bad = feed_server.serve("/bad.xml", Route(status=500))
    write_config(tmp_path, [good, bad])
    code, _out, err = await storydesk("poll", "--once", cwd=tmp_path)
    assert code == 0, err

    data = await ok_json("status", cwd=tmp_path)
    assert {"articles", "stories", "last_ingest", "recent_rejections"} <= set(data)  # nothing dropped
    assert data["articles"] == 1
    feeds = data["feeds"]
    assert (feeds["total"], feeds["healthy"], feeds["backing_off"], feeds["failing"]) == (2, 1, 1, 0)
    (worst,) = feeds["worst"]
    assert worst["url"] == bad and "HTTP 500" in worst["last_error"] and worst["failures"] == 1
    assert worst["guild_id"] is None and datetime.fromisoformat(worst["next_retry_at"]) > datetime.now(UTC)

    code, out, err = await storydesk("status", cwd=tmp_path)
    assert code == 0, err
    assert "Feeds:           2 (1 healthy, 1 backing off, 0 failing)" in out
    assert "HTTP 500" in out and "next try" in out
