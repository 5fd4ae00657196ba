"""CPU per article of an ingest worker's work, stage by stage, measured in-process.

    .venv/bin/python bench/bench_reader.py [--articles 3000] [--rounds 3] [--profile STAGE]

Builds JSON Lines batches as bench/bench_ingest.py does (500 articles a file, the shared sets
replicated) and runs what a worker does with each file, with a worker's garbage-collector
settings (`_worker.start_worker`): parse + clean (`stream_file`), quotes, clustering features
(one FeatureMaker per file, as `read_streamed` makes), packing each article for the pipe; then
what the ingesting process does with it (unpacking). Prints CPU ms per article per stage, the
best of `--rounds` (time.process_time: the machine is shared, wall clock is not a measure), and
the bytes an article waits as. Run it on two commits back to back to compare (A/B).
`--profile STAGE` prints a cProfile of that stage in the last round.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_ingest import build_jsonl  # noqa: E402

from bot import ENGINE_MODE  # noqa: E402
from bot.news.ingest._dropfolder import IncomingArticle, stream_file  # noqa: E402
from bot.news.ingest._frames import pack_item, unpack_item  # noqa: E402
from bot.news.quotes import extract_quotes  # noqa: E402
from bot.news.settings import ClusteringSettings  # noqa: E402
from bot.news.stories import FeatureMaker  # noqa: E402

STAGES = ("parse+clean", "quotes", "features", "pack", "unpack")


def _parse(path: Path) -> list[IncomingArticle]:
    stream = stream_file(str(path), path, 50_000_000, follow_links=False)
    items: list[IncomingArticle] = []
    while True:
        try:
            items.append(next(stream))
        except StopIteration:
            return items


def one_round(
    files: list[Path], profile: cProfile.Profile | None, stage: str | None
) -> tuple[dict[str, float], int, int]:
    """CPU seconds per stage over every file, the articles, and their packed bytes."""
    spent = dict.fromkeys(STAGES, 0.0)
    settings = ClusteringSettings()

    def timed(name: str, work: Callable[[], Any]) -> Any:
        if profile is not None and name == stage:
            profile.enable()
        t0 = time.process_time()
        out = work()
        spent[name] += time.process_time() - t0
        if profile is not None and name == stage:
            profile.disable()
        return out

    articles = size = 0
    for path in files:
        maker = FeatureMaker(settings)
        items: list[IncomingArticle] = timed("parse+clean", lambda path=path: _parse(path))

        def quotes(items: list[IncomingArticle] = items) -> None:
            for item in items:
                item.article.quotes = extract_quotes(item.article.text)

        def features(items: list[IncomingArticle] = items, maker: FeatureMaker = maker) -> None:
            for item in items:
                item.features = maker.features(item.article.title, item.article.text).to_json()

        timed("quotes", quotes)
        timed("features", features)
        packed: list[bytes] = timed("pack", lambda items=items: [pack_item(i) for i in items])
        timed("unpack", lambda packed=packed: [unpack_item(p) for p in packed])
        articles += len(items)
        size += sum(map(len, packed))
    return spent, articles, size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", choices=STAGES)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "batches"
        build_jsonl(folder, args.articles)
        files = sorted(folder.iterdir())
        gc.freeze()  # as a worker does once its code is imported (`_worker.start_worker`)
        gc.set_threshold(50_000, 20, 100)
        best = dict.fromkeys(STAGES, float("inf"))
        profile = cProfile.Profile() if args.profile else None
        for n in range(max(1, args.rounds)):
            last = n == args.rounds - 1
            spent, articles, size = one_round(files, profile if last else None, args.profile)
            best = {stage: min(best[stage], spent[stage]) for stage in STAGES}
    print(f"engine: {ENGINE_MODE}")
    print(f"{articles} articles in {len(files)} files, CPU ms per article (best of {args.rounds} rounds):")
    print("  " + "  ".join(f"{stage} {1000 * best[stage] / articles:.3f}" for stage in STAGES))
    print(
        f"  worker {1000 * sum(best[s] for s in STAGES[:4]) / articles:.3f}; an article waits as {size / articles:,.0f} bytes"
    )
    if profile is not None:
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
