"""The writer's few-statement SQL: `move_many` and `upsert_many` write what their one-row versions
write, on SQLite and on PostgreSQL (STORYDESK_TEST_PG)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.news.models import ExtractedArticle
from bot.news.store import Store
from tests.pg import pg_database

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        opened = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'w.sqlite3'}")
        try:
            yield opened
        finally:
            await opened.close()
        return
    async with pg_database() as url:
        opened = await Store.open(url)
        try:
            yield opened
        finally:
            await opened.close()


async def _articles(store: Store, n: int) -> list[int]:
    rows = [
        (f"ref-{k}", ExtractedArticle(title=f"Ferry {k}", text=f"The ferry, report {k}."), f"h{k}", NOW)
        for k in range(n)
    ]
    async with store.batch() as conn:
        return await store.articles.insert_many(conn, rows)


async def _story_of(store: Store, article_id: int) -> int | None:
    found = await store.articles.by_id(article_id)
    assert found is not None
    return found.story_id


async def test_moves_report_each_old_story_as_moving_one_by_one(store: Store) -> None:
    a, b, c = await _articles(store, 3)
    for article_id, story_id in ((a, 1), (b, 2)):
        await store.articles.set_cluster(article_id, story_id, None, None)
    # `a` moves twice: its second move starts from where the first put it. `c` is in no story
    # yet, and an article that is not stored is no one's.
    moves = [(a, 3), (b, 3), (a, 4), (c, 5), (999_999, 6)]
    async with store.transaction() as conn:
        old = await store.articles.move_many(moves, conn=conn)
    assert old == [1, 2, 3, None, None]
    assert [await _story_of(store, i) for i in (a, b, c)] == [4, 3, 5]
    assert await store.articles.move_many([]) == []


async def test_upsert_inserts_new_stories_and_rewrites_known_ones(store: Store) -> None:
    def record(story_id: int, headline: str, count: int) -> dict[str, object]:
        return {
            "id": story_id,
            "headline": headline,
            "first_seen": NOW,
            "last_updated": NOW + timedelta(hours=count),
            "article_count": count,
            "outlet_count": 1,
        }

    await store.stories.upsert_many([record(1, "Ferry", 1), record(2, "Bridge", 1)])
    async with store.transaction() as conn:
        await store.stories.merge(2, 1, conn=conn)  # story 2 now points at story 1
    await store.stories.upsert_many([record(2, "Bridge again", 3), record(3, "Tunnel", 2)])
    rows = {int(r["id"]): r for r in [await store.stories.get(i) for i in (1, 2, 3)] if r is not None}
    assert set(rows) == {1, 2, 3}
    assert rows[1]["headline"] == "Ferry" and rows[1]["merged_into"] is None
    # A rewritten story is live again, with every summary column replaced.
    assert rows[2]["headline"] == "Bridge again" and rows[2]["merged_into"] is None
    assert rows[2]["article_count"] == 3 and rows[2]["last_updated"] == NOW + timedelta(hours=3)
    assert rows[3]["headline"] == "Tunnel" and rows[3]["article_count"] == 2
