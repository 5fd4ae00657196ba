"""Why each unique fact of compare_dev is missed: the table to read before writing a unique-points rule.

Usage: .venv/bin/python bench/eval_unique_misses.py [--real-dates] [-v]

Each event is given to the engine as one story (as tests/news/compare/compare_dev.py does; story
grouping stays out of it). A gold unique fact is either listed (hit) or missed for one of these
causes, counted per half (build = events at even positions of gold.json, check = odd):
  text          the key phrase is in no sentence that can carry a point (lost in cleaning, too short,
                or split across sentences)
  shared        the sentence holding it is close to another outlet's (or in a shared point) and no
                clause of its own was cut from it, or it has too few words no other outlet uses and
                too few terms no sentence like it elsewhere uses (its words said together elsewhere)
  clause        a clause of its own was cut, but not the one holding the key phrase
  not news      judged a bare reaction or a quotation that lost its speaker
  rank          a candidate, ranked below the cap (the rank is shown with -v)
  too long      listed, but longer than the scorer's 100 words
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.news.compare._novelty import is_thin_quote, speaker_lost  # noqa: E402
from bot.news.compare._own_clauses import MIN_NOVEL, own_clause  # noqa: E402
from bot.news.compare._points import SAME_POINT, StoryPoints, article_sentences  # noqa: E402
from bot.news.compare._shared import shared_points  # noqa: E402
from bot.news.compare._story import _groups  # noqa: E402
from bot.news.compare._unique import candidates, unique_points  # noqa: E402
from tests.news.compare.compare_dev import DATA, GOLD, _articles, scorer  # noqa: E402


def _cause(sc: Any, u: dict[str, Any], points: StoryPoints, n: int, listed: list[Any]) -> str:
    """Why gold unique fact `u` of article `n` is not listed (or "hit")."""

    def holds(text: str) -> bool:
        return bool(sc.has(text, u["key"]) or sc.covers(u["fact"], text))

    chosen = unique_points(points, n, listed)
    if any(holds(s.text) for s in chosen):
        return "hit" if all(sc.short(s.text) for s in chosen if holds(s.text)) else "too long"
    ranked = sorted(candidates(points, n, listed), key=lambda ws: (-ws[0], ws[1].position))
    at = [k for k, (_, c) in enumerate(ranked, start=1) if holds(c.text)]
    where = [i for i, s in enumerate(points.sentences) if s.article == n and holds(s.text)]
    if not where:
        return "text"
    i = where[0]
    s, group = points.sentences[i], points.groups[n]
    novel = [t for t in s.terms if points.term_groups[t] == {group}]
    if {id(c) for c in listed} & {id(s)} or any(sim >= SAME_POINT for _, sim in points.neighbours[i]):
        own = own_clause(s, points.term_groups, group, points.known) if len(novel) >= MIN_NOVEL else None
        if own is None:
            return "shared"
        return f"rank {at[0]}" if at else "clause"
    if is_thin_quote(s.text) or speaker_lost(s.text):
        return "not news"
    return f"rank {at[0]}" if at else "shared"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--real-dates", action="store_true")
    ap.add_argument("-v", action="store_true", help="list each miss with its cause")
    a = ap.parse_args()
    sc = scorer()
    gold, recs = sc.load(GOLD, DATA)
    table = {"build": Counter[str](), "check": Counter[str]()}
    for pos, ev in enumerate(gold["events"]):
        half = "build" if pos % 2 == 0 else "check"
        arts = sorted(
            _articles(ev, recs, not a.real_dates), key=lambda x: (x.published or x.ingested_at, x.id)
        )
        refs = [x.ref for x in arts]
        lines = [article_sentences(x.text, min_words=3) for x in arts]
        points = StoryPoints([[s for s in x if len(s.split()) >= 6] for x in lines], _groups(arts))
        listed = [c.center for c in shared_points(points)]
        for u in ev["unique_facts"]:
            if u.get("uncertain"):
                continue
            cause = _cause(sc, u, points, refs.index(u["id"]), listed)
            table[half]["rank" if cause.startswith("rank") else cause] += 1
            if a.v and cause != "hit":
                print(f"[{half}] {u['id']}: {cause}: {u['fact']}")
    for half, counts in table.items():
        print(
            f"{half} ({sum(counts.values())} facts): "
            + ", ".join(f"{k} {v}" for k, v in counts.most_common())
        )


if __name__ == "__main__":
    main()
