"""Who said it end to end: `/said person [days]` with autocomplete through the fake Discord, and
`storydesk said NAME [--json]` on the seeds' story; the speaker index migrated into an old database."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from e2e_support import SEEDS, answer, cli
from fake_discord import FakeDiscord

from bot.news import NewsDesk
from bot.runtime.client import StorydeskBot


def said(**options: Any) -> list[dict[str, Any]]:
    return [{"name": k, "type": 4 if k == "days" else 3, "value": v} for k, v in options.items()]


async def test_said_with_autocomplete(bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk) -> None:
    choices = await fake.autocomplete(
        "said", [{"name": "person", "type": 3, "value": "rey", "focused": True}]
    )
    assert "Alma Reyes" in [c["value"] for c in choices]
    everyone = await fake.autocomplete("said", [{"name": "person", "type": 3, "value": "", "focused": True}])
    assert len(everyone) >= 3 and "Alma Reyes" in [c["value"] for c in everyone]

    inter = await fake.slash("said", said(person="Alma Reyes"))
    msg = await answer(fake, inter)
    embed = msg["embeds"][0]
    assert embed["title"] == "Said by Alma Reyes" and "newest first" in embed["description"]
    text = json.dumps(embed)
    assert "Ferry strike" in text and "asking both sides to get back to the table" in text
    assert "Wording differs" in text and "`/quotes story:" in text
    assert not msg["flags"] & 64  # a public answer, like /quotes

    # A misspelt surname still finds her; nobody by a name never quoted gives a clear answer.
    typo = await answer(fake, await fake.slash("said", said(person="Alma Reyez")))
    assert typo["embeds"][0]["title"] == "Said by Alma Reyes"
    none = await answer(fake, await fake.slash("said", said(person="Nobody Atall", days=7)))
    assert none["embeds"][0]["description"] == "No statements by Nobody Atall found · last 7 days."


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("said") / "seeds.sqlite3"
    proc = cli(db, "ingest", str(SEEDS))
    assert proc.returncode == 0, proc.stderr
    return db


def test_cli_said_on_the_seeds(seeds_db: Path) -> None:
    proc = cli(seeds_db, "said", "Hegseth", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["query"] == "Hegseth" and report["speakers"] == ["Pete Hegseth"]
    statements = report["statements"]
    times = [datetime.fromisoformat(s["when"]) for s in statements]
    assert times == sorted(times, reverse=True)  # newest first
    [chasing] = [s for s in statements if "illusory goal" in s["text"]]
    assert chasing["wording_differs"] and len(chasing["outlets"]) >= 3
    assert chasing["story_id"] == 1 and chasing["story_headline"]
    changed = {w for o in chasing["occurrences"] for op, w in o["diff"] if op == "+"}
    assert any("Pursuing" in w for w in changed) and any("illusionary" in w for w in changed)
    # Every statement is Hegseth's (none of the other speakers of the story).
    assert {s["speaker"] for s in statements} == {"Pete Hegseth"}

    text = cli(seeds_db, "said", "Pete", "Hegseth", "--limit", "2")
    assert text.returncode == 0 and text.stdout.startswith("Pete Hegseth: 2 statement(s)")
    assert "(more statements exist" in text.stdout
    other = json.loads(cli(seeds_db, "said", "Zelenskyy", "--json").stdout)
    assert other["speakers"] and all("Zelensk" in s for s in other["speakers"])
    assert cli(seeds_db, "said", "--days", "0", "Hegseth").returncode == 2


async def test_old_database_gets_its_speaker_index(seeds_db: Path, tmp_path: Path) -> None:
    """A database from before the index (schema 3) is indexed when it is opened."""
    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(seeds_db) as a, sqlite3.connect(old) as b:
        a.backup(b)
    with sqlite3.connect(old) as conn:
        conn.execute("DROP TABLE quote_speakers")
        for table, column in [
            ("schedules", "filters"),
            ("live_channels", "filters"),
            ("live_channels", "mention_role_id"),
        ]:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{old}")
    try:
        report = await desk.said("Hegseth")
        fresh = await NewsDesk.open(f"sqlite+aiosqlite:///{seeds_db}")
        try:
            expected = await fresh.said("Hegseth")
        finally:
            await fresh.close()
    finally:
        await desk.close()
    assert report.statements and report.model_dump() == expected.model_dump()
    with sqlite3.connect(old) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(live_channels)")}
    assert {"filters", "mention_role_id"} <= columns
