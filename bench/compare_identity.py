"""`compare` and `quotes` over every shared story set: a canonical dump, and the CPU of compare_story.

    .venv/bin/python bench/compare_identity.py --dump out.jsonl   # the dump (one line per story)
    .venv/bin/python bench/compare_identity.py --time [--runs 7]  # CPU of the 20-article story

(STORYDESK_SHARED=/work/shared when run from a checkout outside /work.)

The dump holds, per story, `compare_story` (as `compare --json` prints it), `group_quotes` (as
`quotes --json` prints it), `summarize_story` and `headline_with_disputes`, for: every compare_dev
event as one story (same-day dates, as `score_compare.py --same-day` runs it, and real dates),
every event of NewsWCL50, BASIL and PAC, bench_quotes.py's 20-article story, and the seeds and the demo inbox
ingested through the desk (every story of two or more articles). Run it on two commits and compare
the files byte for byte: a speed change to `compare` must keep the output.

`--time` prints the CPU time (time.process_time: the machine is shared) of `compare_story` on the
20-article story, min and median of `--runs` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
SHARED = Path(os.environ.get("STORYDESK_SHARED", REPO.parent / "shared"))
DATA = SHARED / "data"

from bot.news.compare import compare_story, headline_with_disputes, summarize_story  # noqa: E402
from bot.news.desk import NewsDesk  # noqa: E402
from bot.news.ingest import add_quotes  # noqa: E402
from bot.news.ingest._dropfolder import record_to_article  # noqa: E402
from bot.news.models import StoredArticle, Story  # noqa: E402
from bot.news.outlets import outlet_label  # noqa: E402
from bot.news.quotes import QuoteSource, group_quotes  # noqa: E402

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # the desk's clock for the seeds and the inbox

Case = tuple[str, Story, list[StoredArticle]]


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _stored(records: Sequence[dict[str, Any]]) -> list[StoredArticle]:
    """Records read as the drop folder reads them, with their quotes, numbered in order."""
    out = []
    for n, record in enumerate(records, start=1):
        incoming = record_to_article(record, "dev.jsonl", fallback_ref=record["id"])
        add_quotes(incoming.article)
        fields = incoming.article.model_dump()
        out.append(StoredArticle(**fields, id=n, ref=incoming.ref, content_hash=str(n), ingested_at=_EPOCH))
    return out


def _story(articles: Sequence[StoredArticle]) -> Story:
    return Story(id=1, headline=articles[0].title or "", first_seen=_EPOCH, last_updated=_EPOCH)


def compare_dev_cases() -> Iterator[Case]:
    """Each compare_dev event as one story, dated as `--same-day` dates it and with real dates."""
    gold = json.loads((DATA / "compare_dev" / "gold.json").read_text(encoding="utf-8"))
    recs = {r["id"]: r for r in _records(DATA / "ecbplus_dev" / "articles.jsonl")}
    for same_day in (True, False):
        for ev in gold["events"]:
            first = min(a["date"] for a in ev["articles"])
            records = []
            for a in ev["articles"]:
                r = recs[a["id"]]
                date = first if same_day else a["date"]
                records.append(
                    {"id": a["id"], "title": r.get("title"), "text": r["text"], "source": a["host"]}
                    | {"date": date, "url": r.get("url")}
                )
            articles = _stored(records)
            yield (
                f"compare_dev {ev['event']} {'same-day' if same_day else 'real dates'}",
                _story(articles),
                articles,
            )


def clustered_cases(name: str) -> Iterator[Case]:
    """Each event of a clustering set (`cluster_id`) as one story, its articles in file order."""
    rows = _records(DATA / name / "articles.jsonl")
    for event in sorted({r["cluster_id"] for r in rows}):
        records = [
            {"id": r["id"], "title": r.get("title"), "text": r["text"], "source": r["source"]}
            | {"date": r.get("date"), "url": r.get("url")}
            for r in rows
            if r["cluster_id"] == event
        ]
        articles = _stored(records)
        yield f"{name} {event}", _story(articles), articles


def bench_case() -> Case:
    """bench_quotes.py's 20-article story (the speed figure of issue 12)."""
    import bench_quotes

    articles = bench_quotes._story_articles()
    story = Story(
        id=1, headline="bench", first_seen=articles[0].ingested_at, last_updated=articles[0].ingested_at
    )
    return "bench_quotes 20 articles", story, articles


async def _desk_cases(paths: Sequence[Path], label: str) -> list[Case]:
    """The stories of two or more articles after ingesting `paths` into a fresh database."""
    with tempfile.TemporaryDirectory(prefix="compare-identity-") as tmp:
        desk = await NewsDesk.open(f"sqlite+aiosqlite:///{tmp}/desk.sqlite3", clock=lambda: _NOW)
        here = Path.cwd()
        try:
            # Paths relative to the checkout, as `storydesk ingest inbox` is run: the refs are
            # then the same in any two checkouts.
            os.chdir(REPO)
            await desk.ingest_paths([os.path.relpath(p, REPO) for p in paths])
            out = []
            for story in sorted(await desk.stories(), key=lambda s: s.id):
                articles = await desk.story_articles(story.id)
                if len(articles) >= 2:
                    out.append((f"{label} story {story.id}", story, articles))
            return out
        finally:
            os.chdir(here)
            await desk.close()


def desk_cases() -> list[Case]:
    """The seeds, and the demo inbox, each ingested as `storydesk ingest` would."""
    seeds = asyncio.run(_desk_cases([SHARED / "seeds"], "seeds"))
    return seeds + asyncio.run(_desk_cases([REPO / "inbox"], "inbox"))


def dump_case(name: str, story: Story, articles: Sequence[StoredArticle]) -> str:
    """One story's outputs as one line of canonical JSON."""
    sources = [QuoteSource(a.ref, outlet_label(a), a.text, a.quotes, a.published) for a in articles]
    out = {
        "case": name,
        "compare": compare_story(story, articles).model_dump(mode="json"),
        "quotes": [g.model_dump(mode="json") for g in group_quotes(sources)],
        "summary": summarize_story(articles, 3),
        "headline": headline_with_disputes(story.headline, articles),
    }
    return json.dumps(out, sort_keys=True, ensure_ascii=False)


def write_dump(path: Path) -> None:
    sets = ("newswcl50_stories", "basil_stories", "pac_story_pairs")
    cases = [
        *compare_dev_cases(),
        *(c for name in sets for c in clustered_cases(name)),
        bench_case(),
        *desk_cases(),
    ]
    cpu = time.process_time()
    with path.open("w", encoding="utf-8") as fh:
        for case in cases:
            fh.write(dump_case(*case) + "\n")
    cpu = time.process_time() - cpu
    print(f"{len(cases)} stories dumped to {path} ({cpu:.1f} s CPU for the outputs)")


def time_compare(runs: int) -> None:
    _, story, articles = bench_case()
    spent = []
    for _ in range(runs):
        start = time.process_time()
        compare_story(story, articles)
        spent.append(time.process_time() - start)
    print(
        f"compare_story, {len(articles)} articles: CPU min {min(spent) * 1000:.0f} ms, "
        f"median {statistics.median(spent) * 1000:.0f} ms over {runs} runs"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--dump", type=Path, help="write the canonical dump here")
    ap.add_argument("--time", action="store_true", help="CPU of compare_story on the 20-article story")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    import bot

    print(f"bot from {Path(bot.__file__).parent}", file=sys.stderr)
    if args.dump:
        write_dump(args.dump)
    if args.time:
        time_compare(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
