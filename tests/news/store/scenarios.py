"""Scenarios run on SQLite by their own tests and on PostgreSQL by test_postgres."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, text

from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle
from bot.news.models import ExtractedArticle
from bot.news.store import SeenRecord, Store
from bot.news.store._db import SCHEMA_VERSION, schema_version
from bot.news.store._schema import meta
from tests.clock import FakeClock
from tests.paths import DATA


async def migrates_a_v1_database(url: str) -> None:
    """A database left at schema 1 (no URL index, no story_time, no channel_seen) is brought up to date when opened."""
    store = await Store.open(url)
    async with store.engine.begin() as conn:
        await conn.execute(text("DROP INDEX ix_articles_url"))
        await conn.execute(text("ALTER TABLE articles DROP COLUMN story_time"))
        await conn.execute(text("DROP TABLE channel_seen"))
        await conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="1"))
    await store.close()
    store = await Store.open(url)
    try:
        assert await schema_version(store.engine) == SCHEMA_VERSION >= 5
        assert "ix_articles_url" in await indexes(store)
        # v3: an undated article's story time is kept, as an aware datetime.
        when = datetime(2025, 2, 22, tzinfo=UTC)
        article_id = await store.articles.insert(
            "a", ExtractedArticle(title="T", text="x"), "h", when + timedelta(days=600)
        )
        await store.articles.set_cluster(article_id, 1, None, None, story_time=when)
        (row,) = await store.articles.cluster_state()
        assert row["story_time"] == when
        # v5: what each channel saw of each story, replaced when seen again.
        first = SeenRecord(9 * 10**17, "digest", 4, 2, '{"a": 1}', when)
        await store.seen.put([first])
        await store.seen.put([SeenRecord(9 * 10**17, "digest", 4, 3, '{"a": 2}', when + timedelta(days=1))])
        (seen,) = (await store.seen.get(9 * 10**17, "digest")).values()
        assert (seen.article_count, seen.state, seen.seen_at) == (3, '{"a": 2}', when + timedelta(days=1))
        assert await store.seen.get(9 * 10**17, "live") == {}
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


async def two_writers_keep_events_apart(url: str, clock: FakeClock) -> None:
    first, second, gold = two_reports_of_ten_events()
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


async def writers_wait_for_each_other(url: str, clock: FakeClock) -> None:
    _, second, _ = two_reports_of_ten_events()
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


async def indexes(store: Store) -> set[str]:
    async with store.engine.connect() as conn:
        found = await conn.run_sync(lambda c: inspect(c).get_indexes("articles"))
    return {str(i["name"]) for i in found}


def two_reports_of_ten_events() -> tuple[list[IncomingArticle], list[IncomingArticle], dict[str, str]]:
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
