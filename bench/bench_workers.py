"""Feed workers on PostgreSQL: N articles over M local feeds, polled by 1, 2 and 3 `storydesk work`
processes; articles/s for each and B-cubed of their stories against the one-worker run.

    STORYDESK_TEST_PG=postgresql://... .venv/bin/python bench/bench_workers.py \\
        [--articles 100000] [--feeds 2000] [--workers 1,2,3] [--sample 2000]

Each run gets a fresh database with the M feeds and starts the workers together with
`--until-idle`; the time is from their start to the last one's exit (process start-up included).
The feeds are served from this process on 127.0.0.1 (RSS with the whole text in each item, so no
page fetches); the articles are the shared labelled sets replicated with shifted dates and an
edition line (as bench_ingest.py builds them), their texts read from ../shared at run time.

The ceiling: clustering is one ordered writer (the writer lock) however many workers run, so
the writer's ms per article bounds the whole. It is measured in this process on the first
`--sample` articles (store and cluster; quotes and clustering features already computed, as a
worker hands them over),
and printed with what it means in articles per day. Each run also prints, per worker, its index
syncs by kind (count x mean wall ms: "place" took in others' plain placements, "regroup" also
their regroupings, "rebuild" the whole index; "early ..." the same before waiting for the writer
lock, which leaves only what was placed meanwhile to the sync under it), the catch-ups' wall
seconds by part (reading the log, reading the rows it names, `restate` applying regroupings,
`extend` applying placements), and how long it waited for and held the writer lock; the lock
held per article in all is the run's own serial part (its ceiling, measured).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from aiohttp import web  # noqa: E402
from bench_ingest import bcubed, source_records  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bot.config import to_database_url  # noqa: E402

Record = dict[str, object]


def replicated(n: int) -> list[Record]:
    """`n` distinct articles: the shared sets again and again, each copy dated 30 days later."""
    base = source_records()
    out: list[Record] = []
    for i in range(n):
        r = dict(base[i % len(base)])
        copy = i // len(base)
        try:
            d = datetime.fromisoformat(str(r["date"])) if r["date"] else None
        except ValueError:
            d = None
        if d is not None and d.tzinfo is None:
            d = d.replace(tzinfo=UTC)
        r["when"] = d + timedelta(days=30 * copy) if d else None
        if copy:
            r["text"] = f"{r['text']}\n\n(Edition {copy}.)"
        out.append(r)
    return out


def rss(records: list[Record], base: str, title: str) -> bytes:
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="{_CONTENT}">']
    parts.append(f"<channel><title>{escape(title)}</title><link>{base}</link><description>b</description>")
    for n, r in enumerate(records):
        text = "".join(f"<p>{escape(p)}</p>" for p in str(r["text"]).split("\n") if p.strip())
        parts.append(f"<item><title>{escape(str(r.get('title') or ''))}</title>")
        parts.append(f"<link>{base}/a/{n}</link><guid>{base}/a/{n}</guid>")
        when = r.get("when")
        if isinstance(when, datetime):
            parts.append(f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate>")
        parts.append(f"<content:encoded><![CDATA[{text.replace(']]>', ']]&gt;')}]]></content:encoded></item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


_CONTENT = "http://purl.org/rss/1.0/modules/content/"


async def serve(bodies: dict[str, bytes]) -> tuple[web.AppRunner, int]:
    async def handle(request: web.Request) -> web.Response:
        body = bodies.get(request.path)
        if body is None:
            return web.Response(status=404)
        return web.Response(body=body, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, port


async def fresh_database(admin_url: str) -> tuple[str, str]:
    import asyncpg  # type: ignore[import-untyped]

    name = f"bench_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(admin_url)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return name, to_database_url(admin_url.rsplit("/", 1)[0] + "/" + name)


async def drop_database(admin_url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def add_feeds(url: str, feed_urls: list[str]) -> None:
    from bot.news.desk import NewsDesk

    desk = await NewsDesk.open(url)
    try:
        for n, feed_url in enumerate(feed_urls):
            await desk.store.feeds.add(
                {
                    "url": feed_url,
                    "name": f"Outlet {n}",
                    "guild_id": None,
                    "origin": "cli",
                    "interval": 86400.0,
                }
                | {"created_at": desk.clock(), "failures": 0, "failing": False, "alerted": False}
            )
    finally:
        await desk.close()


async def stories_of(url: str) -> dict[str, int]:
    from bot.news.desk import NewsDesk
    from bot.news.store._schema import articles

    desk = await NewsDesk.open(url)
    try:
        async with desk.store.engine.connect() as conn:
            rows = (await conn.execute(select(articles.c.ref, articles.c.story_id))).all()
        return {str(r[0]): int(r[1]) for r in rows if r[1] is not None}
    finally:
        await desk.close()


def write_config(folder: Path, batch: int) -> Path:
    path = folder / "config.toml"
    path.write_text(
        "[network]\nallow_private_addresses = true\ntimeout_seconds = 120\nper_host_concurrency = 4\n"
        "max_response_bytes = 100000000\n"
        "[feed]\nfull_text_min_chars = 0\npoll_concurrency = 4\nmax_entries_per_poll = 10000\n"
        f"[workers]\nbatch_size = {batch}\nidle_seconds = 1\nlease_seconds = 600\n",
        encoding="utf-8",
    )
    return path


async def run_workers(n: int, folder: Path, config: Path, db: str) -> tuple[float, float, list[int]]:
    """(wall seconds, CPU seconds of the workers, exit codes)."""
    env = {k: v for k, v in os.environ.items() if k not in ("STORYDESK_DB", "DISCORD_TOKEN")}
    env["PYTHONPATH"] = str(REPO)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    procs = []
    for k in range(n):
        log = (folder / f"w{n}-{k}.log").open("wb")
        argv = ["-m", "bot", "--config", str(config), "--db", db, "work", "--until-idle", "--id", f"w{k}"]
        procs.append(
            await asyncio.create_subprocess_exec(
                sys.executable, *argv, cwd=folder, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=log
            )
        )
    codes = [await p.wait() for p in procs]
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, codes


def index_upkeep(folder: Path, n: int) -> str:
    """What each worker said of its story index on stopping: rebuilds (each costs every stored
    article) and catch-ups from the change log, e.g. "1/38 1/37" (rebuilds/catch-ups per worker)."""
    found = []
    for k in range(n):
        text = (folder / f"w{n}-{k}.log").read_text(encoding="utf-8", errors="replace")
        m = re.search(r"story index: (\d+) rebuild\(s\), (\d+) catch-up\(s\)", text)
        found.append(f"{m.group(1)}/{m.group(2)}" if m else "?")
    return " ".join(found)


def lock_held(folder: Path, n: int) -> float:
    """Seconds the workers held the writer lock in all: the serial part of the run."""
    total = 0.0
    for k in range(n):
        text = (folder / f"w{n}-{k}.log").read_text(encoding="utf-8", errors="replace")
        m = re.search(r"writer lock waited [\d.]+ s, held ([\d.]+) s", text)
        total += float(m.group(1)) if m else 0.0
    return total


def sync_detail(folder: Path, n: int) -> list[str]:
    """Each worker's syncs by kind (count x mean wall ms: others' plain placements, regroupings,
    rebuilds) and its writer-lock wait and hold, as it said on stopping."""
    out = []
    for k in range(n):
        text = (folder / f"w{n}-{k}.log").read_text(encoding="utf-8", errors="replace")
        m = re.search(r"catch-up\(s\) \((syncs: .*?)\)\.", text)
        out.append(f"    w{k}: {m.group(1) if m else '?'}")
    return out


def prepared_items(records: list[Record], prefix: str, start: int = 0) -> list[Any]:
    """The articles as a worker hands them to the writer: extracted, quotes and clustering
    features already computed (a worker does these before the writer lock: feeds/_poller.py)."""
    from bot.news.ingest import IncomingArticle, add_quotes
    from bot.news.models import ExtractedArticle
    from bot.news.settings import ClusteringSettings
    from bot.news.stories import FeatureMaker

    maker = FeatureMaker(ClusteringSettings())
    items = []
    for n, r in enumerate(records):
        article = ExtractedArticle(
            title=str(r.get("title") or "") or None,
            outlet=str(r.get("source") or "") or None,
            published=r["when"] if isinstance(r.get("when"), datetime) else None,
            text=str(r["text"]),
        )
        add_quotes(article)
        features = maker.features(article.title, article.text).to_json()
        items.append(IncomingArticle(f"{prefix}-{start + n}", article, features=features))
    return items


async def writer_ceiling(admin_url: str, records: list[Record]) -> tuple[float, float, float, float]:
    """(writer ms/article, of which clustering, index rebuild ms per stored article, catch-up ms per
    batch) for these articles in one process on PostgreSQL."""
    from bot.news.desk import NewsDesk
    from bot.news.stories import StoryKeeper

    items = prepared_items(records, "ceiling")
    name, url = await fresh_database(admin_url)
    desk = await NewsDesk.open(url)
    try:
        spent = {"place": 0.0}
        place = desk.keeper.place_many  # type: ignore[attr-defined]  # `place` goes through it too

        async def timed(*args: object, **kwargs: object) -> object:
            c0 = time.process_time()
            try:
                return await place(*args, **kwargs)
            finally:
                spent["place"] += time.process_time() - c0

        desk.keeper.place_many = timed  # type: ignore[attr-defined]
        tail = min(100, len(items) // 4)  # placed by "another worker" after the other keeper built
        c0 = time.process_time()
        for start in range(0, len(items) - tail, 50):  # feed-sized batches, as a worker stores them
            await desk.ingestor.store_items(items[start : min(start + 50, len(items) - tail)], feed_id=None)
        writer = time.process_time() - c0
        # A second worker's keeper: its first sync rebuilds the whole index from every stored
        # article (before the change log, every sync after another worker's batch did this).
        other = StoryKeeper(desk.store, desk.keeper.settings)  # type: ignore[attr-defined]
        c0 = time.process_time()
        await other.sync()
        rebuild = time.process_time() - c0
        stored = len(items) - tail
        # Then the first worker stores batches of 10 and the second catches up after each.
        catch_up = 0.0
        for start in range(len(items) - tail, len(items), 10):
            await desk.ingestor.store_items(items[start : start + 10], feed_id=None)
            c0 = time.process_time()
            await other.sync()
            catch_up += time.process_time() - c0
        batches = -(-tail // 10)
        print(
            f"  (second keeper: {other.catch_ups} catch-ups, {other.rebuilds - 1} rebuilds "
            f"after its first over {batches} batches)"
        )
    finally:
        await desk.close()
        await drop_database(admin_url, name)
    n = len(items) - tail
    return 1000 * writer / n, 1000 * spent["place"] / n, 1000 * rebuild / stored, 1000 * catch_up / batches


async def main_async(args: argparse.Namespace) -> None:
    admin = args.pg or os.environ.get("STORYDESK_TEST_PG", "")
    if not admin:
        sys.exit("bench_workers: give --pg URL or set STORYDESK_TEST_PG (bash .ci/postgres.sh start DIR)")
    records = replicated(args.articles)
    per_feed = -(-args.articles // args.feeds)
    groups = [records[i * per_feed : (i + 1) * per_feed] for i in range(args.feeds)]
    bodies: dict[str, bytes] = {}
    runner, port = await serve(bodies)
    for n, group in enumerate(groups):
        bodies[f"/feed{n}.xml"] = rss(group, f"http://127.0.0.1:{port}/site{n}", f"Outlet {n}")
    feed_urls = [f"http://127.0.0.1:{port}/feed{n}.xml" for n in range(args.feeds)]
    print(f"{args.articles} articles over {args.feeds} feeds ({per_feed} per feed), PostgreSQL, "
          f"{os.cpu_count()} cores")  # fmt: skip
    reference: dict[str, int] | None = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = write_config(Path(tmp), args.batch)
            for n in [int(x) for x in args.workers.split(",") if x.strip()]:
                name, db = await fresh_database(admin)
                try:
                    await add_feeds(db, feed_urls)
                    wall, cpu, codes = await run_workers(n, Path(tmp), config, db)
                    stories = await stories_of(db)
                finally:
                    await drop_database(admin, name)
                line = (
                    f"{n} worker(s): {len(stories)} articles in {wall:.1f} s = {len(stories) / wall:.1f} "
                    f"articles/s (workers' CPU {1000 * cpu / max(1, len(stories)):.1f} ms/article, "
                    f"index rebuilds/catch-ups per worker {index_upkeep(Path(tmp), n)}), exits {codes}, "
                    f"load average {os.getloadavg()[0]:.1f}"
                )
                if reference is None:
                    reference = stories
                    line += "; the reference (one process)"
                else:
                    p, r, f = bcubed(stories, reference)
                    line += f"; B-cubed against one worker: P {p:.3f} R {r:.3f} F1 {f:.3f}"
                print(line, flush=True)
                held = 1000 * lock_held(Path(tmp), n) / max(1, len(stories))
                print("\n".join(sync_detail(Path(tmp), n)), flush=True)
                print(
                    f"    writer lock held {held:.1f} ms (wall) per article in all: the serial part's ceiling "
                    f"{1000 / max(held, 1e-9):.0f} articles/s = {86.4 / max(held, 1e-9):.1f} million a day",
                    flush=True,
                )
    finally:
        await runner.cleanup()
    sample = records[: args.sample]
    if len(sample) < 40:  # too few to measure the writer on (--sample 0: skip it)
        return
    writer, place, rebuild, catch_up = await writer_ceiling(admin, sample)
    print(
        f"Ceiling (one writer, {len(sample)} articles in this process): {writer:.1f} ms CPU per article "
        f"under the writer lock, of which clustering {place:.1f} ms: at most {1000 / writer:.0f} articles/s "
        f"= {86400 * 1000 / writer / 1e6:.2f} million articles a day, however many workers poll"
    )
    print(
        f"Sync after another worker's batch of 10: catch-up from the change log {catch_up:.1f} ms CPU per "
        f"batch; a full rebuild (at start, or after a redate or a placement into an evicted story) {rebuild:.2f} ms CPU per "
        f"stored article (at 100k stored: {rebuild * 100:.0f} s)"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--feeds", type=int, default=2000)
    p.add_argument(
        "--workers",
        default="1,2,3",
        help='worker counts to run, the first is the reference ("": only the ceiling)',
    )
    p.add_argument("--batch", type=int, default=10, help="[workers] batch_size")
    p.add_argument("--sample", type=int, default=2000, help="articles for the writer's ceiling")
    p.add_argument("--pg", help="PostgreSQL admin URL (default: STORYDESK_TEST_PG)")
    asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    main()
