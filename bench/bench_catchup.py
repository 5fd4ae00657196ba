"""Catch-ups at a database's size: CPU a second worker's story index spends taking in another
worker's batch of 10 articles, on a database that already holds many (what bench_workers' runs
leave behind, copied).

    .venv/bin/python bench/bench_catchup.py postgresql+asyncpg://USER@HOST:PORT/COPY [--batches 80]

It ADDS articles to that database: give it a copy (`createdb -T bench_xxx copy`, or pg_dump and
pg_restore while a bench runs). One process holds two story indexes on it, each rebuilt from
every stored article: the writer's (a NewsDesk) places `--batches` batches of 10 new articles
(bench_workers' articles after the first 30,000, quotes and clustering features computed
beforehand, as a worker hands them over), and after each the other index catches up from the
change log under the writer lock. Prints the CPU per catch-up (process time: the machine may be
shared) by kind ("place": plain placements, "regroup": with regroupings, "rebuild"), the
catch-ups' wall time by part, and what a rebuild costs, with the stored and live story counts:
run it on databases of two sizes to see what grows with the database.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_workers import prepared_items, replicated  # noqa: E402

from bot.news.ingest import IncomingArticle  # noqa: E402


def prepared(first: int, n: int) -> list[IncomingArticle]:
    """Articles `first`..`first + n` of the bench set, as a worker hands them to the writer."""
    return prepared_items(replicated(first + n)[first:], "catchup-bench", start=first)


async def main_async(url: str, batches: int, first: int) -> None:
    from bot.news.desk import NewsDesk
    from bot.news.stories import StoryKeeper

    items = prepared(first, 10 * batches)
    desk = await NewsDesk.open(url)
    try:
        stored = await desk.store.articles.count()
        reader = StoryKeeper(desk.store, desk.keeper.settings)
        c0 = time.process_time()
        await reader.sync()
        rebuild = time.process_time() - c0
        assert reader._clusterer is not None
        live = reader._clusterer.story_count
        print(f"{stored} articles stored, {live} live stories; a rebuild took {rebuild:.1f} s CPU")
        await desk.keeper.sync()  # the writer's own rebuild, untimed
        spent: dict[str, list[float]] = {}
        for b in range(batches):
            await desk.ingestor.store_items(items[10 * b : 10 * b + 10])
            before = {kind: n for kind, (n, _) in reader.sync_spent.items()}
            c0 = time.process_time()
            async with desk.store.writer():
                await reader.sync()
            cpu = time.process_time() - c0
            kind = next((k for k, (n, _) in reader.sync_spent.items() if n != before.get(k, 0)), "")
            if kind:
                spent.setdefault(kind, []).append(cpu)
        print(f"Catch-ups after another worker's batch of 10 ({batches} batches), CPU per catch-up:")
        for kind, xs in sorted(spent.items()):
            xs.sort()
            mean, median = 1000 * sum(xs) / len(xs), 1000 * xs[len(xs) // 2]
            print(f"  {kind}: {len(xs)} x mean {mean:.1f} ms, median {median:.1f} ms")
        parts = ", ".join(f"{part} {1000 * t:.0f} ms" for part, t in reader.catch_up_parts.items())
        print(f"  wall time by part, in all: {parts}; rebuilds after the first: {reader.rebuilds - 1}")
    finally:
        await desk.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("url", help="a COPY of a stored database (articles are added to it)")
    p.add_argument("--batches", type=int, default=80)
    p.add_argument("--first", type=int, default=30_000, help="first article of bench_workers' stream")
    args = p.parse_args()
    asyncio.run(main_async(args.url, args.batches, args.first))


if __name__ == "__main__":
    main()
