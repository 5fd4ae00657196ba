"""The engine on PostgreSQL (the bigger deployment): same behaviour as on SQLite.

Runs when STORYDESK_TEST_PG names a server (`.ci/run` starts one on 127.0.0.1); skips otherwise.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.news.desk import NewsDesk
from bot.news.store._db import SCHEMA_VERSION, schema_version
from tests.clock import FakeClock
from tests.paths import INBOX
from tests.pg import PG, pg_database

pytestmark = pytest.mark.skipif(not PG, reason="no PostgreSQL server (set STORYDESK_TEST_PG)")


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    async with pg_database() as url:
        yield url


async def test_ingest_stories_digest_on_postgres(pg_url: str, clock: FakeClock) -> None:
    desk = await NewsDesk.open(pg_url, clock=clock)
    try:
        assert await schema_version(desk.store.engine) == SCHEMA_VERSION
        first = await desk.ingest_paths([str(INBOX)])
        assert len(first.new) >= 12 and not first.rejected
        again = await desk.ingest_paths([str(INBOX)])
        assert again.new == [] and len(again.duplicate) == len(first.new)
        stories = await desk.stories()
        biggest = max(stories, key=lambda s: len(s.outlets))
        assert len(biggest.outlets) == 5
        arts = await desk.articles()
        assert all(a.ingested_at.tzinfo is not None for a in arts)
        assert any(a.published is not None and a.published.utcoffset() is not None for a in arts)
        digest = await desk.digest(hours=1)
        assert digest.items[0].story_id == biggest.id
        groups = await desk.quotes(biggest.id)
        assert any(len(g.outlets) >= 3 for g in groups)
    finally:
        await desk.close()
    # A second process opening the same database sees the same stories and does not re-migrate.
    desk2 = await NewsDesk.open(pg_url, clock=clock)
    try:
        assert {s.id for s in await desk2.stories()} == {s.id for s in stories}
    finally:
        await desk2.close()


async def test_a_v1_database_is_migrated_on_postgres(pg_url: str) -> None:
    from tests.news.store.scenarios import migrates_a_v1_database

    await migrates_a_v1_database(pg_url)


async def test_guild_views_show_each_article_once_on_postgres(pg_url: str) -> None:
    from tests.news.store.scenarios import guild_views_show_each_article_once

    await guild_views_show_each_article_once(pg_url)


async def test_workers_starting_together_migrate_once(pg_url: str) -> None:
    """Several processes opening a new PostgreSQL database at once: one migrates, the rest wait."""
    from bot.news.store import Store

    stores = await asyncio.gather(*(Store.open(pg_url) for _ in range(4)))
    try:
        for store in stores:
            assert await schema_version(store.engine) == SCHEMA_VERSION
    finally:
        for store in stores:
            await store.close()


async def test_two_writers_on_postgres(pg_url: str, clock: FakeClock) -> None:
    from tests.news.store.scenarios import two_writers_keep_events_apart

    await two_writers_keep_events_apart(pg_url, clock)


async def test_a_writer_waits_for_another_on_postgres(pg_url: str, clock: FakeClock) -> None:
    from tests.news.store.scenarios import writers_wait_for_each_other

    await writers_wait_for_each_other(pg_url, clock)
