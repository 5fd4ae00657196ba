"""Extraction speed and memory: the 181 benchmark HTML pages and the plain-text seed pages.

Usage: .venv/bin/python bench/bench_extract.py [--repeat N]
Prints pages/s for one process (HTML and plain text), peak RSS, and the benchmark F1.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.news.cleaning import extract_article  # noqa: E402
from tests.news.cleaning.extraction_benchmark import evaluate, load_pages  # noqa: E402
from tests.paths import DATA, SEEDS  # noqa: E402


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--repeat", type=int, default=20, help="passes over the seed pages for the text timing"
    )
    args = parser.parse_args()

    pages = load_pages(DATA / "scrapinghub_aeb")
    htmls = [p.html() for p in pages]  # decompress first: time the extraction only
    total_bytes = sum(len(h.encode("utf-8")) for h in htmls)
    rss_before = _peak_rss_mib()

    start = time.perf_counter()
    texts = [extract_article(h, "html", url=p.url).text for p, h in zip(pages, htmls, strict=True)]
    html_seconds = time.perf_counter() - start

    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    start = time.perf_counter()
    for _ in range(args.repeat):
        for seed in seeds:
            extract_article(seed, "text")
    text_seconds = time.perf_counter() - start

    scores = evaluate(pages, texts)
    print(f"html pages:   {len(pages)} ({total_bytes / 1e6:.1f} MB of HTML)")
    print(
        f"html speed:   {len(pages) / html_seconds:.1f} pages/s, {total_bytes / 1e6 / html_seconds:.2f} MB/s (1 process)"
    )
    print(
        f"text speed:   {len(seeds) * args.repeat / text_seconds:.1f} pages/s on the seed pages (1 process)"
    )
    print(f"peak RSS:     {_peak_rss_mib():.0f} MiB (after loading the pages: {rss_before:.0f} MiB)")
    for name, s in scores.items():
        print(f"quality {name:<9} P={s.precision:.4f} R={s.recall:.4f} F1={s.f1:.4f}")


if __name__ == "__main__":
    main()
