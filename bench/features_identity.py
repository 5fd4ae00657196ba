"""Clustering features of every shared article: a canonical dump, and CPU per article.

    .venv/bin/python bench/features_identity.py [--dump out.jsonl] [--repeat N] [--sets basil_stories,...]
    .venv/bin/python bench/features_identity.py --profile     # cProfile of the feature maker alone

(STORYDESK_SHARED=/work/shared when run from a checkout outside /work.)

Cleans every article as bench/extract_identity.py does (records, the same texts as plain pages,
the HTML pages, the seeds and the inbox), then computes its clustering features with the default
settings, as an ingest worker does, and writes each article's stored form (`DocFeatures.to_json`,
the very text the writer stores) on one line. Run it on two commits and compare the files byte for
byte to show a speed change kept the features. CPU time is time.process_time (the machine is shared).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from extract_identity import jobs  # noqa: E402

from bot.news.settings import ClusteringSettings  # noqa: E402
from bot.news.stories import FeatureMaker  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--repeat", type=int, default=3, help="feature passes to time (the first is the dump)")
    ap.add_argument("--sets", help="comma-separated set folders (and 'files' for seeds + inbox)")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one feature pass")
    args = ap.parse_args()
    articles = [(key, job()) for key, job in jobs(args.sets.split(",") if args.sets else None)]
    settings = ClusteringSettings()
    lines = [
        json.dumps(key) + " " + FeatureMaker(settings).features(a.title, a.text).to_json()
        for key, a in articles
    ]
    best = float("inf")
    for _ in range(max(1, args.repeat)):
        maker = FeatureMaker(settings)  # fresh caches each pass, as a new worker starts
        t0 = time.process_time()
        for _key, a in articles:
            maker.features(a.title, a.text)
        best = min(best, time.process_time() - t0)
    if args.profile:
        maker = FeatureMaker(settings)
        prof = cProfile.Profile()
        prof.enable()
        for _key, a in articles:
            maker.features(a.title, a.text)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    text = "\n".join(lines) + "\n"
    if args.dump:
        args.dump.write_text(text, encoding="utf-8")
    print(f"{len(lines)} articles, dump sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}")
    print(f"features: {1000 * best / len(articles):.3f} ms CPU per article (best of {args.repeat} passes)")


if __name__ == "__main__":
    main()
