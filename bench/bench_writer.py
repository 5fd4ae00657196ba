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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--sort", default="tottime", help="pstats order with --profile (tottime, cumulative)")
    ap.add_argument("--dump", metavar="FILE", help="write the final [article id, story id] rows as JSON")
    ap.add_argument("--cache", default=None, help="pickle of the prepared articles (default: in /tmp)")
    args = ap.parse_args()
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
