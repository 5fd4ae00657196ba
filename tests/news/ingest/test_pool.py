"""Ingest with worker processes: the same stories as one process, no article lost, no orphan left."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import psutil

from bot.news.desk import NewsDesk
from bot.news.ingest._ingestor import without_nul
from bot.news.ingest._pool import FileReader, default_workers
from bot.news.ingest._worker import read_with_quotes
from bot.news.settings import ClusteringSettings, IngestSettings
from bot.news.stories import FeatureMaker
from tests.clock import FakeClock
from tests.paths import DATA, REPO, SEEDS


def _inbox(tmp_path: Path) -> Path:
    """A real dev set as a drop folder: NewsWCL50 in JSONL batches, plus the seed pages as text."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lines = (DATA / "newswcl50_stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    for i in range(0, len(lines), 10):
        (inbox / f"batch-{i // 10}.jsonl").write_text("\n".join(lines[i : i + 10]) + "\n", encoding="utf-8")
    for page in sorted(SEEDS.glob("*.txt")):
        shutil.copy(page, inbox / page.name)
    return inbox


async def _ingest(
    inbox: Path, db: Path, workers: int, clock: FakeClock
) -> tuple[NewsDesk, list[tuple[object, ...]]]:
    desk = await NewsDesk.open(
        f"sqlite+aiosqlite:///{db}", ingest=IngestSettings(workers=workers), clock=clock
    )
    try:
        report = await desk.ingest_paths([str(inbox)])
        assert not report.rejected, [r.describe() for r in report.rejected]
    finally:
        await desk.close()
    return desk, _rows(db)


def _rows(db: Path) -> list[tuple[object, ...]]:
    """Every stored article as the writer left it: identity, story, text and quotes."""
    with sqlite3.connect(db) as conn:
        return list(
            conn.execute(
                "SELECT id, ref, story_id, title, published, content_hash, text, quotes, story_time "
                "FROM articles ORDER BY id"
            )
        )


async def test_pooled_ingest_gives_the_same_stories_as_one_process(tmp_path: Path, clock: FakeClock) -> None:
    inbox = _inbox(tmp_path)
    pooled_desk, pooled = await _ingest(inbox, tmp_path / "pooled.sqlite3", 2, clock)
    _, single = await _ingest(inbox, tmp_path / "single.sqlite3", 0, clock)
    assert len(single) == 50 + len(list(SEEDS.glob("*.txt")))
    assert pooled == single  # same articles, same story ids, in the same order
    assert len({row[2] for row in single}) > 5  # several stories, so the order had a chance to matter
    assert sum(row[7] != "[]" for row in single) > 10  # quotes were extracted, and compared
    assert pooled_desk.ingestor.reader._failures == 0  # the pool really read them
    assert pooled_desk.ingestor.reader._pool is None  # closed with the desk


async def test_the_event_loop_keeps_answering_during_a_pooled_ingest(
    tmp_path: Path, clock: FakeClock
) -> None:
    inbox = _inbox(tmp_path)
    desk = await NewsDesk.open(
        f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}", ingest=IngestSettings(workers=2), clock=clock
    )
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        started = time.monotonic()
        report = await desk.ingest_paths([str(inbox)])
        seconds = time.monotonic() - started
    finally:
        task.cancel()
        await desk.close()
    assert len(report.new) == 55
    # Progress, not timing: the loop ran the ticker all along (a blocked loop would tick ~once).
    assert ticks >= max(3, int(seconds / 0.05 / 10)), (ticks, seconds)


async def test_a_dead_worker_loses_no_article(tmp_path: Path, clock: FakeClock) -> None:
    inbox = _inbox(tmp_path)
    _, single = await _ingest(inbox, tmp_path / "single.sqlite3", 0, clock)
    db = tmp_path / "pooled.sqlite3"
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{db}", ingest=IngestSettings(workers=1), clock=clock)
    try:
        reader = desk.ingestor.reader
        pool = reader._executor()
        assert pool is not None
        await asyncio.get_running_loop().run_in_executor(pool, os.getpid)  # the worker is up
        for pid in pool.pids:
            os.kill(pid, signal.SIGKILL)
        report = await desk.ingest_paths([str(inbox)])
        assert reader._failures == 1  # the death was noticed, and its files read in-process
    finally:
        await desk.close()
    assert not report.rejected
    assert _rows(db) == single


def test_workers_exit_when_the_ingesting_process_is_killed(tmp_path: Path) -> None:
    script = (
        "import asyncio, os, signal, sys\n"
        "from bot.news.ingest._pool import FileReader\n"
        "async def main():\n"
        "    reader = FileReader(2, 1000)\n"
        "    pool = reader._executor()\n"
        "    await asyncio.gather(*(asyncio.get_running_loop().run_in_executor(pool, os.getpid) for _ in range(4)))\n"
        "    print(' '.join(str(p) for p in pool.pids), flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    workers = [int(p) for p in done.stdout.split()]
    assert len(workers) == 2
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers), "a worker outlived the process that started it"


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_workers_setting_is_checked() -> None:
    assert IngestSettings().workers is None  # unset: sized from the cores (default_workers)
    assert IngestSettings.model_validate({"workers": 0}).workers == 0
    for bad in (-1, "two"):
        try:
            IngestSettings.model_validate({"workers": bad})
        except ValueError:
            continue
        raise AssertionError(f"workers={bad!r} accepted")
    assert json.dumps(IngestSettings(workers=3).model_dump())  # plain data, writable back


def test_the_reader_carries_each_articles_clustering_features(tmp_path: Path) -> None:
    """What a worker hands back: quotes and the clustering features of the article as read, which
    are dropped as soon as the text is changed (NULs taken out) rather than stored for other text."""
    inbox = _inbox(tmp_path)
    batch = inbox / "batch-0.jsonl"
    settings = ClusteringSettings()
    result = read_with_quotes(str(batch), batch, 10_000_000, settings)
    assert len(result.items) == 10
    maker = FeatureMaker(settings)
    for item in result.items:
        assert item.features == maker.features(item.article.title, item.article.text).to_json()
    assert all(i.features is None for i in read_with_quotes(str(batch), batch, 10_000_000).items)
    item = result.items[0]
    item.article.text += "\x00"
    assert without_nul(item).features is None


async def test_a_worker_imports_only_what_reading_needs(tmp_path: Path) -> None:
    """A worker reads, cleans, extracts quotes and features, and nothing else is imported in it: not
    the store (SQLAlchemy), the desk, feeds, Discord or asyncio (~45 MB a worker), nor trafilatura
    for records that hold no web page (~11 MB)."""
    reader = FileReader(1, 10_000_000, ClusteringSettings())
    try:
        inbox = _inbox(tmp_path)
        pending = reader.start(str(inbox / "batch-0.jsonl"), inbox / "batch-0.jsonl")
        result = await pending.result()
        assert len(result.items) == 10 and all(i.features for i in result.items)
        pool = reader._executor()
        assert pool is not None and reader._failures == 0
        # `eval`, a builtin: a function of this module would import the test (and the desk) there.
        loaded = await asyncio.get_running_loop().run_in_executor(
            pool, eval, "sorted(__import__('sys').modules)"
        )
    finally:
        await reader.close()
    assert "bot.news.quotes._extract" in loaded and "bot.news.stories._features" in loaded
    for heavy in (
        "sqlalchemy",
        "bot.news.store",
        "bot.news.desk",
        "bot.news.feeds",
        "aiohttp",
        "discord",
        "asyncio",
        "trafilatura",
    ):
        assert heavy not in loaded, heavy


def test_the_default_pool_is_sized_from_the_cores_and_started_for_big_runs(tmp_path: Path) -> None:
    """Unset, the pool has two workers from two cores on and none on one; it is started for a run
    of 1 MB of files or more, or whenever a size was set (as before)."""
    cores = len(os.sched_getaffinity(0))
    assert default_workers() == (2 if cores >= 2 else 0)
    small = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    for path in small:
        path.write_text("x" * 10_000, encoding="utf-8")
    big = [*small, tmp_path / "c.jsonl"]
    big[2].write_text("x" * 1_000_000, encoding="utf-8")
    auto = FileReader(None, 10_000_000)
    assert auto.workers == default_workers()
    assert auto.worth_a_pool(big) == (cores >= 2)
    assert not auto.worth_a_pool(small)  # a few pages: no processes kept for them
    assert not auto.worth_a_pool(big[2:])  # one file: nothing to read beside it
    assert FileReader(2, 10_000_000).worth_a_pool(small)  # a size was set: used for any run
    assert not FileReader(0, 10_000_000).worth_a_pool(big)


def test_workers_stay_lean_under_the_console_script(tmp_path: Path) -> None:
    """A spawned worker first runs the parent's main script again: for `storydesk` (the console
    script pyproject.toml declares, written here as pip writes it) that must not load the engine."""
    target = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module, func = target["storydesk"].split(":")
    script = tmp_path / "storydesk"
    script.write_text(
        f"import sys\nfrom {module} import {func}\n"
        "if __name__ == '__main__':\n"
        "    import asyncio\n"
        "    from bot.news.ingest._pool import FileReader\n"
        "    async def main():\n"
        "        reader = FileReader(1, 1000)\n"
        "        loop = asyncio.get_running_loop()\n"
        "        mods = await loop.run_in_executor(reader._executor(), eval, 'sorted(__import__(\"sys\").modules)')\n"
        "        print(' '.join(mods))\n"
        "        await reader.close()\n"
        "    asyncio.run(main())\n",
        encoding="utf-8",
    )
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": path},  # a script's folder, not the repo, heads sys.path
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.split()
    assert "bot.news.ingest._worker" in loaded
    assert "sqlalchemy" not in loaded and "bot.cli" not in loaded and "bot.news.desk" not in loaded


async def test_the_workers_stop_once_every_file_is_read_and_start_again_for_more(tmp_path: Path) -> None:
    """Idle workers are not kept (at the end of a run the ingesting process holds the most): they
    exit about a second after the last file is read, and the next file starts new ones, which read
    it as the first ones did."""
    inbox = _inbox(tmp_path)
    files = sorted(inbox.glob("batch-*.jsonl"))[:3]
    reader = FileReader(2, 10_000_000, ClusteringSettings())
    try:
        pending = [reader.start(str(f), f) for f in files]
        first = [await p.result() for p in pending]
        assert reader._pool is not None and reader._failures == 0
        pids = reader._pool.pids
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (reader._pool is not None or any(_alive(p) for p in pids)):
            await asyncio.sleep(0.1)
        assert reader._pool is None and not any(_alive(p) for p in pids)
        again = await reader.start(str(files[0]), files[0]).result()
        assert reader._pool is not None and set(reader._pool.pids).isdisjoint(pids)
        new_pids = reader._pool.pids
    finally:
        await reader.close()
    assert again.items == first[0].items
    assert all(len(r.items) == 10 for r in first)
    assert not any(_alive(p) for p in new_pids)
