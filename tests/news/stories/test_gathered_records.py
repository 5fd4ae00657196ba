"""Placements gathered in a write batch (`StoryRecords.gathering`: one executemany per kind, each
story's summary once per batch) commit exactly the records that writing each placement at once
commits: the articles' stories, the story summaries and the change log, on SQLite and on
PostgreSQL (STORYDESK_TEST_PG)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle, content_hash
from bot.news.models import ExtractedArticle
from tests.clock import FakeClock
from tests.paths import DATA
from tests.pg import pg_database

START = datetime(2024, 3, 1, 12, tzinfo=UTC)


def _items() -> list[IncomingArticle]:
    """BASIL reports one hour apart, with every seventh left undated (files saved without their
    date: they float, and a later dated report redates them), then NewsWCL50's undated reports.
    A mixed stream: plain placements interleaved with merges, moves and redates."""
    rows = []
    for name in ("basil_stories", "newswcl50_stories"):
        with (DATA / name / "articles.jsonl").open(encoding="utf-8") as f:
            rows += [json.loads(line) for line in f]
    items, hashes = [], set()
    for n, r in enumerate(rows):
        dated = n < 300 and n % 7 != 3
        article = ExtractedArticle(
            title=r.get("title"),
            outlet=r.get("source"),
            text=r["text"],
            published=START + timedelta(hours=n) if dated else None,
        )
        if (digest := content_hash(article)) not in hashes:  # a duplicate would be stored by one side only
            hashes.add(digest)
            items.append(IncomingArticle(f"ref-{n}", article))
    return items


@pytest.fixture(params=["sqlite", "postgresql"])
async def urls(request: pytest.FixtureRequest, tmp_path: Any) -> AsyncIterator[tuple[str, str]]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite+aiosqlite:///{tmp_path / 'b.sqlite3'}"
        return
    async with pg_database() as a, pg_database() as b:
        yield a, b


async def _records(desk: NewsDesk) -> dict[str, list[tuple[Any, ...]]]:
    queries = {
        "articles": "SELECT id, ref, story_id, syndicated_of, story_time, cluster_features FROM articles",
        "stories": "SELECT id, headline, first_seen, last_updated, article_count, outlet_count,"
        " merged_into FROM stories",
        "log": "SELECT seq, article_id, story_id, kind FROM story_log",
    }
    async with desk.store.engine.connect() as conn:
        return {
            name: [tuple(r) for r in await conn.execute(text(f"{q} ORDER BY 1"))]
            for name, q in queries.items()
        }


async def test_gathered_placements_write_what_placing_one_at_a_time_writes(urls: tuple[str, str]) -> None:
    items = _items()
    gathered = await NewsDesk.open(urls[0], clock=FakeClock())
    at_once = await NewsDesk.open(urls[1], clock=FakeClock())
    try:
        report = await gathered.ingest_items(items)  # batches of up to 32, records gathered
        assert len(report.new) == len(items)
        # The same articles stored first, then placed one by one, each written at once.
        store, now = at_once.store, at_once.clock()
        for item in items:
            await store.articles.insert(item.ref, item.article, content_hash(item.article), now)
        async with store.writer():
            assert await at_once.keeper.place_unplaced() == len(items)
        a, b = await _records(gathered), await _records(at_once)
    finally:
        await gathered.close()
        await at_once.close()
    # The stream exercises both paths: regroupings (written at once) between gathered placements.
    kinds = [row[3] for row in a["log"]]
    assert kinds.count("regroup") >= 2 and kinds.count("place") > len(items) // 2
    assert any(row[4] > 1 for row in a["stories"]) and any(row[6] is not None for row in a["stories"])
    assert a == b
