"""OPML end to end: `/feeds import` with an attachment, `/feeds export` as a file, and the CLI.

Every imported URL goes through the address guard and feed discovery of `/feeds add`; a bad entry
is reported and the others imported.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pytest
from e2e_support import REPO, BotFactory, answer
from fake_discord import FakeDiscord

from bot.config import Settings
from bot.news import NewsDesk
from bot.news.feeds import parse_opml
from bot.runtime.client import StorydeskBot
from tests.news.feed_server import FeedServer, rss2

EPHEMERAL = 64


def opml(entries: Sequence[tuple[str, str | None]]) -> bytes:
    """An OPML 2.0 file with one folder holding these (title, xmlUrl) outlines."""
    lines = [
        f"<outline type='rss' text={quoteattr(t)}" + (f" xmlUrl={quoteattr(u)}" if u else "") + "/>"
        for t, u in entries
    ]
    body = "<outline text='News'>" + "".join(lines) + "</outline>"
    return f"<?xml version='1.0'?><opml version='2.0'><head><title>x</title></head><body>{body}</body></opml>".encode()


@pytest.fixture
def open_settings(settings: Settings) -> Settings:
    data = settings.model_dump()
    data["network"]["allow_private_addresses"] = True
    data["network"]["timeout_seconds"] = 2
    return Settings.model_validate(data)


def import_option(att_id: str) -> list[dict[str, Any]]:
    return [{"type": 1, "name": "import", "options": [{"name": "file", "type": 11, "value": att_id}]}]


async def test_feeds_import_attachment_reports_bad_entries(
    start_bot: BotFactory, open_settings: Settings, desk: NewsDesk, fake: FakeDiscord, feed_server: FeedServer
) -> None:
    desk.feeds.limits = open_settings.network
    bot: StorydeskBot = await start_bot(settings_=open_settings)
    good = [feed_server.serve(f"/{n}.xml", rss2([], title=f"Outlet {n}")) for n in ("a", "b")]
    not_feed = feed_server.serve("/plain.txt", "just text, no feed", content_type="text/plain")
    entries = [
        ("A", good[0]),
        ("Local file", "file:///etc/passwd"),
        ("No URL", None),
        ("Not a feed", not_feed),
        ("B", good[1]),
    ]
    att = fake.upload("subscriptions.opml", opml(entries))
    inter = await fake.slash("feeds", import_option(att))
    msg = await answer(fake, inter)
    assert inter.response_type == 5 and msg["flags"] & EPHEMERAL
    text = msg["content"]
    assert text.startswith("Imported 2 feeds") and "3 refused" in text
    assert "entry 2 <file:///etc/passwd>" in text and "only http and https" in text
    assert "entry 3" in text and "entry 4" in text and "not a feed" in text
    own = await bot.desk.feeds.list_feeds(guild_id=int(fake.guild_id))
    assert sorted(f.url for f in own) == sorted(good)
    assert {f.name for f in own} == {"A", "B"} and {f.origin for f in own} == {"discord"}
    assert all(f.added_by == int(fake.admin.id) for f in own)

    # The same file again: both feeds are refused as already added, nothing is duplicated.
    again = await answer(
        fake, await fake.slash("feeds", import_option(fake.upload("s.opml", opml(entries[:1]))))
    )
    assert "Imported 0 feeds" in again["content"] and "already added" in again["content"]

    # Export: the server's own feeds as an OPML attachment that parses back to the same URLs.
    exported = await fake.slash("feeds", [{"type": 1, "name": "export", "options": []}])
    out = await answer(fake, exported)
    assert out["flags"] & EPHEMERAL and out["attachments"][0]["filename"] == "storydesk-feeds.opml"
    [call] = [c for c in fake.calls if c.path.endswith("/callback") and c.files]
    back = parse_opml(call.files["storydesk-feeds.opml"])
    assert sorted(e.url for e in back) == sorted(good)


async def test_feeds_import_guard_and_bad_files(bot: StorydeskBot, fake: FakeDiscord) -> None:
    """With the address guard on (the default), a loopback entry is refused; a non-OPML file is explained."""
    att = fake.upload("x.opml", opml([("Loop", "http://127.0.0.1:9/feed.xml")]))
    msg = await answer(fake, await fake.slash("feeds", import_option(att)))
    assert "Imported 0 feeds" in msg["content"] and "loopback" in msg["content"]
    bomb = b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;'>]><opml><body/></opml>"
    msg = await answer(fake, await fake.slash("feeds", import_option(fake.upload("b.opml", bomb))))
    assert "not a readable OPML file" in msg["content"] and msg["flags"] & EPHEMERAL
    denied = await answer(
        fake, await fake.slash("feeds", import_option(fake.upload("c.opml", b"<opml/>")), user=fake.reader)
    )
    assert "Manage Server" in denied["content"]
    assert await bot.desk.feeds.list_feeds(guild_id=int(fake.guild_id)) == []


async def storydesk(*args: str, db: Path, config: Path | None = None) -> tuple[int, str, str]:
    """Run the CLI as a process (the test's loop keeps serving feeds meanwhile)."""
    opts = ["--config", str(config)] if config else []
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *opts, "--db", str(db), *args,
        cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_cli_feeds_import_export(tmp_path: Path, feed_server: FeedServer) -> None:
    """`feeds import` adds what it can and reports the rest; `feeds export` writes OPML that imports back."""
    db = tmp_path / "cli.sqlite3"
    good = feed_server.serve("/g.xml", rss2([], title="Good outlet"))
    src = tmp_path / "in.opml"
    src.write_bytes(opml([("Good", good), ("Gopher", "gopher://example.test/")]))
    guarded, out, err = await storydesk("feeds", "import", str(src), "--json", db=db)
    assert guarded == 0, err
    data = json.loads(out)
    assert data["added"] == [] and [r["entry"] for r in data["refused"]] == [1, 2]
    assert "loopback" in data["refused"][0]["reason"] and "gopher" in data["refused"][1]["reason"]

    config = tmp_path / "config.toml"
    config.write_text("[network]\nallow_private_addresses = true\ntimeout_seconds = 2\n")
    code, out, err = await storydesk("--json", "feeds", "import", str(src), db=db, config=config)
    assert code == 2  # --json belongs after the command: a usage error
    code, out, err = await storydesk("feeds", "import", str(src), db=db, config=config)
    assert code == 0 and "Imported 1 feed(s); 1 refused." in out and "gopher" in out, err
    code, out, err = await storydesk("feeds", "export", db=db, config=config)
    assert code == 0 and [(e.url, e.name) for e in parse_opml(out.encode())] == [(good, "Good")]

    code, _, err = await storydesk("feeds", "import", str(tmp_path / "nope.opml"), db=db)
    assert code == 1 and "cannot read" in err
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body><outline")
    code, _, err = await storydesk("feeds", "import", str(broken), db=db)
    assert code == 1 and "not a readable OPML file" in err
