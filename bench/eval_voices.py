"""Independent voices on ECB+ dev: how many reports each event's articles collapse into.

    .venv/bin/python bench/eval_voices.py

No set labels wire copies, so this reports what the rule does, per half of the topics (the share
was chosen reading pairs of the even half): pairs of articles about one event joined as copies,
pairs about the two different events of one topic joined (must stay 0: copying is never a
topical likeness), and articles, outlets and independent reports per event.
"""

from __future__ import annotations

import itertools
import json
import statistics
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.news.models import StoredArticle
from bot.news.stories import independent_reports
from bot.news.stories._voices import copies, own_runs

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ecbplus_dev" / "articles.jsonl"
T0 = datetime(2020, 1, 1, tzinfo=UTC)


def _article(n: int, r: dict[str, Any]) -> StoredArticle:
    return StoredArticle(
        id=n, ref=r["id"], outlet=r.get("host"), url=r.get("url"), text=r["text"], content_hash=r["id"],
        ingested_at=T0,
    )  # fmt: skip


def main() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    for parity, name in ((0, "even topics (rule chosen here)"), (1, "odd topics (held out)")):
        half = [(n, r) for n, r in enumerate(rows) if int(r["topic_id"]) % 2 == parity]
        runs = {n: own_runs(r["text"]) for n, r in half}
        same = other = same_joined = other_joined = 0
        by_topic: dict[int, list[int]] = defaultdict(list)
        for n, r in half:
            by_topic[int(r["topic_id"])].append(n)
        for ids in by_topic.values():
            for a, b in itertools.combinations(ids, 2):
                joined = copies(runs[a], runs[b])
                if rows[a]["cluster_id"] == rows[b]["cluster_id"]:
                    same, same_joined = same + 1, same_joined + joined
                else:
                    other, other_joined = other + 1, other_joined + joined
        events: dict[str, list[StoredArticle]] = defaultdict(list)
        for n, r in half:
            events[r["cluster_id"]].append(_article(n, r))
        counts = [
            (len(a), len({x.outlet or x.ref for x in a}), independent_reports(a).count)
            for a in events.values()
        ]
        fewer = sum(1 for _, o, rep in counts if rep < o)
        print(f"{name}: {len(events)} events, {len(half)} articles")
        print(f"  same-event pairs joined as copies: {same_joined}/{same} ({same_joined / max(1, same):.1%})")
        print(f"  other-event pairs joined (must be 0): {other_joined}/{other}")
        print(f"  per event: articles {statistics.mean(c[0] for c in counts):.1f}, outlets "
              f"{statistics.mean(c[1] for c in counts):.1f}, independent reports "
              f"{statistics.mean(c[2] for c in counts):.1f}; {fewer} events have fewer reports than outlets")  # fmt: skip


if __name__ == "__main__":
    main()
