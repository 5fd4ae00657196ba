"""`storydesk work` stops gracefully on SIGTERM: it finishes the feeds in hand within
`stop_grace_seconds`, else gives them up, and leaves no claim behind either way (SQLite here; the
PostgreSQL side of workers is in test_workers_pg.py)."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

from bot.news.desk import NewsDesk
from tests.news.feed_server import FeedServer
from tests.news.feeds.workers_support import add_feeds, held_until, serve_feeds, start_worker, write_config


async def _wait_for_fetches(server: FeedServer, n: int) -> None:
    deadline = time.monotonic() + 30
    while sum(server.in_flight.values()) < n:
        assert time.monotonic() < deadline, "the worker never fetched"
        await asyncio.sleep(0.02)


async def _state(db: str) -> tuple[int, int]:
    """(feeds read, feeds still claimed)."""
    desk = await NewsDesk.open(db)
    try:
        feeds = await desk.feeds.list_feeds(everything=True)
        return sum(f.last_ok_at is not None for f in feeds), len(await desk.store.feeds.claims())
    finally:
        await desk.close()


async def test_sigterm_finishes_the_feeds_in_hand_or_releases_them(
    feed_server: FeedServer, tmp_path: Path, db_url: str
) -> None:
    urls = serve_feeds(feed_server, feeds=6, per_feed=1)
    first, rest = [f"/feed{n}.xml" for n in range(4)], [f"/feed{n}.xml" for n in range(4, 6)]
    answer_first, answer_rest = asyncio.Event(), asyncio.Event()
    held_until(feed_server, first, answer_first)
    held_until(feed_server, rest, answer_rest)  # never answered
    await add_feeds(db_url, urls)

    # Stopped while its 4 fetches hang, answered within the grace time: it finishes them.
    config = write_config(tmp_path, lease=60, batch=4, concurrency=4, grace=20)
    worker = await start_worker("w1", tmp_path, config, db_url)
    try:
        await _wait_for_fetches(feed_server, 4)
        worker.proc.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.5)
        answer_first.set()
        assert await worker.wait(30) == 0, worker.output()[-2000:]
    finally:
        if worker.proc.returncode is None:
            worker.proc.kill()
    assert "after polling 4 feed(s)" in worker.output()
    assert await _state(db_url) == (4, 0)

    # Stopped while fetches hang past the grace time: it gives them up and releases them.
    config = write_config(tmp_path, lease=60, batch=4, concurrency=4, grace=1)
    worker = await start_worker("w2", tmp_path, config, db_url)
    try:
        await _wait_for_fetches(feed_server, 2)
        stopped = time.monotonic()
        worker.proc.send_signal(signal.SIGTERM)
        assert await worker.wait(30) == 0, worker.output()[-2000:]
        assert time.monotonic() - stopped < 15  # not the 30 s fetch timeout, nor the 60 s lease
    finally:
        if worker.proc.returncode is None:
            worker.proc.kill()
    assert "after polling 0 feed(s)" in worker.output()
    assert await _state(db_url) == (4, 0)  # the two hanging feeds: unread, unclaimed, due again
