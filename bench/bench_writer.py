"""The clusterer alone, as the one ordered writer runs it: CPU per article of `StoryClusterer.assign`
on N articles whose features were computed beforehand (as the ingest workers hand them in).

    .venv/bin/python bench/bench_writer.py [--articles 10000] [--profile] [--dump FILE]

The articles are those of bench/bench_ingest.py (the shared labelled sets replicated with shifted
dates). Reading, cleaning and the features are done first and cached in a temporary pickle
(`--cache`), so repeated runs time the clusterer only. Prints CPU ms per article (process time:
the machine may be shared) of decoding the features and of `assign`, and with `--dump` writes the
[article id, story id] table after the run (to compare two versions: the same stories, same ids).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pickle
import pstats
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

# The arrival time of every article (undated ones are placed at it): fixed, so runs compare.
NOW = datetime(2026, 1, 1, tzinfo=UTC)

Row = tuple[str | None, str, str | None, datetime | None, str]  # title, text, outlet, published, features


def build_rows(n: int) -> list[Row]:
    """The bench articles as the writer receives them, in ingestion order (dated first per file)."""
    from bench_ingest import build_jsonl

    from bot.news.ingest import read_file
    from bot.news.settings import ClusteringSettings
    from bot.news.stories import FeatureMaker

    maker = FeatureMaker(ClusteringSettings())
    rows: list[Row] = []
    undated: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "inbox"
        build_jsonl(src, n)
        for f in sorted(src.iterdir()):
            for item in read_file(str(f), f, 50_000_000).items:
                a = item.article
                row = (a.title, a.text, a.outlet, a.published, maker.features(a.title, a.text).to_json())
                (rows if a.published is not None else undated).append(row)
    return rows + undated  # bench_ingest's single run defers the undated ones to the end


def run(rows: list[Row], profile: cProfile.Profile | None) -> tuple[list[tuple[int, int]], float, float]:
    from bot.news.settings import ClusteringSettings
    from bot.news.stories import ClusterDoc, DocFeatures, StoryClusterer

    clusterer = StoryClusterer(ClusteringSettings())
    decode = assign = 0.0
    placed: list[int] = []
    for article_id, (title, text, outlet, published, raw) in enumerate(rows, start=1):
        c0 = time.process_time()
        doc = ClusterDoc(
            article_id=article_id,
            title=title,
            text=text,
            outlet=outlet,
            when=published or NOW,
            dated=published is not None,
            features=DocFeatures.from_json(raw),
        )
        c1 = time.process_time()
        result = profile.runcall(clusterer.assign, doc) if profile else clusterer.assign(doc)
        c2 = time.process_time()
        decode += c1 - c0
        assign += c2 - c1
        placed.append(result.story_id)
    # Each article's final story (after later merges and moves).
    final = [(aid, clusterer.story_of(aid)) for aid in range(1, len(placed) + 1)]
    return final, decode, assign


def build_items(n: int) -> list[object]:
    """The bench articles as the ingest workers hand them to the writer: quotes and features in."""
    from bench_ingest import build_jsonl

    from bot.news.ingest._pool import read_with_quotes  # what a worker process does per file
    from bot.news.settings import ClusteringSettings

    items: list[object] = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "inbox"
        build_jsonl(src, n)
        for f in sorted(src.iterdir()):
            items.extend(read_with_quotes(str(f), f, 50_000_000, ClusteringSettings()).items)
    return items


async def through_desk(items: list[object]) -> tuple[float, dict[str, float], list[tuple[str, int]]]:
    """The whole writer (store, cluster, records) in this process on a fresh SQLite: CPU seconds,
    the share of `place_many` (or `place` on older versions), and the ref -> story table."""
    import sqlite3

    from bot.news.desk import NewsDesk
    from bot.news.settings import IngestSettings

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "w.sqlite3"
        desk = await NewsDesk.open(
            f"sqlite+aiosqlite:///{db}", ingest=IngestSettings(workers=0), clock=lambda: NOW
        )
        keeper = desk.keeper
        spent = {"place": 0.0}
        name = "place_many" if hasattr(keeper, "place_many") else "place"
        inner = getattr(keeper, name)

        async def timed(*args: object, **kwargs: object) -> object:
            c0 = time.process_time()
            try:
                return await inner(*args, **kwargs)
            finally:
                spent["place"] += time.process_time() - c0

        setattr(keeper, name, timed)
        c0 = time.process_time()
        for start in range(0, len(items), 500):  # a file's worth at a time, as the drop folder does
            batch = items[start : start + 500]
            dated = [i for i in batch if i.article.published is not None]  # type: ignore[attr-defined]
            await desk.ingestor.store_items(dated)
        await desk.ingestor.store_items([i for i in items if i.article.published is None])  # type: ignore[attr-defined]
        cpu = time.process_time() - c0
        await desk.close()
        with sqlite3.connect(db) as conn:
            table = [
                (str(r), int(s)) for r, s in conn.execute("SELECT ref, story_id FROM articles ORDER BY id")
            ]
    return cpu, spent, table


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--sort", default="tottime", help="pstats order with --profile (tottime, cumulative)")
    ap.add_argument("--dump", metavar="FILE", help="write the final [article id, story id] rows as JSON")
    ap.add_argument("--cache", default=None, help="pickle of the prepared articles (default: in /tmp)")
    ap.add_argument(
        "--desk",
        action="store_true",
        help="the whole writer through NewsDesk on SQLite (store, cluster, records)",
    )
    args = ap.parse_args()
    if args.desk:
        desk_cache = Path(f"{tempfile.gettempdir()}/storydesk-bench-writer-items-{args.articles}.pickle")
        if desk_cache.exists():
            items = pickle.loads(desk_cache.read_bytes())
        else:
            items = build_items(args.articles)
            desk_cache.write_bytes(pickle.dumps(items))
        cpu, spent, table = asyncio.run(through_desk(items))
        n = len(table)
        from bot import ENGINE_MODE

        print(f"engine: {ENGINE_MODE}")
        print(f"{n} articles stored, {len({s for _, s in table})} stories (the writer alone, in-process)")
        print(f"  writer (all)   {1000 * cpu / n:6.3f} ms/article CPU")
        print(f"  of which place {1000 * spent['place'] / n:6.3f} ms/article CPU")
        print(f"  the rest       {1000 * (cpu - spent['place']) / n:6.3f} ms/article CPU (store, records)")
        if args.dump:
            Path(args.dump).write_text(json.dumps(table), encoding="utf-8")
        return
    cache = Path(args.cache or f"{tempfile.gettempdir()}/storydesk-bench-writer-{args.articles}.pickle")
    if cache.exists():
        rows = pickle.loads(cache.read_bytes())
    else:
        rows = build_rows(args.articles)
        cache.write_bytes(pickle.dumps(rows))
    n = len(rows)
    prof = cProfile.Profile() if args.profile else None
    final, decode, assign = run(rows, prof)
    print(f"{n} articles, {len({s for _, s in final})} stories")
    print(f"  decode features {1000 * decode / n:6.3f} ms/article CPU")
    print(f"  assign          {1000 * assign / n:6.3f} ms/article CPU")
    if args.dump:
        Path(args.dump).write_text(json.dumps(final), encoding="utf-8")
    if prof:
        pstats.Stats(prof).sort_stats(args.sort).print_stats(45)


if __name__ == "__main__":
    main()
