"""`said NAME` over 10,000 articles: how long one answer takes (the goal: under 300 ms).

    .venv/bin/python bench/bench_said.py [--articles 10000] [--runs 5]

The corpus: every PolNeAR article (train and dev, 924 political articles, 7 outlets, full of
quoted politicians), quotes extracted once, then stored as copies (each copy another outlet and a
day later; three copies to a story) until there are `--articles` rows. The speaker index is built
by the v4 migration's own backfill. Each query is the whole `NewsDesk.said` call (index lookup,
reading the articles, matching each story's quotes across outlets), timed cold and then best,
median and worst of the next runs; autocomplete (`known_speakers`) is timed too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.news import NewsDesk
from bot.news.quotes import extract_quotes
from bot.news.store._schema import articles, stories
from bot.news.store._speaker_index import backfill_speakers

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
COPIES_PER_STORY = 3
SAID_PAGE_LIMIT = 50  # what /said asks for (its pages)


def _records() -> list[dict[str, Any]]:
    out = []
    for name in ("train.jsonl", "dev.jsonl"):
        lines = (DATA / "polnear_quotes" / name).read_text(encoding="utf-8").splitlines()
        out += [json.loads(line) for line in lines if line.strip()]
    return out


def _date(raw: str | None) -> datetime:
    try:
        return datetime.fromisoformat(raw or "").replace(tzinfo=UTC)
    except ValueError:
        return datetime(2016, 1, 1, tzinfo=UTC)


def _rows(
    base: list[tuple[dict[str, Any], str]], total: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Article and story rows: copy c of article i is outlet c, a day later, in story (i, c // 3)."""
    arts: list[dict[str, Any]] = []
    story_rows: dict[int, dict[str, Any]] = {}
    copy = 0
    while len(arts) < total:
        for i, (r, quotes) in enumerate(base):
            if len(arts) >= total:
                break
            when = _date(r.get("date")) + timedelta(days=copy)
            sid = i * 1000 + copy // COPIES_PER_STORY + 1
            story_rows.setdefault(
                sid,
                {"id": sid, "headline": r["title"] or r["id"], "first_seen": when, "last_updated": when,
                 "merged_into": None, "article_count": 0, "outlet_count": 0},
            )  # fmt: skip
            story_rows[sid]["article_count"] += 1
            story_rows[sid]["outlet_count"] += 1
            arts.append(
                {"ref": f"{r['id']}#{copy}", "version": 1, "content_hash": f"{i}.{copy}", "title": r["title"],
                 "outlet": f"{r['publisher']} {copy}", "byline": "[]", "published": when, "url": None,
                 "language": "en", "text": r["text"], "quotes": quotes, "ingested_at": when,
                 "updated_at": when, "story_id": sid, "guild_id": None}
            )  # fmt: skip
        copy += 1
    return arts, list(story_rows.values())


async def build(path: Path, total: int) -> None:
    records = _records()
    start = time.perf_counter()
    base = [(r, json.dumps([q.model_dump() for q in extract_quotes(r["text"])])) for r in records]
    print(f"quotes extracted from {len(records)} PolNeAR articles in {time.perf_counter() - start:.1f}s")
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{path}")
    try:
        arts, story_rows = _rows(base, total)
        start = time.perf_counter()
        async with desk.store.transaction() as conn:
            await conn.execute(insert(stories), story_rows)
            for at in range(0, len(arts), 1000):
                await conn.execute(insert(articles), arts[at : at + 1000])
            await conn.run_sync(backfill_speakers)
        print(f"stored {len(arts)} articles in {len(story_rows)} stories, speakers indexed, "
              f"in {time.perf_counter() - start:.1f}s")  # fmt: skip
    finally:
        await desk.close()


async def _timed(fn: Any, runs: int) -> tuple[float, list[float], Any]:
    start = time.perf_counter()
    result = await fn()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        warm.append(time.perf_counter() - start)
    return cold, warm, result


async def measure(path: Path, runs: int) -> None:
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{path}")
    try:
        names = Counter(n for n in await desk.known_speakers("", limit=400))
        top = await desk.store.speakers.names("", guild_id=None, limit=400)
        ranked = [n for n, _ in top if len(n.split()) >= 2]
        queries = [
            ranked[0],
            ranked[1],
            ranked[len(ranked) // 2],
            ranked[-1],
            "Clinton",
            "Obamma",
            "Ivanka Trump",
            "Nobody Atall",
        ]
        print(f"\n{len(names)} speakers listed for autocomplete; queries: most, 2nd, median, least quoted, "
              "a surname, a typo, another person of a frequent surname, nobody")  # fmt: skip
        print(
            f"{'query':<28}{'statements':>11}{'stories':>9}{'cold ms':>9}{'best':>7}{'median':>8}{'worst':>7}"
        )
        worst_all = 0.0
        for q in queries:
            cold, warm, report = await _timed(lambda q=q: desk.said(q), runs)
            worst_all = max(worst_all, cold, *warm)
            print(f"{q[:27]:<28}{len(report.statements):>11}{report.stories:>9}{cold * 1e3:>9.0f}"
                  f"{min(warm) * 1e3:>7.0f}{statistics.median(warm) * 1e3:>8.0f}{max(warm) * 1e3:>7.0f}")  # fmt: skip
        cold, warm, report = await _timed(lambda: desk.said(ranked[0], limit=SAID_PAGE_LIMIT), runs)
        worst_all = max(worst_all, cold, *warm)
        print(f"{'(/said: ' + str(SAID_PAGE_LIMIT) + ' statements)':<28}{len(report.statements):>11}"
              f"{report.stories:>9}{cold * 1e3:>9.0f}{min(warm) * 1e3:>7.0f}"
              f"{statistics.median(warm) * 1e3:>8.0f}{max(warm) * 1e3:>7.0f}")  # fmt: skip
        for typed in ("", "cl", "hillary cl"):
            cold, warm, found = await _timed(lambda t=typed: desk.known_speakers(t), runs)
            worst_all = max(worst_all, cold, *warm)
            print(f"autocomplete {typed!r:<15}{len(found):>11}{'':>9}{cold * 1e3:>9.0f}"
                  f"{min(warm) * 1e3:>7.0f}{statistics.median(warm) * 1e3:>8.0f}{max(warm) * 1e3:>7.0f}")  # fmt: skip
        print(f"\nslowest answer of all: {worst_all * 1e3:.0f} ms (goal < 300 ms)")
    finally:
        await desk.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--articles", type=int, default=10_000)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "said.sqlite3"
        asyncio.run(build(path, args.articles))
        asyncio.run(measure(path, args.runs))


if __name__ == "__main__":
    main()
