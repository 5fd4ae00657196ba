"""Cleaning and quote extraction over every shared article set: a canonical dump, and CPU per stage.

    .venv/bin/python bench/extract_identity.py [--dump out.json] [--repeat N] [--sets basil_stories,...]

(STORYDESK_SHARED=/work/shared when run from a checkout outside /work.)

Runs the cleaning (records as the ingest reads them, and the same texts as plain-text pages; the
HTML pages of scrapinghub_aeb; the seeds; the demo inbox) and quote extraction over the result,
and prints the CPU time (time.process_time, not wall clock: the machine is shared) per stage and
per article, by kind of input (`record`: a JSON record as the ingest reads it, the case
bench_ingest measures; `text`: the same text as a plain page; `html`; `file`: seeds and inbox). `--dump` writes every output as canonical JSON (sorted keys, one line per article):
run it on two commits and compare the files byte for byte to show a speed change kept the output.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("STORYDESK_SHARED", REPO.parent / "shared"))  # another checkout: point here
DATA = SHARED / "data"
SEEDS = SHARED / "seeds"
RECORD_SETS = [
    "basil_stories/articles.jsonl",
    "newswcl50_stories/articles.jsonl",
    "pac_story_pairs/articles.jsonl",
    "ecbplus_dev/articles.jsonl",
    "polnear_quotes/train.jsonl",
    "polnear_quotes/dev.jsonl",
]

from bot.news.cleaning import extract_article, finish_record, parse_date  # noqa: E402
from bot.news.ingest import read_file  # noqa: E402
from bot.news.models import ExtractedArticle  # noqa: E402
from bot.news.quotes import extract_quotes  # noqa: E402

Job = tuple[str, Callable[[], ExtractedArticle]]


def _record_jobs(rel: str) -> Iterator[Job]:
    for n, line in enumerate((DATA / rel).read_text(encoding="utf-8").splitlines()):
        r = json.loads(line)
        text, title, url = r["text"], r.get("title"), r.get("url")
        outlet = r.get("source") or r.get("publisher") or r.get("host")
        date = r.get("date")

        def record(
            text: str = text, title: Any = title, url: Any = url, outlet: Any = outlet, date: Any = date
        ) -> ExtractedArticle:
            return finish_record(
                text=text, title=title, outlet=outlet, published=parse_date(date), url=url, byline=None
            )

        yield f"{rel}#{n}:record", record
        yield f"{rel}#{n}:text", lambda text=text: extract_article(text, "text")


def _html_jobs() -> Iterator[Job]:
    folder = DATA / "scrapinghub_aeb"
    for line in (folder / "records.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        html = gzip.decompress((folder / r["html_path"]).read_bytes()).decode("utf-8", "replace")
        yield f"aeb/{r['id']}:html", lambda html=html, url=r["url"]: extract_article(html, "html", url=url)


def _file_jobs() -> Iterator[Job]:
    """The seeds and the demo inbox, read as the drop folder reads them (one job per article)."""
    for path in sorted(SEEDS.glob("*.txt")) + sorted((REPO / "inbox").rglob("*.*")):
        result = read_file(path.name, path, 10_000_000)
        for n in range(len(result.items)):
            yield (
                f"{path.name}#{n}:file",
                lambda p=path, n=n: read_file(p.name, p, 10_000_000).items[n].article,
            )


def jobs(sets: list[str] | None) -> list[Job]:
    out: list[Job] = []
    for rel in RECORD_SETS:
        if not sets or rel.split("/")[0] in sets:
            out.extend(_record_jobs(rel))
    if not sets or "scrapinghub_aeb" in sets:
        out.extend(_html_jobs())
    if not sets or "files" in sets:
        out.extend(_file_jobs())
    return out


def run(all_jobs: list[Job], repeat: int) -> tuple[list[str], dict[str, list[float]]]:
    """The dump lines, and per kind of input: [articles, cleaning CPU s, quotes CPU s] (one pass)."""
    lines: list[str] = []
    cost: dict[str, list[float]] = {}
    for _ in range(repeat):
        lines = []
        for key, job in all_jobs:
            t0 = time.process_time()
            article = job()
            t1 = time.process_time()
            quotes = extract_quotes(article.text)
            t2 = time.process_time()
            row = cost.setdefault(key.rsplit(":", 1)[1], [0.0, 0.0, 0.0])
            row[0] += 1 / repeat
            row[1] += (t1 - t0) / repeat
            row[2] += (t2 - t1) / repeat
            article.quotes = quotes
            lines.append(json.dumps({"key": key, **article.model_dump(mode="json")}, sort_keys=True))
    return lines, cost


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--sets", help="comma-separated set folders (and 'files' for seeds + inbox)")
    args = ap.parse_args()
    all_jobs = jobs(args.sets.split(",") if args.sets else None)
    lines, cost = run(all_jobs, args.repeat)
    text = "\n".join(lines) + "\n"
    if args.dump:
        args.dump.write_text(text, encoding="utf-8")
    print(f"{len(all_jobs)} extractions, dump sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}")
    print("input    articles   cleaning ms/article   quotes ms/article   (CPU)")
    for kind, (n, clean, quotes) in sorted(cost.items()):
        print(f"{kind:8s} {round(n):8d}   {1000 * clean / n:19.2f}   {1000 * quotes / n:17.2f}")
    n = sum(row[0] for row in cost.values())
    clean, quotes = (sum(row[i] for row in cost.values()) for i in (1, 2))
    print(f"{'all':8s} {round(n):8d}   {1000 * clean / n:19.2f}   {1000 * quotes / n:17.2f}")


if __name__ == "__main__":
    main()
