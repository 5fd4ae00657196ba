"""Feed polling benchmark: N feeds x M items on a loopback server; a first poll, then an unchanged one.

Run: .venv/bin/python bench/bench_feeds.py [--feeds 500] [--items 50] [--per-host 2]

The server runs in its own process (its CPU is not counted); feeds are RSS 2.0 built at run time
from ../shared/data articles, with ETags, so the second poll is 500 conditional GETs answered 304.
Prints wall time, CPU time (all threads of this process) and peak RSS for each poll.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.news.desk import NewsDesk  # noqa: E402
from bot.news.feeds import _poller as poller  # noqa: E402
from bot.news.ingest import IngestReport, add_quotes  # noqa: E402
from bot.news.models import PollReport  # noqa: E402
from bot.news.settings import (  # noqa: E402
    EngineSettings,
    FeedSettings,
    NetworkSettings,
)
from tests.news.feed_server import FeedServer, items_from, rss2, shared_articles  # noqa: E402


@dataclass
class Cfg:
    url: str
    name: str | None
    interval: float = 900.0


def serve(feeds: int, items: int, ready: Any, stop: Any) -> None:
    """The feed server process: builds every feed once, answers 304 to a matching If-None-Match."""

    async def main() -> None:
        records = [
            r
            for name in ("basil_stories", "pac_story_pairs", "newswcl50_stories")
            for r in shared_articles(name)
        ]
        server = FeedServer()
        await server.start()
        now = datetime.now(UTC)
        for f in range(feeds):
            chosen = [records[(f * items + i) % len(records)] for i in range(items)]
            for r in chosen:
                r.setdefault("title", r["text"].strip().split("\n")[0][:80])
            built = items_from(
                chosen, f"http://outlet{f}.test", dates=[now - timedelta(hours=i) for i in range(items)]
            )
            for it in built:  # distinct articles per feed, so nothing is skipped as a duplicate
                it.title = f"{it.title} [{f}]"
            server.serve(f"/feed/{f}.xml", rss2(built, title=f"Outlet {f}"), etag=f'"{f}-v1"')
        ready.put(server.port)
        while not stop.is_set():
            await asyncio.sleep(0.2)
        await server.close()

    asyncio.run(main())


async def skip_ingest(items: Any, **_kw: Any) -> IngestReport:
    return IngestReport(new=[i.ref for i in items])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


class IngestTimer:
    """Wall time spent inside NewsDesk.ingest_items (storing, clustering: not the feed code)."""

    def __init__(self, desk: NewsDesk) -> None:
        self.seconds = 0.0
        self._inner = desk.ingest_items
        lock = asyncio.Lock()  # ingestion is one-at-a-time anyway: time it without the queueing

        async def timed_ingest(*args: Any, **kw: Any) -> Any:
            async with lock:
                start = time.perf_counter()
                try:
                    return await self._inner(*args, **kw)
                finally:
                    self.seconds += time.perf_counter() - start

        desk.ingest_items = timed_ingest  # type: ignore[method-assign]


class QuoteTimer:
    """CPU time of quote extraction on feed articles (bot.news.quotes._grouping: not the feed code)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        inner = add_quotes

        def timed_quotes(article: Any) -> None:
            start = time.thread_time()  # runs in worker threads: count that thread's CPU
            try:
                inner(article)
            finally:
                self.seconds += time.thread_time() - start

        vars(poller)["add_quotes"] = timed_quotes  # the name the poller calls


async def timed(label: str, desk: NewsDesk, ingest: IngestTimer, quotes: QuoteTimer) -> PollReport:
    ingest.seconds = quotes.seconds = 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    report = await desk.feeds.poll(force=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    s = report.summary()
    print(
        f"{label:<16} wall {wall:7.2f} s   cpu {cpu:7.2f} s   peak RSS {peak_rss_mb():7.1f} MB   "
        f"(of it: {ingest.seconds:.1f} s wall inside NewsDesk.ingest_items, {quotes.seconds:.1f} s cpu quote extraction)\n"
        f"{'':<16} "
        f"ok {s['ok']}  304 {s['not_modified']}  errors {s['errors']}  new {s['new']}  updated {s['updated']}"
    )
    return report


async def run(args: argparse.Namespace, port: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = EngineSettings(
            network=NetworkSettings(allow_private_addresses=True, per_host_concurrency=args.per_host),
            feed=FeedSettings(poll_concurrency=args.concurrency, max_entries_per_poll=args.items),
        )
        desk = await NewsDesk.open(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", settings=settings)
        try:
            await desk.feeds.sync_config(
                [Cfg(f"http://127.0.0.1:{port}/feed/{f}.xml", f"Outlet {f}") for f in range(args.feeds)]
            )
            print(
                f"{args.feeds} feeds x {args.items} items, per-host limit {args.per_host}, {args.concurrency} feeds at once"
            )
            print(f"{'start':<16} peak RSS {peak_rss_mb():7.1f} MB")
            if args.no_ingest:  # measure the feed machinery alone: articles are not stored
                desk.ingest_items = skip_ingest  # type: ignore[method-assign]
            ingest = IngestTimer(desk)
            quotes = QuoteTimer()
            first = await timed("first poll", desk, ingest, quotes)
            unchanged = await timed("unchanged (304)", desk, ingest, quotes)
            assert first.summary()["errors"] == 0 and unchanged.summary()["not_modified"] == args.feeds
        finally:
            await desk.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument(
        "--per-host", type=int, default=2, help="per-host concurrency (all feeds share one host)"
    )
    parser.add_argument("--concurrency", type=int, default=16, help="feeds polled at once")
    parser.add_argument("--no-ingest", action="store_true", help="do not store articles (feed code alone)")
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    ready, stop = ctx.Queue(), ctx.Event()
    proc = ctx.Process(target=serve, args=(args.feeds, args.items, ready, stop), daemon=True)
    proc.start()
    try:
        port = ready.get(timeout=300)
        asyncio.run(run(args, port))
    finally:
        stop.set()
        proc.join(10)


if __name__ == "__main__":
    main()
