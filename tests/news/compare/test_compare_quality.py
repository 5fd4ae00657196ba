"""Quality gate: `compare` and `quotes` on the compare_dev events stay above the floors in
tests/baselines/compare.json (scored by ../shared/tools/score_compare.py's own rules, in-process,
each event given as one story so that story grouping, gated elsewhere, stays out of it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.news.compare.compare_dev import KINDS, evaluate
from tests.paths import REPO

BASELINE = json.loads((REPO / "tests" / "baselines" / "compare.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def figures(shared_dir: Path) -> dict[str, dict[str, tuple[int, int]]]:
    return {
        "same_day": evaluate(None, same_day=True),
        "build": evaluate("build", same_day=True),
        "check": evaluate("check", same_day=True),
        "real_dates": evaluate(None, same_day=False),
    }


def _fraction(hits: int, total: int) -> float:
    return hits / total if total else 1.0


@pytest.mark.parametrize("run", ["same_day", "build", "check", "real_dates"])
@pytest.mark.parametrize("kind", ["shared", "unique", "disc", "quotes"])
def test_found_share_stays_above_its_floor(
    figures: dict[str, dict[str, tuple[int, int]]], run: str, kind: str
) -> None:
    value = _fraction(*figures[run][kind])
    floor = BASELINE[run][kind]
    assert value >= floor, f"{run} {kind} {figures[run][kind]} = {value:.3f} fell below its floor {floor}"


@pytest.mark.parametrize("run", ["same_day", "build", "check", "real_dates"])
def test_no_more_false_alarms_than_the_baseline(
    figures: dict[str, dict[str, tuple[int, int]]], run: str
) -> None:
    alarms, agreements = figures[run]["alarms"]
    assert agreements > 0
    assert alarms <= BASELINE[run]["alarms_max"], f"{run}: {alarms} false alarms"


def test_every_event_was_scored(figures: dict[str, dict[str, tuple[int, int]]]) -> None:
    assert set(figures["same_day"]) == set(KINDS)
    build, check = figures["build"], figures["check"]
    assert all(build[k][1] + check[k][1] == figures["same_day"][k][1] for k in KINDS)
    assert figures["same_day"]["disc"][1] >= 20 and figures["same_day"]["quotes"][1] >= 20
