"""The database: migrations at start-up, the schema version, WAL, aware datetimes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from bot.news.errors import DatabaseError
from bot.news.store import Store
from bot.news.store.db import SCHEMA_VERSION, schema_version
from bot.news.store.schema import meta


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
