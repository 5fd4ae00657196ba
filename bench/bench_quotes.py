"""Quote extraction and comparison: speed and quality figures.

    .venv/bin/python bench/bench_quotes.py            # speed (PolNeAR train+dev) and a 20-article compare
    .venv/bin/python bench/bench_quotes.py --quality  # plus detection P/R/F1 and speaker accuracy

Speed: `extract_quotes` over every PolNeAR article (train and dev), articles and characters per
second. Compare: `compare_story`, `group_quotes` and `summarize_story` on a 20-article story built
from NewsWCL50 (its first four events, five outlets each, as one story; a timing proxy, since no
shared set has one event covered twenty times), best of three runs.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.news.compare import compare_story, summarize_story
from bot.news.models import StoredArticle, Story
from bot.news.quotes import QuoteSource, extract_quotes, group_quotes
from bot.news.quotes._evaluate import score

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
DATA = SHARED / "data"


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def bench_extraction() -> None:
    records = _records(DATA / "polnear_quotes" / "train.jsonl") + _records(
        DATA / "polnear_quotes" / "dev.jsonl"
    )
    chars = sum(len(r["text"]) for r in records)
    quotes = 0
    start = time.perf_counter()
    for record in records:
        quotes += len(extract_quotes(record["text"]))
    elapsed = time.perf_counter() - start
    print(f"extract_quotes: {len(records)} PolNeAR articles, {quotes} quotes in {elapsed:.2f}s")
    print(f"  {len(records) / elapsed:.1f} articles/s, {chars / elapsed / 1e3:.0f} kchars/s")


def _story_articles() -> list[StoredArticle]:
    rows = [r for r in _records(DATA / "newswcl50_stories" / "articles.jsonl")]
    events = sorted({r["cluster_id"] for r in rows}, key=lambda c: int(c.split("_")[1]))[:4]
    chosen = [r for r in rows if r["cluster_id"] in events][:20]
    t0 = datetime(2018, 4, 17, tzinfo=UTC)
    return [
        StoredArticle(
            id=n,
            ref=r["id"],
            outlet=r["source"],
            title=r.get("first_line", "")[:80],
            text=r["text"],
            quotes=extract_quotes(r["text"]),
            content_hash=r["id"],
            ingested_at=t0,
            published=t0 + timedelta(minutes=n),
        )
        for n, r in enumerate(chosen, start=1)
    ]


def bench_compare() -> None:
    articles = _story_articles()
    words = sum(len(a.text.split()) for a in articles)
    story = Story(
        id=1, headline="bench", first_seen=articles[0].ingested_at, last_updated=articles[0].ingested_at
    )
    sources = [QuoteSource(a.ref, a.outlet, a.text, a.quotes, a.published) for a in articles]
    compare_s = _best_of(3, lambda: compare_story(story, articles))
    group_s = _best_of(3, lambda: group_quotes(sources))
    summary_s = _best_of(3, lambda: summarize_story(articles, 2))
    comparison = compare_story(story, articles)
    print(f"compare_story: {len(articles)} articles ({words} words) in {compare_s * 1000:.0f} ms")
    print(
        f"  {len(comparison.shared_points)} shared points, {len(comparison.discrepancies)} discrepancies, "
        f"{len(comparison.agreements)} agreements"
    )
    print(f"group_quotes: {sum(len(s.quotes) for s in sources)} quotes in {group_s * 1000:.0f} ms")
    print(f"summarize_story: {summary_s * 1000:.0f} ms")


def bench_quality() -> None:
    for split in ("train", "dev"):
        scores = score(_records(DATA / "polnear_quotes" / f"{split}.jsonl"), extract_quotes)
        s = scores.summary()
        print(
            f"PolNeAR {split}: strict P {s['strict_precision']:.4f} R {s['recall']:.4f} "
            f"F1 {s['strict_f1']:.4f} (lenient P {s['precision']:.4f} F1 {s['f1']:.4f}); "
            f"speaker accuracy {s['speaker_accuracy']:.4f} (end to end {s['speaker_accuracy_e2e']:.4f}, "
            f"{s['named_gold']} named gold quotes)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quality", action="store_true", help="also print detection and speaker figures")
    args = parser.parse_args()
    bench_extraction()
    bench_compare()
    if args.quality:
        bench_quality()


if __name__ == "__main__":
    main()
