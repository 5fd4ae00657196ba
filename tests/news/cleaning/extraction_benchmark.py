"""The Zyte/Scrapinghub article-extraction-benchmark, scored the way its `evaluate.py` does.

Per page, the gold `articleBody` and our text are compared as bags of 4-gram shingles over
`\\w+` tokens; TP/FP/FN are normalised per page, precision and recall are averaged over pages
and F1 is taken from the two averages. A plain bag-of-tokens score (unigrams) is reported too.
Shared by the quality gate (tests/news/test_html_quality.py) and bench/bench_extract.py.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Page:
    """One benchmark page: its id, URL, gzipped HTML file and gold article body."""

    id: str
    url: str
    html_path: Path
    gold: str

    def html(self) -> str:
        with gzip.open(self.html_path, "rt", encoding="utf-8") as f:
            return f.read()


@dataclass(frozen=True)
class Scores:
    """Averaged precision, recall and F1."""

    precision: float
    recall: float
    f1: float


def load_pages(root: Path) -> list[Page]:
    """The benchmark's pages with their gold bodies (ground-truth.json; records.jsonl for URLs)."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for line in (root / "records.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        pages.append(
            Page(record["id"], record["url"], root / record["html_path"], truth[record["id"]]["articleBody"])
        )
    return pages


def _grams(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def tp_fp_fn(gold: str, predicted: str, n: int = 4) -> tuple[float, float, float]:
    """Per-page TP/FP/FN over n-gram shingles, normalised to sum to 1."""
    true, pred = _grams(gold, n), _grams(predicted, n)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def score(rows: Iterable[tuple[float, float, float]]) -> Scores:
    """Benchmark metrics from per-page TP/FP/FN rows."""
    rows = list(rows)
    p = statistics.mean(_precision(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(_recall(*row) for row in rows if row[0] + row[2] > 0)
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def _extract_one(page: Page) -> str:
    from bot.news.cleaning import extract_article

    return extract_article(page.html(), "html", url=page.url).text


def extract_all(pages: list[Page], workers: int | None = None) -> list[str]:
    """Our main text for every page, extracted in a process pool."""
    workers = workers or min(4, os.cpu_count() or 1)
    if workers <= 1:
        return [_extract_one(p) for p in pages]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_extract_one, pages, chunksize=4))


def evaluate(pages: list[Page], texts: list[str]) -> dict[str, Scores]:
    """Shingle (the benchmark's metric) and token-bag scores of extracted texts."""
    return {
        "shingle4": score(tp_fp_fn(p.gold, t, 4) for p, t in zip(pages, texts, strict=True)),
        "tokens": score(tp_fp_fn(p.gold, t, 1) for p, t in zip(pages, texts, strict=True)),
    }
