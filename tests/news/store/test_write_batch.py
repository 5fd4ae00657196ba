"""`Store.batch`: one transaction for a run of writes, all or nothing, joined only by its own task."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.news.models import ExtractedArticle
from bot.news.store import Store

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _article(n: int) -> tuple[str, ExtractedArticle, str, datetime]:
    text = f"The river ferry at Millbrook reopens, report number {n}."
    return f"ref-{n}", ExtractedArticle(title=f"Ferry {n}", text=text), f"hash-{n}", NOW


async def test_a_batch_commits_its_transactions_together(db_url: str) -> None:
    store = await Store.open(db_url)
    try:
        async with store.batch() as conn:
            ids = await store.articles.insert_many(conn, [_article(1), _article(2)])
            async with store.transaction() as joined:  # what the story keeper opens
                assert joined is conn
                await store.articles.set_cluster(ids[0], 1, None, None, conn=joined)
            # Not committed yet: another connection does not see it.
            assert await store.articles.count() == 0
        assert await store.articles.count() == 2
        first = await store.articles.by_id(ids[0])
        assert first is not None and first.story_id == 1 and first.ref == "ref-1"
    finally:
        await store.close()


async def test_a_failed_batch_stores_nothing(db_url: str) -> None:
    store = await Store.open(db_url)
    try:
        with pytest.raises(RuntimeError):
            async with store.batch() as conn:
                await store.articles.insert_many(conn, [_article(1)])
                async with store.transaction() as joined:
                    await store.articles.set_cluster(1, 1, None, None, conn=joined)
                raise RuntimeError("killed half-way")
        assert await store.articles.count() == 0
    finally:
        await store.close()


async def test_other_tasks_keep_transactions_of_their_own(db_url: str) -> None:
    store = await Store.open(db_url)
    try:
        async with store.batch() as conn:
            seen: list[bool] = []
            # A task started inside the batch (it inherits the context) opens a transaction of
            # its own: two tasks never share one connection. It only reads, so SQLite lets it in.
            await asyncio.get_running_loop().create_task(_which(store, conn, seen))
        assert seen == [False]
    finally:
        await store.close()


async def _which(store: Store, batch_conn: object, seen: list[bool]) -> None:
    async with store.transaction() as own:
        seen.append(own is batch_conn)
