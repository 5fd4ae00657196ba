"""Clustering quality on the shared dev sets: B-cubed precision, recall and F1 per set, and stability.

Every set is clustered in one index, in date order (undated articles last, dated by their ingest
time), with one configuration (ClusteringSettings defaults). Stability is the B-cubed F1 of
re-ingesting the same articles in other orders against the date-order run.

ecbplus_dev is fed two ways (bench/clustering_sets.py): as is (the title, host and date a record
has) and stripped (the text alone, as a held-out check feeds it); each is also scored on the two
halves of its topics (odd and even topic ids), so a rule fitted to one half shows as a gap.
compare_dev's events are each clustered alone, in a fresh index, as its scorer ingests them
(../shared/tools/score_compare.py), with every article on the event's first day and with real dates.

    .venv/bin/python bench/eval_clustering.py            # the clusterer directly
    .venv/bin/python bench/eval_clustering.py --service  # through NewsDesk into a temporary SQLite file
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.clustering_sets import (
    ALL_SETS,
    ECB_FEEDS,
    HALVES,
    bcubed,
    cluster,
    cluster_through_desk,
    compare_events,
    event_splits,
    load_set,
    reorder_stability,
    score_set,
    seed_docs,
)
from bot.news.desk import NewsDesk


async def _through_service(name: str) -> dict[int, int]:
    items = load_set(name)
    with tempfile.TemporaryDirectory() as tmp:
        desk = await NewsDesk.open(f"sqlite+aiosqlite:///{Path(tmp) / 'eval.sqlite3'}", clock=lambda: _NOW)
        try:
            return await cluster_through_desk(desk, name, items)
        finally:
            await desk.close()


_NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def _stability(runs: dict[str, float]) -> str:
    shuffled = [v for k, v in runs.items() if k.startswith("shuffle")]
    below = sum(v < 0.98 for v in shuffled)
    return (
        f"reverse {runs['reverse']:.3f}  {len(shuffled)} shuffles: min {min(shuffled):.3f} "
        f"mean {sum(shuffled) / len(shuffled):.3f} ({below} below 0.98)"
    )


def _print_events() -> None:
    """compare_dev's events, each clustered alone (as its scorer ingests them): how many stayed whole."""
    for same_day in (True, False):
        label = "same day" if same_day else "real dates"
        for half in (None, *HALVES):
            splits = event_splits(compare_events(same_day, half=half))
            whole = sum(e.stories == 1 for e in splits)
            detail = " ".join(
                f"{e.event}:{e.in_story}/{e.articles}" + (f"({e.stories})" if e.stories > 1 else "")
                for e in splits
            )
            print(f"compare_dev {label:<10} {half or 'all':<4} whole {whole}/{len(splits)}  {detail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", action="store_true", help="ingest through NewsDesk instead")
    parser.add_argument("--no-stability", action="store_true", help="skip the re-ordered runs")
    parser.add_argument("--shuffles", type=int, default=12, help="seeded shuffles per set (default 12)")
    args = parser.parse_args()
    print(f"{'set':<22} {'n':>4} {'P':>6} {'R':>6} {'F1':>6} {'stories':>7}  stability (F1 vs date order)")
    for name in ALL_SETS:
        items = load_set(name)
        began = time.perf_counter()
        stories = asyncio.run(_through_service(name)) if args.service else cluster(it.doc for it in items)
        took = time.perf_counter() - began
        ids = [it.doc.article_id for it in items]
        p, r, f = bcubed([stories[a] for a in ids], [it.gold for it in items])
        stable = "" if args.no_stability else _stability(reorder_stability(items, shuffles=args.shuffles))
        print(
            f"{name:<22} {len(items):>4} {p:>6.3f} {r:>6.3f} {f:>6.3f} {len(set(stories.values())):>7}  {stable}"
        )
        print(f"{'':<22} {took / len(items) * 1000:.1f} ms/article")
        if name in ECB_FEEDS:
            for half in HALVES:
                part = load_set(name, half=half)
                p, r, f = score_set(part)
                print(f"{'  ' + half + ' topics':<22} {len(part):>4} {p:>6.3f} {r:>6.3f} {f:>6.3f}")
    _print_events()
    seeds = seed_docs()
    seed_stories = cluster(seeds)
    outlets = {d.outlet for d in seeds}
    print(
        f"seeds: {len(seeds)} pages -> {len(set(seed_stories.values()))} story(ies), {len(outlets)} outlets"
    )


if __name__ == "__main__":
    main()
