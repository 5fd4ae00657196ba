"""Drop-folder ingestion through the real service and a real SQLite file."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from bot.news.desk import NewsDesk
from tests.clock import FakeClock
from tests.paths import INBOX

BODY = (
    "The Millbrook council voted on Tuesday to reopen the old river ferry after a two-year closure.\n\n"
    'Council chair Dana Okafor said the service would resume in March. "We owe the east bank a crossing," '
    "she said.\n\nThe ferry will run every 40 minutes on weekdays, according to the transport office."
)


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


async def test_sample_inbox_ingests_then_is_all_duplicate(desk: NewsDesk, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(INBOX, inbox)
    first = await desk.ingest_paths([str(inbox)])
    assert not first.rejected, [r.describe() for r in first.rejected]
    assert len(first.new) >= 12
    stored = await desk.articles()
    assert len(stored) == len(first.new)
    assert all(a.ref.startswith(str(inbox)) or "/" not in a.ref for a in stored)
    assert all(a.text.strip() and a.content_hash for a in stored)
    again = await desk.ingest_paths([str(inbox)])
    assert again.new == [] and again.updated == []
    assert sorted(again.duplicate) == sorted(first.new)
    assert len(await desk.articles()) == len(stored)


async def test_changed_file_is_a_new_version(desk: NewsDesk, tmp_path: Path, clock: FakeClock) -> None:
    f = _write(tmp_path, "ferry.txt", "Millbrook to reopen river ferry\n\n" + BODY)
    r1 = await desk.ingest_paths([str(f)])
    assert r1.new == [str(f)]
    clock.advance(hours=1)
    f.write_text("Millbrook to reopen river ferry in March\n\n" + BODY + "\n\nTickets will cost $2.")
    r2 = await desk.ingest_paths([str(f)])
    assert r2.updated == [str(f)] and r2.new == []
    arts = await desk.articles()
    assert len(arts) == 1 and arts[0].version == 2 and "Tickets will cost" in arts[0].text


async def test_same_content_under_another_name_is_a_duplicate(desk: NewsDesk, tmp_path: Path) -> None:
    a = _write(tmp_path, "a.txt", "Ferry returns\n\n" + BODY)
    b = _write(tmp_path, "sub/b.txt", "Ferry returns\n\n" + BODY)
    report = await desk.ingest_paths([str(a), str(b)])
    assert report.new == [str(a)] and report.duplicate == [str(b)]


async def test_json_and_jsonl_records(desk: NewsDesk, tmp_path: Path) -> None:
    lines = [
        {
            "id": "r1",
            "title": "Ferry to return",
            "text": BODY,
            "source": "Millbrook Post",
            "date": "2026-11-18T09:00:00Z",
            "url": "https://news.example/r1",
            "extra": [1, 2],
        },
        "{not json",
        {
            "id": "r2",
            "title": None,
            "text": BODY.replace("Tuesday", "Wednesday"),
            "outlet": "River FM",
            "published": "the day after tomorrow",
        },
        {"id": "r3", "title": "No text here"},
    ]
    jl = _write(tmp_path, "batch.jsonl", "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines))
    report = await desk.ingest_paths([str(jl)])
    assert sorted(report.new) == ["r1", "r2"]
    assert (report.rejected[0].line, "malformed JSON" in report.rejected[0].reason) == (2, True)
    assert report.rejected[1].line == 4 and "text" in report.rejected[1].reason
    by_ref = {a.ref: a for a in await desk.articles()}
    assert by_ref["r1"].outlet == "Millbrook Post" and by_ref["r1"].published is not None
    assert by_ref["r1"].published.isoformat().startswith("2026-11-18T09:00")
    assert by_ref["r2"].published is None and by_ref["r2"].outlet == "River FM"
    # The same id again with new text: a new version, not a second article.
    one = _write(tmp_path, "one.json", json.dumps({"id": "r1", "text": BODY + "\n\nMore to follow."}))
    report = await desk.ingest_paths([str(one)])
    assert report.updated == ["r1"]
    assert len(await desk.articles()) == 2


async def test_bad_files_are_set_aside_and_the_rest_goes_on(
    db_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    from bot.news.settings import IngestSettings

    drop = tmp_path / "drop"
    good = _write(drop, "good.txt", "Ferry returns\n\n" + BODY)
    bad = {
        "binary.txt": b"\x00\x01\x02\x03" * 100,
        "empty.md": "   \n\n",
        "big.txt": "x " * 600,
        "latin1.txt": "Caf\xe9 society".encode("latin-1") + b" and more words here",
        "broken.json": '{"id": "x", "text": ',
        "notes.docx": "whatever",
    }
    for name, content in bad.items():
        _write(drop, f"in/{name}", content)
    desk = await NewsDesk.open(db_url, clock=clock, ingest=IngestSettings(max_file_bytes=1000))
    try:
        report = await desk.ingest_paths([str(drop)], drop_folder=drop)
        assert report.new == [str(good)]
        reasons = {Path(r.path).name: r.reason for r in report.rejected}
        assert set(reasons) == set(bad)
        assert "binary" in reasons["binary.txt"]
        assert "empty" in reasons["empty.md"]
        assert "too large" in reasons["big.txt"]
        assert "UTF-8" in reasons["latin1.txt"]
        assert "malformed JSON" in reasons["broken.json"]
        assert "unsupported" in reasons["notes.docx"]
        for name in bad:
            moved = drop / ".rejected" / "in" / name
            assert moved.exists(), name
            assert (drop / ".rejected" / "in" / f"{name}.reason").read_text().strip() == reasons[name]
            assert not (drop / "in" / name).exists()
        status = await desk.status()
        assert status.articles == 1 and len(status.recent_rejections) == 5
        # The rejected area is not read again.
        again = await desk.ingest_paths([str(drop)], drop_folder=drop)
        assert again.rejected == [] and again.duplicate == [str(good)]
    finally:
        await desk.close()


async def test_files_outside_the_drop_folder_stay_put(desk: NewsDesk, tmp_path: Path) -> None:
    f = _write(tmp_path, "elsewhere/empty.txt", "")
    report = await desk.ingest_paths([str(f)], drop_folder=tmp_path / "drop")
    assert len(report.rejected) == 1 and f.exists()


async def test_watcher_skips_unchanged_files(desk: NewsDesk, tmp_path: Path) -> None:
    f = _write(tmp_path, "drop/a.txt", "Ferry returns\n\n" + BODY)
    await desk.ingest_paths([str(tmp_path / "drop")], skip_seen=True)
    again = await desk.ingest_paths([str(tmp_path / "drop")], skip_seen=True)
    assert again.skipped_unchanged == 1 and again.duplicate == []
    os.utime(f, ns=(1, 1))
    third = await desk.ingest_paths([str(tmp_path / "drop")], skip_seen=True)
    assert third.duplicate == [str(f)]


@pytest.mark.parametrize("name", ["x.html", "x.md", "x.txt"])
async def test_each_page_format_gives_an_article(desk: NewsDesk, tmp_path: Path, name: str) -> None:
    content = {
        "x.html": "<html><head><title>Ferry returns | Millbrook Post</title></head><body><nav>Home News</nav>"
        f"<article><h1>Ferry returns</h1>{''.join(f'<p>{p}</p>' for p in BODY.split(chr(10) * 2))}</article>"
        "<footer>© Millbrook Post</footer></body></html>",
        "x.md": "# Ferry returns\n\n" + BODY,
        "x.txt": "Ferry returns\n\n" + BODY,
    }[name]
    f = _write(tmp_path, name, content)
    report = await desk.ingest_paths([str(f)])
    assert report.new == [str(f)]
    (art,) = await desk.articles()
    assert "reopen the old river ferry" in art.text
    assert art.title and "Ferry returns" in art.title
    assert any(q.speaker and "Okafor" in q.speaker for q in art.quotes)
