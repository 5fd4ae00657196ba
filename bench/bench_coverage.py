"""The coverage picture of a 20-article story: CPU time to build and draw it, and the PNG's size.

    .venv/bin/python bench/bench_coverage.py [--runs 20]

The story: the largest event of ../shared/data/ecbplus_dev (real articles, their own dates and
hosts), topped up to 20 articles with republications (another outlet, hours later, marked as a
copy) when the event has fewer. Its comparison (which finds the developing figures) is timed
apart, as /story reads it from the cache the Compare button shares. CPU time (process_time), as
the machine is shared and wall-clock time is noisy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.news.compare import compare_story
from bot.news.coverage import build_coverage, render_png
from bot.news.ingest import add_quotes
from bot.news.ingest._dropfolder import record_to_article
from bot.news.models import StoredArticle, Story, StoryArticle
from bot.news.outlets import outlet_label

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ecbplus_dev" / "articles.jsonl"
ARTICLES = 20


def _story() -> tuple[Story, list[StoredArticle]]:
    records = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    dated = [r for r in records if r.get("date")]
    biggest, _ = Counter(r["cluster_id"] for r in dated).most_common(1)[0]
    event = [r for r in dated if r["cluster_id"] == biggest][:ARTICLES]
    stored: list[StoredArticle] = []
    for n, r in enumerate(event, start=1):
        incoming = record_to_article(r, "dev.jsonl", fallback_ref=str(r["id"]))
        add_quotes(incoming.article)
        stored.append(
            StoredArticle(
                **incoming.article.model_dump(),
                id=n,
                ref=incoming.ref,
                content_hash=str(n),
                ingested_at=datetime(2020, 1, 1, tzinfo=UTC),
            )
        )
    arts = [
        StoryArticle(ref=a.ref, outlet=outlet_label(a), title=a.title, published=a.published) for a in stored
    ]
    n = 0
    while len(arts) < ARTICLES:  # republications: another outlet, some hours after the original
        source = arts[n % len(stored)]
        when = source.published + timedelta(hours=3 + n) if source.published else None
        arts.append(
            StoryArticle(
                ref=f"copy{n}", outlet=f"Republisher {n % 4 + 1}", published=when, copy_of=source.ref
            )
        )
        n += 1
    first = min(a.published for a in arts if a.published)
    story = Story(id=1, headline=stored[0].title or "", first_seen=first, last_updated=first, articles=arts)
    return story, stored


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--out", type=Path, help="also write the picture here")
    args = p.parse_args()
    story, stored = _story()
    t = time.process_time()
    comparison = compare_story(story, stored)
    compare_ms = (time.process_time() - t) * 1000
    times, png = [], b""
    for _ in range(args.runs + 1):
        t = time.process_time()
        png = render_png(build_coverage(story, comparison))
        times.append((time.process_time() - t) * 1000)
    cold, warm = times[0], times[1:]
    cov = build_coverage(story, comparison)
    print(
        f"story: {len(story.articles)} articles ({len(stored)} real), {len(cov.rows)} rows"
        f" (+{cov.hidden_outlets} outlets in the last), {len(cov.figures)} developing figure(s)"
    )
    print(f"comparison (cached for /story): {compare_ms:.0f} ms CPU")
    print(
        f"coverage picture: cold {cold:.0f} ms CPU (font loaded), median {statistics.median(warm):.0f} ms,"
        f" max {max(warm):.0f} ms over {len(warm)} runs; PNG {len(png) / 1024:.1f} KB"
    )
    if args.out:
        args.out.write_bytes(png)


if __name__ == "__main__":
    main()
