"""Ingest throughput and peak memory: N articles (JSONL built from ../shared/data) into a fresh SQLite.

    .venv/bin/python bench/bench_ingest.py [--articles 10000] [--profile]

Prints articles/s for the whole pipeline (parse, clean, quotes, store, cluster) and peak RSS.
The articles are the shared labelled sets replicated with shifted dates and a marker line, so
every one is new content; their texts stay in ../shared and in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data"
SETS = ["basil_stories", "pac_story_pairs", "newswcl50_stories", "polnear_quotes"]


def source_records() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for name in SETS:
        files = (
            [DATA / name / "articles.jsonl"]
            if name != "polnear_quotes"
            else sorted((DATA / name).glob("*.jsonl"))
        )
        for f in files:
            for line in f.read_text(encoding="utf-8").splitlines():
                r = json.loads(line)
                out.append(
                    {
                        "title": r.get("title"),
                        "text": r["text"],
                        "source": r.get("source") or r.get("publisher"),
                        "date": r.get("date"),
                        "url": r.get("url"),
                    }
                )
    return out


def build_jsonl(folder: Path, n: int, per_file: int = 500) -> None:
    """Files of `per_file` records (a drop folder of JSONL batches, each under the size limit)."""
    base = source_records()
    folder.mkdir()
    fh = None
    for i in range(n):
        if i % per_file == 0:
            if fh:
                fh.close()
            fh = (folder / f"batch-{i // per_file:04d}.jsonl").open("w", encoding="utf-8")
        if True:
            r = dict(base[i % len(base)])
            copy = i // len(base)
            if copy:
                try:
                    d = datetime.fromisoformat(str(r["date"])) if r["date"] else None
                except ValueError:
                    d = None
                r["date"] = (d + timedelta(days=30 * copy)).isoformat() if d else None
                r["text"] = f"{r['text']}\n\n(Edition {copy}.)"
            r["id"] = f"bench-{i}"
            fh.write(json.dumps(r) + "\n")
    if fh:
        fh.close()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(n: int, profile: bool) -> None:
    from bot.news.desk import NewsDesk

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "inbox"
        t0 = time.perf_counter()
        build_jsonl(src, n)
        size = sum(f.stat().st_size for f in src.iterdir())
        print(f"built {n} records in {time.perf_counter() - t0:.1f}s ({size / 1e6:.1f} MB)")
        desk = await NewsDesk.open(
            f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", clock=lambda: datetime.now(UTC)
        )
        prof = cProfile.Profile() if profile else None
        t0, c0 = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        report = await desk.ingest_paths([str(src)])
        if prof:
            prof.disable()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        stories = await desk.store.stories.count()
        await desk.close()
    s = report.summary()
    print(f"ingested: {s}, stories: {stories}")
    print(
        f"wall {wall:.1f}s  cpu {cpu:.1f}s  throughput {n / wall:.1f} articles/s  peak RSS {peak_rss_mb():.0f} MB"
    )
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    asyncio.run(run(args.articles, args.profile))


if __name__ == "__main__":
    main()
