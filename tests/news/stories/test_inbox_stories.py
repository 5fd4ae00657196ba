"""The sample inbox (our own invented articles) forms the stories it was written to form."""

from __future__ import annotations

from pathlib import Path

from bot.news.desk import NewsDesk
from tests.paths import INBOX

# Ground truth written with the inbox: file (or JSONL record id) -> story label.
TRUTH = {
    "harbor-ledger_ferry-strike.txt": "ferry",
    "calloway-daily-press_ferry-strike.html": "ferry",
    "bay9-news_ferry-strike.txt": "ferry",
    "tri-county-courier_ferry-strike.txt": "ferry",
    "nsw-20261112-0417": "ferry",
    "ashgrove-sentinel_warehouse-fire.txt": "fire",
    "valley-beacon_warehouse-fire.html": "fire",
    "tri-county-courier_warehouse-fire.txt": "fire",
    "nsw-20261106-0093": "fire",
    "bay9-news_water-restrictions.txt": "water",
    "nsw-20261120-0021": "water",
    "cdp-2026-11-20-water-restrictions": "water",  # the .json record's id
    "riverbend-report_water-restrictions.md": "water",
    "valley-beacon_library-maps.txt": "maps",
    "harbor-ledger_oyster-reef-study.html": "oyster",
    "harbor-ledger_kessler-bridge-closure.txt": "kessler",
    "ashgrove-sentinel_old-mill-bridge-closure.txt": "oldmill",
}


def _label(ref: str) -> str:
    return TRUTH[Path(ref).name] if Path(ref).name in TRUTH else TRUTH[ref]


async def test_inbox_forms_its_stories(desk: NewsDesk) -> None:
    report = await desk.ingest_paths([str(INBOX)])
    assert len(report.new) == len(TRUTH) and not report.rejected
    stories = await desk.stories()
    groups = {frozenset(_label(a.ref) for a in s.articles) for s in stories}
    # Every story is pure (no false merge), and every true story is one story.
    assert all(len(g) == 1 for g in groups), groups
    assert len(stories) == len(set(TRUTH.values()))
    by_label = {_label(s.articles[0].ref): s for s in stories}
    assert len(by_label["ferry"].outlets) == 5
    assert len(by_label["fire"].outlets) == 4
    assert len(by_label["water"].outlets) == 4
    assert "Northshore Wire" in by_label["ferry"].outlets
    digest = await desk.digest(hours=1)
    assert [i.story_id for i in digest.items[:1]] == [by_label["ferry"].id]
    assert all(len(i.summary) == 2 for i in digest.items if i.outlet_count > 1)
