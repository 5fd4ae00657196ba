"""The database: migrations at start-up, the schema version, WAL, aware datetimes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.news.errors import DatabaseError
from bot.news.models import ExtractedArticle
from bot.news.store import Store
from bot.news.store._db import SCHEMA_VERSION, schema_version
from bot.news.store._schema import meta
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


async def _indexes(store: Store) -> set[str]:
    async with store.engine.connect() as conn:
        found = await conn.run_sync(lambda c: inspect(c).get_indexes("articles"))
    return {str(i["name"]) for i in found}


async def migrates_a_v1_database(url: str) -> None:
    """A database left at schema 1 (no URL index, no story_time) is brought up to date when opened."""
    store = await Store.open(url)
    async with store.engine.begin() as conn:
        await conn.execute(text("DROP INDEX ix_articles_url"))
        await conn.execute(text("ALTER TABLE articles DROP COLUMN story_time"))
        await conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="1"))
    await store.close()
    store = await Store.open(url)
    try:
        assert await schema_version(store.engine) == SCHEMA_VERSION >= 3
        assert "ix_articles_url" in await _indexes(store)
        # v3: an undated article's story time is kept, as an aware datetime.
        when = datetime(2025, 2, 22, tzinfo=UTC)
        article_id = await store.articles.insert(
            "a", ExtractedArticle(title="T", text="x"), "h", when + timedelta(days=600)
        )
        await store.articles.set_cluster(article_id, 1, None, None, story_time=when)
        (row,) = await store.articles.cluster_state()
        assert row["story_time"] == when
    finally:
        await store.close()


async def guild_views_show_each_article_once(url: str) -> None:
    """The same article stored for a server (its own feed) and shared: the server sees one copy."""
    store = await Store.open(url)
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

    def article(url: str | None, text: str, outlet: str) -> ExtractedArticle:
        return ExtractedArticle(title="T", outlet=outlet, url=url, text=text)

    try:
        repo = store.articles
        own = await repo.insert(
            "guild:1:https://a.test/1", article("https://a.test/1", "one", "Own"), "h1", now, 1
        )
        other = await repo.insert(
            "guild:2:https://a.test/1", article("https://a.test/1", "one", "Theirs"), "h1", now, 2
        )
        shared = await repo.insert("https://a.test/1", article("https://a.test/1", "one!", "Wire"), "h2", now)
        by_hash = await repo.insert("https://b.test/x", article(None, "two", "Wire"), "h3", now)
        own_hash = await repo.insert("guild:1:feed:x#2", article(None, "two", "Own"), "h3", now, 1)
        unrelated = await repo.insert("guild:1:https://c.test/", article(None, "three", "Own"), "h4", now, 1)

        async def ids(guild_id: int | None) -> set[int]:
            return {a.id for a in await repo.list(guild_id=guild_id)}

        assert await ids(1) == {own, by_hash, unrelated}  # the first stored copy of each
        assert await ids(2) == {other, by_hash}
        assert await ids(3) == {shared, by_hash}  # other servers' copies never hide anything here
        assert await ids(None) == {own, shared, other, by_hash, own_hash, unrelated}
    finally:
        await store.close()


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
    env = {k: v for k, v in os.environ.items() if k != "STORYDESK_DB"}
    env["PYTHONPATH"] = str(REPO)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "--db", str(db), "status", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for _ in range(6)
    ]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]  # type: ignore[union-attr]
    assert all(rc == 0 for rc, _ in results), results
