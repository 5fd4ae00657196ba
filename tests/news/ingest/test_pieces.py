"""The writer takes a file's articles as workers hand them on, not once the file is read whole."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import psutil
import pytest

from bot.news.ingest import _dropfolder
from bot.news.ingest._dropfolder import read_file
from bot.news.ingest._pool import _PIECE, FileReader
from bot.news.ingest._worker import read_with_quotes
from bot.news.settings import ClusteringSettings
from tests.paths import DATA


def _big_file(tmp_path: Path, copies: int = 3) -> Path:
    """NewsWCL50's articles, `copies` times over with ids of their own, as one JSON Lines file."""
    lines = (DATA / "newswcl50_stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for n, line in enumerate(lines):
                record = json.loads(line)
                record["id"] = f"copy{copy}-{n}"
                out.write(json.dumps(record) + "\n")
    return path


async def test_a_files_articles_come_in_pieces_while_it_is_read(tmp_path: Path) -> None:
    path = _big_file(tmp_path)
    expected = read_with_quotes(str(path), path, 50_000_000, ClusteringSettings())
    reader = FileReader(1, 50_000_000, ClusteringSettings())
    try:
        pending = reader.start(str(path), path)
        pieces, still_reading = [], []
        async for piece in pending.pieces():
            still_reading.append(not pending.task.done())
            pieces.append(piece)
    finally:
        await reader.close()
    assert len(pieces) > 1 and still_reading[0], "the first articles wait for the whole file"
    assert all(len(p) >= _PIECE for p, reading in zip(pieces, still_reading, strict=True) if reading)
    got = [item for piece in pieces for item in piece]
    assert [(i.ref, i.article.text, i.features) for i in got] == [
        (i.ref, i.article.text, i.features) for i in expected.items
    ]
    assert pending.file is not None and not pending.file.rejections and not pending.file.items


async def test_a_worker_dying_partway_through_a_file_loses_and_repeats_no_article(tmp_path: Path) -> None:
    """What the worker handed on before its death is kept; the file's rest is read in-process."""
    path = _big_file(tmp_path)
    expected = [i.ref for i in read_file(str(path), path, 50_000_000).items]
    reader = FileReader(1, 50_000_000, ClusteringSettings())
    try:
        pending = reader.start(str(path), path)
        got: list[str] = []
        async for piece in pending.pieces():
            if not got:
                pool = reader._executor()
                assert pool is not None and not pending.task.done()
                for pid in pool.pids:
                    os.kill(pid, signal.SIGKILL)
            got += [item.ref for item in piece]
        assert reader._failures == 1  # the death was noticed, and the rest read in-process
    finally:
        await reader.close()
    assert got == expected


def test_a_record_that_trips_the_parser_costs_only_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in reading one record (no real record trips one: it is injected) rejects that line; the
    articles around it stay, as the writer may have stored those before it already."""
    path = _big_file(tmp_path, copies=1)
    plain = _dropfolder.record_to_article

    def tripping(record: dict[str, object], *args: object, **kwargs: object) -> object:
        if record.get("id") == "copy0-3":
            raise KeyError("a parser bug")
        return plain(record, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_dropfolder, "record_to_article", tripping)
    result = read_file(str(path), path, 50_000_000)
    assert [(r.line, r.reason) for r in result.rejections] == [(4, "could not be parsed (KeyError)")]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(result.items) == len(lines) - 1


async def test_the_workers_yield_the_cpu_to_the_ingesting_process(tmp_path: Path) -> None:
    """The writer (and the bot's event loop) come first when the workers and it want more CPU
    than there are cores."""
    path = _big_file(tmp_path, copies=1)
    reader = FileReader(2, 50_000_000, ClusteringSettings())
    try:
        await reader.start(str(path), path).result()
        pool = reader._executor()
        assert pool is not None
        niceness = [psutil.Process(pid).nice() for pid in pool.pids]
    finally:
        await reader.close()
    assert len(niceness) == 2 and all(n > os.nice(0) for n in niceness), niceness
