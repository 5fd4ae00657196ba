"""The batched writer (new articles stored and placed in one transaction per batch) finds exactly
what storing one article at a time finds: the same outcomes, the same stories, the same records."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle, IngestReport, _ingestor
from bot.news.models import ExtractedArticle
from tests.clock import FakeClock
from tests.paths import DATA


def _items() -> list[IncomingArticle]:
    """A real dev set (NewsWCL50, 50 articles of 10 events), with the awkward cases a batch must
    get right spliced in: a ref repeated with new text (an update), a ref repeated unchanged, and
    the same content under a new ref (a duplicate)."""
    lines = (DATA / "newswcl50_stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    items = []
    for line in lines:
        r = json.loads(line)
        article = ExtractedArticle(title=r.get("title"), outlet=r.get("source"), text=r["text"])
        items.append(IncomingArticle(str(r["id"]), article))
    first, second = items[3], items[20]
    changed = first.article.model_copy(update={"text": first.article.text + "\n\nAn added paragraph."})
    items.insert(10, IncomingArticle(first.ref, changed))
    items.insert(25, second)
    items.insert(30, IncomingArticle("copy-of-" + second.ref, second.article))
    return items


async def _store(
    tmp_path: Path, name: str, clock: FakeClock
) -> tuple[IngestReport, list[tuple[object, ...]]]:
    db = tmp_path / f"{name}.sqlite3"
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{db}", clock=clock)
    try:
        report = await desk.ingest_items(_items())
    finally:
        await desk.close()
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT ref, version, story_id, content_hash FROM articles ORDER BY id").fetchall()
        rows += con.execute("SELECT * FROM stories ORDER BY id").fetchall()
    return report, rows


async def test_batches_store_what_one_by_one_stores(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    batched_report, batched = await _store(tmp_path, "batched", clock)
    monkeypatch.setattr(_ingestor, "_BATCH_ARTICLES", 1)
    single_report, single = await _store(tmp_path, "single", clock)
    assert batched_report == single_report
    assert len(batched_report.new) == 50 and len(batched_report.updated) == 1
    assert len(batched_report.duplicate) == 2
    assert batched == single
