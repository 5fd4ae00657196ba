"""Fault injection: real `storydesk ingest` and `storydesk poll --once` processes killed with SIGKILL
at many points, then run again.

Most kills are aimed: the test watches the database and kills the process right after it commits
a new article, which is when it is placing that article into a story (the window where a crash
used to leave an article in no story for good). A few kills land at random times, start-up and
schema creation included. Kill points are drawn from a seeded generator, so a failure repeats.

After the kills, a run that is not killed must finish the rest, and then: every stored article
sits in a live story whose counts include it, no article is stored twice, and SQLite's integrity
check passes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.news.feed_server import FeedServer, items_from, rss2, shared_articles
from tests.paths import REPO

SEED = 14  # the kill points; change it to explore others


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("STORYDESK_DB", "DISCORD_TOKEN")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def stored_count(db: Path) -> int:
    """Articles committed so far, read beside the writing process (0 before the schema exists)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


async def run_and_kill(args: list[str], cwd: Path, db: Path, rng: random.Random, aim: str) -> bool:
    """Start `storydesk *args` and kill it with SIGKILL: `aim` "placing" right after it commits
    its next few new articles, "anywhere" at a random time in its first second or so (start-up,
    creating the database, reading). True if it was killed before it finished."""
    log = cwd / "killed-run.log"  # a file, not a pipe: a killed child must never block on it
    with log.open("wb") as err:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=cwd, env=_env(),
            stdout=asyncio.subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
    loop = asyncio.get_running_loop()
    started = loop.time()
    if aim == "anywhere":
        deadline, target = started + rng.uniform(0.1, 1.3), None
    else:
        deadline, target = started + 60, stored_count(db) + rng.randint(1, 4)
    jitter = rng.choice([0.0, 0.0, rng.uniform(0, 0.03)])
    while proc.returncode is None and loop.time() < deadline:
        if target is not None and stored_count(db) >= target:
            await asyncio.sleep(jitter)
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(proc.wait(), 0.003)
    if proc.returncode is not None:
        assert proc.returncode == 0, log.read_text(errors="replace")[-3000:]
        return False
    proc.kill()
    await proc.wait()
    return True


async def run_to_end(args: list[str], cwd: Path) -> Any:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, "--json", cwd=cwd, env=_env(),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()[-3000:]
    return json.loads(out)


def plan(rng: random.Random) -> list[str]:
    """Where the kills aim, in a drawn order: mostly while placing articles, two anywhere."""
    aims = ["placing"] * 5 + ["anywhere"] * 2
    rng.shuffle(aims)
    return aims


def check_sound(db: Path) -> None:
    """What must hold after any kill: a sound file and no article stored twice."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchall():
            return  # killed before the schema was created
        twice = con.execute(
            "SELECT content_hash, guild_id, count(*) FROM articles GROUP BY 1, 2 HAVING count(*) > 1"
        ).fetchall()
        assert twice == [], f"stored twice: {twice}"
    finally:
        con.close()


def check_placed(db: Path) -> list[str]:
    """Every article in one live story whose record counts it; returns the stored refs."""
    check_sound(db)
    con = sqlite3.connect(db)
    try:
        unplaced = con.execute("SELECT ref FROM articles WHERE story_id IS NULL").fetchall()
        assert unplaced == [], f"in no story: {unplaced}"
        rows = con.execute(
            "SELECT a.story_id, count(*), s.id, s.merged_into, s.article_count "
            "FROM articles a LEFT JOIN stories s ON s.id = a.story_id GROUP BY a.story_id"
        ).fetchall()
        for story_id, members, found, merged_into, counted in rows:
            assert found is not None, f"story {story_id} has no record"
            assert merged_into is None, f"articles left in story {story_id}, merged into {merged_into}"
            assert counted == members, f"story {story_id} counts {counted}, holds {members}"
        return [r[0] for r in con.execute("SELECT ref FROM articles")]
    finally:
        con.close()


def write_drop_folder(folder: Path) -> set[str]:
    """65 articles from the shared BASIL set: five JSON Lines files of 10 and 15 text files
    (enough that every aimed kill finds some left to place, however fast the runs go)."""
    rows = shared_articles("basil_stories", limit=65)
    folder.mkdir()
    for k in range(5):
        records = [
            {"id": r["id"], "title": r["title"], "outlet": r["source"], "date": r["date"], "text": r["text"]}
            for r in rows[k * 10 : (k + 1) * 10]
        ]
        text = "".join(json.dumps(record) + "\n" for record in records)
        (folder / f"batch{k}.jsonl").write_text(text, encoding="utf-8")
    refs = {r["id"] for r in rows[:50]}
    for r in rows[50:]:
        (folder / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
        refs.add(str(folder / f"{r['id']}.txt"))
    return refs


async def test_ingest_killed_at_many_points_loses_nothing(shared_dir: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    expected = write_drop_folder(tmp_path / "drop")
    db = tmp_path / "desk.sqlite3"
    args = ["--db", str(db), "ingest", str(tmp_path / "drop")]
    kills = 0
    for aim in plan(rng):
        kills += await run_and_kill(args, tmp_path, db, rng, aim)
        check_sound(db)
    assert kills >= 5  # the test did kill processes mid-run
    report = await run_to_end(args, tmp_path)
    assert report["rejected"] == 0 and report["new"] + report["duplicate"] == len(expected)
    assert set(check_placed(db)) == expected


async def test_poll_killed_at_many_points_loses_nothing(
    shared_dir: Path, feed_server: FeedServer, tmp_path: Path
) -> None:
    rng = random.Random(SEED + 1)
    # Enough entries that every aimed kill finds some left to place: a run can store a whole
    # batch (32) before its kill lands. One record per id (the set repeats an id).
    records = list({r["id"]: r for r in shared_articles("basil_stories", limit=240)[60:]}.values())
    now = datetime.now(UTC)
    dates = [now - timedelta(hours=1, minutes=n) for n in range(len(records))]
    url = feed_server.serve("/wire.xml", rss2(items_from(records, feed_server.url(""), dates=dates)))
    (tmp_path / "config.toml").write_text(
        f'[database]\nurl = "{tmp_path / "desk.sqlite3"}"\n\n'
        "[network]\nallow_private_addresses = true\ntimeout_seconds = 5\n\n"
        f'[[feeds]]\nurl = "{url}"\nname = "Wire"\n',
        encoding="utf-8",
    )
    db = tmp_path / "desk.sqlite3"
    kills = 0
    for aim in plan(rng):
        kills += await run_and_kill(["poll", "--once"], tmp_path, db, rng, aim)
        check_sound(db)
    assert kills >= 5
    report = await run_to_end(["poll", "--once"], tmp_path)
    assert report["errors"] == 0
    refs = check_placed(db)
    assert len(refs) == len(records)
    assert {r.rsplit("/", 1)[-1] for r in refs} == {r["id"] for r in records}
