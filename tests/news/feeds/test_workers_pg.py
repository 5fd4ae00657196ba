"""Feed workers on PostgreSQL: `storydesk work` processes side by side over one database.

Two real worker processes poll 200 local feeds: no feed is ever fetched twice at once (nor twice
at all: each is due once), and every item is stored exactly once. A worker SIGKILLed with claims
in hand loses them when its lease ends, and the other worker polls those feeds then, not before.
Runs when STORYDESK_TEST_PG names a server (`bash .ci/postgres.sh start DIR`); skips otherwise.
"""

from __future__ import annotations

import asyncio
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import func, select

from bot.news.desk import NewsDesk
from bot.news.store._schema import articles, feed_entries, feeds
from tests.news.feed_server import FeedServer
from tests.news.feeds.workers_support import (
    add_feeds,
    held_until,
    serve_feeds,
    start_worker,
    write_config,
)
from tests.pg import PG, pg_database

pytestmark = pytest.mark.skipif(not PG, reason="no PostgreSQL server (set STORYDESK_TEST_PG)")


async def stored(url: str) -> tuple[int, int, int, int, int]:
    """(articles, distinct refs, entries, entries ok with distinct articles, feeds still claimed)."""
    desk = await NewsDesk.open(url)
    try:
        async with desk.store.engine.connect() as conn:

            async def one(q) -> int:  # type: ignore[no-untyped-def]
                return int((await conn.execute(q)).scalar_one())

            return (
                await one(select(func.count()).select_from(articles)),
                await one(select(func.count(func.distinct(articles.c.ref)))),
                await one(select(func.count()).select_from(feed_entries)),
                await one(
                    select(func.count(func.distinct(feed_entries.c.article_id))).where(
                        feed_entries.c.state == "ok"
                    )
                ),
                await one(select(func.count()).select_from(feeds).where(feeds.c.claimed_by.is_not(None))),
            )
    finally:
        await desk.close()


async def test_two_workers_share_200_feeds(feed_server: FeedServer, tmp_path: Path) -> None:
    urls = serve_feeds(feed_server, feeds=200, per_feed=2)
    paths = [f"/feed{n}.xml" for n in range(200)]
    # Hold every answer until both workers are fetching (one alone has at most 4 fetches out),
    # so the test shows two workers at once, whatever the machine's load at start-up.
    both = asyncio.Event()
    held_until(feed_server, paths, both)

    async def watch() -> None:
        while sum(feed_server.in_flight.values()) <= 4:
            await asyncio.sleep(0.02)
        both.set()

    watcher = asyncio.create_task(watch())
    config = write_config(tmp_path, lease=30, batch=10, concurrency=4)
    async with pg_database() as db:
        await add_feeds(db, urls)
        workers = [await start_worker(n, tmp_path, config, db, "--until-idle") for n in ("w1", "w2")]
        try:
            await asyncio.wait_for(both.wait(), 30)
            codes = [await w.wait(120) for w in workers]
        finally:
            watcher.cancel()
            for w in workers:
                if w.proc.returncode is None:
                    w.proc.kill()
        assert codes == [0, 0], [w.output()[-2000:] for w in workers]
        assert {feed_server.hits[p] for p in paths} == {1}  # each feed polled once, by one worker
        assert max(feed_server.most_at_once[p] for p in paths) == 1
        done = [int(w.output().split("after polling ")[1].split()[0]) for w in workers]
        assert sum(done) == 200 and min(done) > 0, done
        # Each built its story index once, then caught up with the other's placements from the
        # change log: a rebuild after another's batch costs every stored article.
        assert all("story index: 1 rebuild(s)" in w.output() for w in workers), [
            w.output()[-300:] for w in workers
        ]
        n_articles, refs, entries, ok, claimed = await stored(db)
        assert n_articles == refs == entries == ok == 400 and claimed == 0


async def test_killed_workers_feeds_go_to_another_after_the_lease(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    urls = serve_feeds(feed_server, feeds=12, per_feed=1)
    paths = [f"/feed{n}.xml" for n in range(12)]
    answering = asyncio.Event()  # A's fetches hang until A is dead
    held_until(feed_server, paths, answering)
    seen_at: dict[str, list[float]] = {p: [] for p in paths}
    for path in paths:
        inner = feed_server.routes[path]

        async def timed(request: web.Request, inner=inner, path=path) -> web.StreamResponse:  # type: ignore[no-untyped-def]
            seen_at[path].append(time.time())
            return await inner(request)

        feed_server.routes[path] = timed
    config = write_config(tmp_path, lease=6, batch=4, concurrency=4)
    async with pg_database() as db:
        await add_feeds(db, urls)
        a = await start_worker("A", tmp_path, config, db)
        try:
            deadline = time.monotonic() + 30
            while sum(feed_server.in_flight.values()) < 4 and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            held = await claims(db)
            assert len(held) == 4 and {who for who, _ in held.values()} == {"A"}
            a.proc.send_signal(signal.SIGKILL)
            await a.wait(10)
        finally:
            if a.proc.returncode is None:
                a.proc.kill()
        answering.set()
        b = await start_worker("B", tmp_path, config, db, "--until-idle")
        try:
            assert await b.wait(60) == 0, b.output()[-2000:]
        finally:
            if b.proc.returncode is None:
                b.proc.kill()
        for path, (_, until) in held.items():
            assert until is not None and len(seen_at[path]) == 2  # A's fetch, then B's
            assert seen_at[path][1] >= until.timestamp() - 0.5  # not before A's lease ran out
        assert all(len(seen_at[p]) == 1 for p in paths if p not in held)
        assert max(feed_server.most_at_once[p] for p in paths) == 1
        n_articles, refs, entries, ok, claimed = await stored(db)
        assert n_articles == refs == entries == ok == 12 and claimed == 0


async def claims(url: str) -> dict[str, tuple[str, datetime | None]]:
    """Feed path -> (worker, lease end) of the feeds claimed now; every lease still running."""
    desk = await NewsDesk.open(url)
    try:
        found = await desk.store.feeds.claims()
        by_id = {f.id: f.url for f in await desk.feeds.list_feeds(everything=True)}
    finally:
        await desk.close()
    assert all(u is not None and u > datetime.now(UTC) for _, u in found.values())
    return {"/" + by_id[i].rsplit("/", 1)[1]: held for i, held in found.items()}
