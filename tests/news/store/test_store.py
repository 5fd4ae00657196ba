"""The database: migrations at start-up, the schema version, WAL, aware datetimes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.news.errors import DatabaseError
from bot.news.models import ExtractedArticle
from bot.news.store import Store
from bot.news.store._db import SCHEMA_VERSION, schema_version
from bot.news.store._schema import meta
from tests.news.store.scenarios import guild_views_show_each_article_once, migrates_a_v1_database
from tests.paths import REPO


async def test_fresh_database_is_migrated_and_in_wal_mode(db_url: str) -> None:
    store = await Store.open(db_url)
    try:
        assert await schema_version(store.engine) == SCHEMA_VERSION
        async with store.engine.connect() as conn:
            mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar_one()
        assert mode == "wal"
    finally:
        await store.close()
    # Opening again keeps the data and the version.
    store = await Store.open(db_url)
    assert await schema_version(store.engine) == SCHEMA_VERSION
    await store.close()


async def test_newer_schema_is_refused(db_url: str) -> None:
    store = await Store.open(db_url)
    async with store.engine.begin() as conn:
        await conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="999"))
    await store.close()
    with pytest.raises(DatabaseError, match="newer"):
        await Store.open(db_url)


async def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="folder does not exist"):
        await Store.open(f"sqlite+aiosqlite:///{tmp_path}/no/such/dir/x.db")


async def test_a_v1_database_is_migrated(db_url: str) -> None:
    await migrates_a_v1_database(db_url)


async def test_guild_views_show_each_article_once(db_url: str) -> None:
    await guild_views_show_each_article_once(db_url)


async def test_cluster_state_carries_text_only_where_features_are_missing(db_url: str) -> None:
    store = await Store.open(db_url)
    try:
        now = datetime(2026, 11, 20, tzinfo=UTC)
        bare = await store.articles.insert("a", ExtractedArticle(title="A", text="alpha words"), "h1", now)
        done = await store.articles.insert("b", ExtractedArticle(title="B", text="beta words"), "h2", now)
        await store.articles.set_cluster(bare, 1, None, None)
        await store.articles.set_cluster(done, 1, None, '{"v": 1}')
        texts = {row["id"]: row["text"] for row in await store.articles.cluster_state()}
        assert texts == {bare: "alpha words", done: ""}  # analysed again vs. restored from features
    finally:
        await store.close()


def test_processes_opening_a_new_database_at_once_all_start(tmp_path: Path) -> None:
    """The bot and a CLI run (or several workers) starting on a new file: one migrates, none fails."""
    db = tmp_path / "fresh.sqlite3"
    nothing = tmp_path / "nothing"  # `ingest` creates the database; reading commands never do
    nothing.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "STORYDESK_DB"}
    env["PYTHONPATH"] = str(REPO)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "--db", str(db), "ingest", str(nothing), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for _ in range(6)
    ]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]  # type: ignore[union-attr]
    assert all(rc == 0 for rc, _ in results), results
