"""`compare` and `quotes` on the compare_dev events, scored in-process by the shared scorer's own rules.

Each event's articles are given to `compare_story` and `group_quotes` as ONE story (story grouping
has its own gate), dated like the scorer's `--same-day` run or with their real dates. The scoring
functions are imported from ../shared/tools/score_compare.py so the figures are the scorer's.

    .venv/bin/python tests/news/compare/compare_dev.py [--half build|check] [--real-dates] [-v]

Halves: events at even positions of the gold file are the build half, odd positions the check half.
Shared by the quality gate (tests/news/compare/test_compare_quality.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

if __name__ == "__main__":  # run as a script: make `bot` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from bot.news.compare import compare_story
from bot.news.ingest import add_quotes
from bot.news.ingest._dropfolder import record_to_article
from bot.news.models import StoredArticle, Story
from bot.news.outlets import outlet_label
from bot.news.quotes import QuoteSource, group_quotes
from tests.paths import SHARED

SCORER = SHARED / "tools" / "score_compare.py"
GOLD = SHARED / "data" / "compare_dev" / "gold.json"
DATA = SHARED / "data" / "ecbplus_dev" / "articles.jsonl"
KINDS = ("shared", "unique", "disc", "alarms", "quotes")


def scorer() -> ModuleType:
    """The shared scorer as a module (its rules, not a copy of them)."""
    spec = importlib.util.spec_from_file_location("score_compare", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _articles(ev: dict[str, Any], recs: dict[str, Any], same_day: bool) -> list[StoredArticle]:
    first = min(a["date"] for a in ev["articles"])
    out = []
    for n, a in enumerate(ev["articles"], start=1):
        r = recs[a["id"]]
        record = {"id": a["id"], "title": r.get("title"), "text": r["text"], "source": a["host"]}
        record |= {"date": first if same_day else a["date"], "url": r.get("url")}
        incoming = record_to_article(record, "dev.jsonl", fallback_ref=a["id"])
        add_quotes(incoming.article)
        stored = StoredArticle(
            **incoming.article.model_dump(),
            id=n,
            ref=incoming.ref,
            content_hash=str(n),
            ingested_at=datetime(2000, 1, 1, tzinfo=UTC),
        )
        out.append(stored)
    return out


def run_event(ev: dict[str, Any], recs: dict[str, Any], same_day: bool) -> tuple[dict[str, Any], list[Any]]:
    """compare --json and quotes --json as the CLI would print them, for the event as one story."""
    arts = _articles(ev, recs, same_day)
    now = datetime(2000, 1, 1, tzinfo=UTC)
    story = Story(id=1, headline=arts[0].title or "", first_seen=now, last_updated=now)
    cmp_ = compare_story(story, arts).model_dump(mode="json")
    sources = [QuoteSource(a.ref, outlet_label(a), a.text, a.quotes, a.published) for a in arts]
    quotes = [g.model_dump(mode="json") for g in group_quotes(sources)]
    return cmp_, quotes


def half(events: Sequence[dict[str, Any]], which: str | None) -> list[dict[str, Any]]:
    """All events, or the build half (even positions) or the check half (odd positions)."""
    if which is None:
        return list(events)
    start = {"build": 0, "check": 1}[which]
    return list(events)[start::2]


def evaluate(
    which: str | None = None, *, same_day: bool = True, verbose: bool = False, out: Any = None
) -> dict[str, tuple[int, int]]:
    """Totals (hits, items) per kind over the chosen events; prints a line per event when `out` is given."""
    sc = scorer()
    gold, recs = sc.load(GOLD, DATA)
    tot = {k: (0, 0) for k in KINDS}
    for ev in half(gold["events"], which):
        cmp_, quotes = run_event(ev, recs, same_day)
        info = {"error": None, "in_story": len(ev["articles"]), "n": len(ev["articles"]), "stories": 1}
        res = sc.score_event(ev, cmp_, quotes, info)
        tot = {k: (tot[k][0] + res[k][0], tot[k][1] + res[k][1]) for k in KINDS}
        if out is not None:
            out(
                f"{ev['event']} {ev['label']}: shared {res['shared'][0]}/{res['shared'][1]}, unique "
                f"{res['unique'][0]}/{res['unique'][1]}, disc {res['disc'][0]}/{res['disc'][1]}, false alarms "
                f"{res['alarms'][0]}/{res['alarms'][1]}, quotes {res['quotes'][0]}/{res['quotes'][1]}"
            )
            if verbose:
                for m in res["miss"]:
                    out(f"    missed {m}")
    return tot


def _main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--half", choices=["build", "check"])
    ap.add_argument("--real-dates", action="store_true")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    tot = evaluate(a.half, same_day=not a.real_dates, verbose=a.v, out=print)
    frac = {k: (h / n if n else 1.0) for k, (h, n) in tot.items()}
    print(
        f"{a.half or 'all'}: shared {frac['shared']:.2f}, unique {frac['unique']:.2f}, discrepancies "
        f"{tot['disc'][0]}/{tot['disc'][1]}, false alarms {tot['alarms'][0]}, quote groups "
        f"{tot['quotes'][0]}/{tot['quotes'][1]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(_main())
