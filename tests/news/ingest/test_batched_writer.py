"""The batched writer (new articles stored and placed in one transaction per batch) finds exactly
what storing one article at a time finds: the same outcomes, the same stories, the same records."""

from __future__ import annotations

import asyncio
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


async def test_a_batch_cancelled_after_clustering_leaves_the_stories_a_fresh_process_finds(
    tmp_path: Path, clock: FakeClock
) -> None:
    """A stop can cancel an ingest while its batch is clustered but not yet committed: the
    clusterer then holds placements the database lost. The next ingest must still place articles
    as a process that never saw that batch would (the same stories, ids and records)."""
    items = [i for i in _items() if not i.ref.startswith("copy-of-")][:40]
    _, fresh = await _run_in(tmp_path / "fresh.sqlite3", clock, [items[:20], items[20:]])
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{tmp_path / 'cancelled.sqlite3'}", clock=clock)
    try:
        await desk.ingest_items(items[:20])
        stored = (await desk.status()).articles
        place_many = desk.keeper.place_many

        async def cancelled_after_clustering(*args: object, **kwargs: object) -> list[int]:
            await place_many(*args, **kwargs)  # type: ignore[arg-type]
            raise asyncio.CancelledError  # a stop arriving before the batch commits

        desk.keeper.place_many = cancelled_after_clustering  # type: ignore[method-assign]
        with pytest.raises(asyncio.CancelledError):
            await desk.ingest_items(items[20:30])
        desk.keeper.place_many = place_many  # type: ignore[method-assign]
        assert (await desk.status()).articles == stored  # the batch was rolled back
        await desk.ingest_items(items[20:])
    finally:
        await desk.close()
    assert _rows(tmp_path / "cancelled.sqlite3") == fresh


async def _run_in(
    db: Path, clock: FakeClock, runs: list[list[IncomingArticle]]
) -> tuple[NewsDesk, list[tuple[object, ...]]]:
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{db}", clock=clock)
    try:
        for run in runs:
            await desk.ingest_items(run)
    finally:
        await desk.close()
    return desk, _rows(db)


def _rows(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT ref, story_id FROM articles ORDER BY ref").fetchall()
        rows += con.execute("SELECT * FROM stories ORDER BY id").fetchall()
    return rows
