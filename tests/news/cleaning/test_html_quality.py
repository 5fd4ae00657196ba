"""Quality gate: main-text extraction on the Scrapinghub article-extraction-benchmark pages.

Fails when precision, recall or F1 drop below the floors in tests/baselines/extraction.json.
Raise the floors when the numbers improve; never lower them silently.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from tests.news.cleaning.extraction_benchmark import (
    Scores,
    evaluate,
    extract_all,
    load_pages,
    score,
    tp_fp_fn,
)
from tests.paths import DATA, REPO

BASELINE = REPO / "tests" / "baselines" / "extraction.json"
log = logging.getLogger(__name__)


@pytest.fixture(scope="module")
def measured() -> dict[str, Scores]:
    root = DATA / "scrapinghub_aeb"
    if not (root / "ground-truth.json").is_file():
        pytest.fail(f"benchmark data not found at {root}")
    pages = load_pages(root)
    assert len(pages) == 181
    return evaluate(pages, extract_all(pages, workers=2))


def _baseline() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(BASELINE).read_text(encoding="utf-8"))["scrapinghub_aeb"]
    return data


@pytest.mark.parametrize("metric", ["shingle4", "tokens"])
def test_main_text_quality_stays_above_floor(metric: str, measured: dict[str, Scores]) -> None:
    got = measured[metric]
    floor = _baseline()[metric]
    summary = f"{metric}: P={got.precision:.4f} R={got.recall:.4f} F1={got.f1:.4f}"
    log.warning("article-extraction-benchmark %s", summary)
    assert got.f1 >= floor["f1"], summary
    assert got.precision >= floor["precision"], summary
    assert got.recall >= floor["recall"], summary


def test_floor_is_at_least_trafilatura_alone() -> None:
    baseline = _baseline()
    assert baseline["shingle4"]["f1"] >= baseline["trafilatura_default_f1"]


def test_metric_matches_the_benchmark_definition() -> None:
    text = "one two three four five six"
    assert tp_fp_fn(text, text) == (1.0, 0.0, 0.0)
    assert tp_fp_fn(text, "") == (0.0, 0.0, 1.0)
    tp, fp, fn = tp_fp_fn(text, "one two three four five six seven eight")
    assert (round(tp, 3), round(fp, 3), fn) == (0.6, 0.4, 0.0)  # 3 shared shingles, 2 extra
    perfect = score([(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)])
    assert (perfect.precision, perfect.recall) == (1.0, 0.5)  # pages with no prediction count for recall only
