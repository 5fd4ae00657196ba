"""Hostile and half-written files in the drop folder: links, NUL characters, files still growing.

Each is met both ways it arrives: the watcher (the bot's scan, through `DropFolderWatcher`) and the
CLI's `storydesk ingest` as a real process. Every bad entry is set aside or skipped and reported
once; the files beside it are still read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import DropFolderSettings
from bot.news.desk import NewsDesk
from bot.news.ingest._dropfolder import IncomingArticle
from bot.news.models import ExtractedArticle
from bot.runtime.watcher import DropFolderWatcher
from tests.clock import FakeClock
from tests.paths import REPO
from tests.pg import pg_database

BODY = (
    "The Harlow Street library reopened on Saturday after a winter of roof repairs, the county said. "
    "Volunteers carried the last boxes of books back from the school gym on Friday evening. "
    "“We missed the reading room more than anything,” said Dana Ortiz, who chairs the friends group. "
    "Opening hours return to normal next week, and the children's corner gets new shelves in March."
)
SECRET = "DISCORD_TOKEN=not-a-real-token-but-must-stay-home"


def article_file(title: str) -> str:
    return f"{title}\n\n{BODY}\n"


def _watcher(desk: NewsDesk, drop: Path, settle: float = 0.0) -> DropFolderWatcher:
    settings = DropFolderSettings(path=str(drop), poll_seconds=1, settle_seconds=settle)
    return DropFolderWatcher(desk, settings, lambda: datetime.now(UTC))


async def _texts(desk: NewsDesk) -> list[str]:
    return [f"{a.title}\n{a.text}\n{a.outlet}\n{a.ref}" for a in await desk.articles()]


# Symbolic links
def _links(drop: Path, outside: Path) -> None:
    """Links out of the folder, a loop, a link to a folder; one link that stays inside."""
    outside.mkdir()
    (outside / "notes.txt").write_text(article_file("Outside notes") + SECRET + "\n", encoding="utf-8")
    (drop / "sub").mkdir(parents=True)
    (drop / "a-good.txt").write_text(article_file("Harlow Street library reopens"), encoding="utf-8")
    (drop / "b-leak.txt").symlink_to(outside / "notes.txt")
    (drop / "c-loop.txt").symlink_to(drop / "c-loop.txt")
    (drop / "d-ping.txt").symlink_to(drop / "d-pong.txt")
    (drop / "d-pong.txt").symlink_to(drop / "d-ping.txt")
    (drop / "e-outdir").symlink_to(outside, target_is_directory=True)
    (drop / "f-dangling.md").symlink_to(drop / "nowhere.md")
    (drop / "sub" / "g-alias.txt").symlink_to(drop / "a-good.txt")  # inside: read (a duplicate)
    (drop / "z-after.txt").write_text(article_file("Ferry timetable changes for winter"), encoding="utf-8")


BAD_LINKS = {"b-leak.txt", "c-loop.txt", "d-ping.txt", "d-pong.txt", "e-outdir", "f-dangling.md"}


async def test_watcher_never_follows_a_link_out_and_survives_loops(desk: NewsDesk, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    _links(drop, tmp_path / "outside")
    watcher = _watcher(desk, drop)
    assert await watcher.scan() == 2  # the two real files, though loops sort before one of them
    assert watcher.health.last_error is None and watcher.health.rejected_total == len(BAD_LINKS)
    assert not any(SECRET in t or "Outside notes" in t for t in await _texts(desk))
    rejected = drop / ".rejected"
    for name in BAD_LINKS:
        assert (rejected / name).is_symlink(), name  # the link itself was set aside
        assert (rejected / f"{name}.reason").read_text(encoding="utf-8").strip()
    assert (tmp_path / "outside" / "notes.txt").is_file()  # what it pointed at is untouched
    assert "out of the folder" in (rejected / "b-leak.txt.reason").read_text(encoding="utf-8")
    # Reported once: the next scan finds nothing to reject.
    assert await watcher.scan() == 0
    assert watcher.health.rejected_total == len(BAD_LINKS)


def test_cli_ingest_of_a_folder_with_links_and_loops(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    _links(drop, tmp_path / "outside")
    env = {k: v for k, v in os.environ.items() if k not in ("STORYDESK_DB", "DISCORD_TOKEN")}
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "cli.sqlite3"), "ingest", str(drop), "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert report["new"] == 2 and report["duplicate"] == 1
    assert {Path(r["path"]).name for r in report["rejected_files"]} == BAD_LINKS
    with open(tmp_path / "cli.sqlite3", "rb") as f:
        assert SECRET.encode() not in f.read()
    assert (drop / "c-loop.txt").is_symlink()  # not the configured drop folder: left where it is


async def test_fifo_in_the_drop_folder_does_not_block_the_scan(desk: NewsDesk, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    os.mkfifo(drop / "a-pipe.txt")  # reading it would wait for a writer forever
    (drop / "b-real.txt").write_text(article_file("Harlow Street library reopens"), encoding="utf-8")
    watcher = _watcher(desk, drop)
    assert await watcher.scan() == 1
    assert watcher.health.rejected_total == 1


# NUL characters
@pytest.fixture(params=["sqlite", "postgresql"])
async def any_desk(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[NewsDesk]:
    """A desk on SQLite, and on PostgreSQL where STORYDESK_TEST_PG names a server."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'nul.sqlite3'}"
        desk = await NewsDesk.open(url, clock=clock)
        yield desk
        await desk.close()
        return
    async with pg_database() as url:
        desk = await NewsDesk.open(url, clock=clock)
        yield desk
        await desk.close()


def _record(ref: str, title: str, text: str = BODY) -> str:
    return json.dumps({"id": ref, "title": title, "outlet": "Harlow Gazette", "text": text})


async def test_a_nul_costs_only_its_own_record(any_desk: NewsDesk, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    late = "Late NUL\n\n" + (BODY + "\n\n") * 30  # the NUL sits well past the first 8 KB
    (drop / "late-nul.txt").write_bytes(late.encode() + b"\x00" + b"more text after it\n")
    escaped = _record("j1", "Escaped \u0000 NUL")
    assert "\\u0000" in escaped  # JSON's escape, not a raw NUL byte
    (drop / "escaped-nul.json").write_text(escaped, encoding="utf-8")
    lines = [_record("l1", "First line"), _record("l2", "Second\u0000 line"), _record("l3", "Third line")]
    lines.insert(2, '{"id": "l9", "title": "raw", "text": "a raw \x00 byte"}')
    (drop / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (drop / "utf16.txt").write_bytes(("Wide NUL\n\n" + BODY + "\x00").encode("utf-16"))
    (drop / "zz-good.txt").write_text(article_file("Harlow Street library reopens"), encoding="utf-8")
    watcher = _watcher(any_desk, drop)
    assert await watcher.scan() == 3, [a.ref for a in await any_desk.articles()]  # l1, l3, the good file
    assert {a.ref for a in await any_desk.articles()} == {"l1", "l3", str(drop / "zz-good.txt")}
    rejected = drop / ".rejected"
    for name in ("late-nul.txt", "escaped-nul.json", "utf16.txt"):
        assert "NUL" in (rejected / f"{name}.reason").read_text(encoding="utf-8"), name
    assert (drop / "mixed.jsonl").exists()  # partly good: stays, and is not read again
    assert watcher.health.rejected_total == 5
    assert await watcher.scan() == 0
    assert watcher.health.rejected_total == 5 and watcher.health.last_error is None


async def test_a_nul_from_a_feed_is_dropped_before_the_database(any_desk: NewsDesk) -> None:
    article = ExtractedArticle(
        title="Library\u0000 reopens", outlet="Harlow\u0000 Gazette", byline=["Dana\u0000 Ortiz"],
        url="https://example.test/a\u0000b", text=BODY.replace("winter", "win\u0000ter"),
        published=datetime(2026, 11, 19, tzinfo=UTC),
    )  # fmt: skip
    other = ExtractedArticle(title="Ferry timetable changes", text="The ferry runs hourly from Monday. " * 8)
    report = await any_desk.ingest_items(
        [IncomingArticle("feed:1\u0000", article), IncomingArticle("feed:2", other)]
    )
    assert report.new == ["feed:1", "feed:2"] and report.rejected == []
    stored = {a.ref: a for a in await any_desk.articles()}
    a = stored["feed:1"]
    assert (a.title, a.outlet, a.byline, a.url) == (
        "Library reopens",
        "Harlow Gazette",
        ["Dana Ortiz"],
        "https://example.test/ab",
    )
    assert "\x00" not in a.text and "winter" in a.text
    assert all(a.text[q.start : q.end].strip("“”\"' ") == q.text.strip("“”\"' ") for q in a.quotes)


# Files still being written
async def test_the_watcher_waits_until_a_file_is_still(desk: NewsDesk, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    watcher = _watcher(desk, drop, settle=0.4)
    record = _record("w1", "Harlow Street library reopens")
    half = drop / "half.json"
    half.write_text(record[: len(record) // 2], encoding="utf-8")  # a writer halfway through
    empty = drop / "copied.txt"
    empty.write_bytes(b"")  # `cp` creates the file, then fills it
    growing = drop / "growing.txt"
    growing.write_text("Harlow Street library reopens\n\nThe Harlow", encoding="utf-8")
    assert await watcher.scan() == 0
    assert watcher.health.rejected_total == 0 and not (drop / ".rejected").exists()
    half.write_text(record, encoding="utf-8")
    empty.write_text(article_file("Ferry timetable changes for winter"), encoding="utf-8")
    growing.write_text(article_file("Harlow Street library opening hours"), encoding="utf-8")
    assert await watcher.scan() == 0  # just written: not still yet
    time.sleep(0.5)
    assert await watcher.scan() == 3
    articles = await desk.articles()
    assert {a.ref for a in articles} == {"w1", str(empty), str(growing)}
    assert watcher.health.rejected_total == 0
    assert all(a.version == 1 and len(a.text) > 200 for a in articles)


async def test_a_file_renamed_in_is_read_at_once_and_a_future_mtime_still_settles(
    desk: NewsDesk, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    staged = tmp_path / "staging.txt"
    staged.write_text(article_file("Harlow Street library reopens"), encoding="utf-8")
    past = time.time() - 60
    os.utime(staged, (past, past))
    staged.rename(drop / "renamed.txt")  # keeps its modification time: complete by then
    watcher = _watcher(desk, drop, settle=0.3)
    assert await watcher.scan() == 1
    ahead = drop / "ahead.txt"  # written by a machine whose clock is ahead of ours
    ahead.write_text(article_file("Ferry timetable changes for winter"), encoding="utf-8")
    future = time.time() + 3600
    os.utime(ahead, (future, future))
    assert await watcher.scan() == 0  # first seen now
    time.sleep(0.35)
    assert await watcher.scan() == 1  # unchanged since: still


async def test_cli_ingest_of_an_explicit_path_reads_at_once(desk: NewsDesk, tmp_path: Path) -> None:
    f = tmp_path / "fresh.txt"
    f.write_text(article_file("Harlow Street library reopens"), encoding="utf-8")
    report = await desk.ingest_paths([str(f)])
    assert report.new == [str(f)] and report.waiting == 0
