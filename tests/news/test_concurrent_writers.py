"""Two processes ingesting into one database at once (the bot polling feeds while a CLI run
ingests a folder; several PostgreSQL workers): every event still ends in one story of its own.

Each desk here has its own engine and clusterer, as a separate process would; asyncio interleaves
their batches article by article. Without a writer lock each desk missed the other's articles and
both handed out the same new story ids for different events.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from datetime import UTC, datetime

from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle
from bot.news.models import ExtractedArticle
from tests.conftest import FakeClock
from tests.paths import DATA


def _two_reports_of_ten_events() -> tuple[list[IncomingArticle], list[IncomingArticle], dict[str, str]]:
    with (DATA / "basil_stories" / "articles.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    events: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        events[r["cluster_id"]].append(r)
    chosen = list(events.values())[:10]

    def item(r: dict[str, str]) -> IncomingArticle:
        published = datetime.fromisoformat(r["date"][:10]).replace(tzinfo=UTC)
        article = ExtractedArticle(title=r["title"], outlet=r["source"], text=r["text"], published=published)
        return IncomingArticle(ref=str(r["id"]), article=article)

    gold = {str(r["id"]): str(r["cluster_id"]) for e in chosen for r in e[:2]}
    return [item(e[0]) for e in chosen], [item(e[1]) for e in chosen], gold


async def two_writers_keep_events_apart(url: str, clock: FakeClock) -> None:
    first, second, gold = _two_reports_of_ten_events()
    a = await NewsDesk.open(url, clock=clock)
    b = await NewsDesk.open(url, clock=clock)
    try:
        await asyncio.gather(a.ingest_items(first), b.ingest_items(second))
    finally:
        await a.close()
        await b.close()
    reader = await NewsDesk.open(url, clock=clock)
    try:
        events_of: dict[int | None, set[str]] = defaultdict(set)
        stories_of: dict[str, set[int | None]] = defaultdict(set)
        for article in await reader.articles():
            events_of[article.story_id].add(gold[article.ref])
            stories_of[gold[article.ref]].add(article.story_id)
    finally:
        await reader.close()
    assert all(len(events) == 1 for events in events_of.values()), events_of  # no shared story ids
    assert all(len(stories) == 1 for stories in stories_of.values()), stories_of  # no split events


async def test_two_writers_on_one_sqlite_file(db_url: str, clock: FakeClock) -> None:
    await two_writers_keep_events_apart(db_url, clock)


async def writers_wait_for_each_other(url: str, clock: FakeClock) -> None:
    _, second, _ = _two_reports_of_ten_events()
    a = await NewsDesk.open(url, clock=clock)
    b = await NewsDesk.open(url, clock=clock)
    try:
        async with a.store.writer():  # another process mid-batch
            waiting = asyncio.create_task(b.ingest_items(second[:2]))
            await asyncio.sleep(0.3)
            assert not waiting.done()
            assert await b.articles() == []  # reading never waits
        report = await asyncio.wait_for(waiting, 10)
        assert len(report.new) == 2
    finally:
        await a.close()
        await b.close()


async def test_a_writer_waits_for_another_on_sqlite(db_url: str, clock: FakeClock) -> None:
    await writers_wait_for_each_other(db_url, clock)
