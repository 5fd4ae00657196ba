"""Clustering speed and memory on a synthetic 50,000-article stream.

The stream replicates the three clustering dev sets (../shared/data) with shifted dates and lightly
perturbed text: each replica lays the sets' events on a timeline at a steady rate (about 30 events,
~85 articles a day), keeping each event's own spread of dates, so the clustering window always holds
a realistic few hundred articles. Articles are written to a temporary JSON Lines file and streamed
back in date order, as an ingest would see them.

Prints, at 1k, 10k and 50k stored articles: the time per article of `assign` (over the preceding
500 articles) and the peak RSS; then the time to just read and tokenize the same file, and the ratio.

    .venv/bin/python bench/bench_clustering.py [--articles 50000] [--events-per-day 30] [--retain-days 30]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.clustering_sets import SETS, SHARED
from bot.news.settings import ClusteringSettings
from bot.news.stories import ClusterDoc, StoryClusterer
from bot.news.stories._terms import TextAnalyser

CHECKPOINTS = (1_000, 10_000, 50_000)
SPAN = 500  # articles timed before each checkpoint
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_NUMBER = re.compile(r"\b\d+\b")
_PLAIN = re.compile(r"\w+")


def _events(shared: Path) -> list[list[dict[str, object]]]:
    """Every dev-set event as its articles, with `offset_h` = hours after the event's first article."""
    events: list[list[dict[str, object]]] = []
    for name in SETS:
        rows = [
            json.loads(line) for line in (shared / "data" / name / "articles.jsonl").open(encoding="utf-8")
        ]
        by_event: dict[str, list[dict[str, object]]] = {}
        for row in rows:
            by_event.setdefault(str(row["cluster_id"]), []).append(row)
        for members in by_event.values():
            dates = [datetime.fromisoformat(str(r["date"])[:10]) for r in members if r.get("date")]
            first = min(dates) if dates else None
            for i, r in enumerate(members):
                if r.get("date") and first is not None:
                    r["offset_h"] = (
                        datetime.fromisoformat(str(r["date"])[:10]) - first
                    ).total_seconds() / 3600
                else:
                    r["offset_h"] = i * 0.25
            events.append(members)
    return events


def _perturb(text: str, rnd: random.Random) -> str:
    """Drop about one sentence in twenty and nudge a few numbers: near, not exact, copies."""
    sentences = [s for s in _SENTENCE_END.split(text) if rnd.random() > 0.05]
    out = " ".join(sentences) or text
    return _NUMBER.sub(lambda m: str(int(m.group()) + 1) if rnd.random() < 0.1 else m.group(), out)


def build_stream(path: Path, total: int, events_per_day: float, seed: int = 7) -> None:
    """Write `total` articles, in date order, to `path` as JSON Lines."""
    events = _events(SHARED)
    rnd = random.Random(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    slots: list[tuple[float, int, int, int]] = []  # (hours, replica, event, member)
    replica = 0
    step = 24.0 / events_per_day
    clock = 0.0
    while len(slots) < total:
        order = list(range(len(events)))
        rnd.shuffle(order)
        for e in order:
            clock += step
            for m, row in enumerate(events[e]):
                slots.append((clock + float(row["offset_h"]) + rnd.random(), replica, e, m))  # type: ignore[arg-type]
        replica += 1
    slots = sorted(slots)[:total]
    with path.open("w", encoding="utf-8") as out:
        for n, (hours, rep, e, m) in enumerate(slots, start=1):
            row = events[e][m]
            text = str(row["text"]) if rep == 0 else _perturb(str(row["text"]), random.Random(n))
            record = {
                "id": n,
                "title": row.get("title"),
                "outlet": row.get("source"),
                "when": (start + timedelta(hours=hours)).isoformat(),
                "text": text,
            }
            out.write(json.dumps(record) + "\n")


def _read(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def run(
    path: Path, settings: ClusteringSettings, retain_days: float = 0.0
) -> tuple[list[tuple[int, float, float]], float]:
    """Cluster the stream; (checkpoint, ms per article, peak RSS MB) rows and the total seconds.

    `retain_days`: every 500 articles, evict the stories idle that long, as the bot does by arrival
    (the stream arrives in date order, so an article's date stands for its arrival).
    """
    clusterer = StoryClusterer(settings)
    rows: list[tuple[int, float, float]] = []
    began = time.process_time()
    span_start = began
    for n, rec in enumerate(_read(path), start=1):
        if n + SPAN - 1 in CHECKPOINTS:
            span_start = time.process_time()
        doc = ClusterDoc(
            article_id=int(rec["id"]),  # type: ignore[call-overload]
            title=rec["title"],  # type: ignore[arg-type]
            text=str(rec["text"]),
            outlet=rec["outlet"],  # type: ignore[arg-type]
            when=datetime.fromisoformat(str(rec["when"])),
        )
        clusterer.assign(doc)
        if retain_days and n % SPAN == 0:
            clusterer.evict_before(doc.when - timedelta(days=retain_days))
        if n in CHECKPOINTS:
            per = (time.process_time() - span_start) / SPAN * 1000
            rows.append((n, per, _peak_rss_mb()))
    return rows, time.process_time() - began


def read_and_tokenize(path: Path, settings: ClusteringSettings) -> tuple[float, float]:
    """Seconds to read the stream and (a) run the clusterer's tokenizer, (b) split words with a regex."""
    analyser = TextAnalyser(settings.max_chars, settings.shingle_words, settings.shingle_sampling)
    began = time.process_time()
    for rec in _read(path):
        analyser.analyse(rec["title"], str(rec["text"]))  # type: ignore[arg-type]
    ours = time.process_time() - began
    began = time.process_time()
    for rec in _read(path):
        _PLAIN.findall(str(rec["text"]).lower())
    plain = time.process_time() - began
    return ours, plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--events-per-day", type=float, default=30.0)
    parser.add_argument(
        "--retain-days",
        type=float,
        default=0.0,
        help="evict stories idle this long, as the bot does (0: never)",
    )
    args = parser.parse_args()
    settings = ClusteringSettings()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stream.jsonl"
        t0 = time.process_time()
        build_stream(path, args.articles, args.events_per_day)
        print(
            f"built {args.articles} articles in {time.process_time() - t0:.1f}s ({path.stat().st_size >> 20} MB)"
        )
        print(f"peak RSS before clustering: {_peak_rss_mb():.1f} MB")
        rows, total = run(path, settings, args.retain_days)
        print(f"{'stored':>8} {'ms/article':>11} {'peak RSS MB':>12}")
        for n, per, rss in rows:
            print(f"{n:>8} {per:>11.3f} {rss:>12.1f}")
        if len(rows) >= 2:
            print(f"per-article time at {rows[-1][0]} / at {rows[0][0]}: {rows[-1][1] / rows[0][1]:.2f}x")
        ours, plain = read_and_tokenize(path, settings)
        print(f"clustering total {total:.1f}s ({total / args.articles * 1000:.3f} ms/article)")
        print(f"read+tokenize (clusterer's analyse) {ours:.1f}s -> clustering is {total / ours:.2f}x")
        print(f"read+tokenize (plain regex words)  {plain:.1f}s -> clustering is {total / plain:.2f}x")


if __name__ == "__main__":
    main()
