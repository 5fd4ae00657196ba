"""The shared clustering dev sets as ClusterDocs, B-cubed scoring, and one clusterer run.

Used by bench/eval_clustering.py, bench/bench_clustering.py and tests/news/test_clustering_quality.py.
The article texts stay in ../shared; nothing here copies them.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.news.settings import ClusteringSettings
from bot.news.stories import ClusterDoc, StoryClusterer

if TYPE_CHECKING:
    from bot.news.desk import NewsDesk

# The cleaner and the service are imported where used: the speed bench measures the clusterer's
# memory, not that of SQLAlchemy and trafilatura.

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SETS = ("basil_stories", "pac_story_pairs", "newswcl50_stories")
# ECB+ dev topics (two similar but different events each), fed two ways: "as is" (the title, host
# and date a record has; half have none) and "stripped" as a held-out check feeds it (opaque ids in
# no meaningful order, the title folded into the text, no date, no source).
ECB = "ecbplus_dev"
ECB_FEEDS = (f"{ECB}:as-is", f"{ECB}:stripped")
ALL_SETS = SETS + ECB_FEEDS
# Halves of a set by topic for split-half checks: tune on one, report the other.
HALVES = ("odd", "even")
# Undated articles are dated by their ingest time: the evaluation "ingests" them at this moment.
INGEST_TIME = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Labelled:
    """One dev-set article: its clustering input and its gold story."""

    doc: ClusterDoc
    gold: str
    dated: bool


def load_set(name: str, shared: Path = SHARED, half: str | None = None) -> list[Labelled]:
    """A dev set in date order (undated articles last, at ingest time and `dated=False`), ids 1..n in that order.

    `name` is a folder of ../shared/data, or one of `ECB_FEEDS`. `half` ("odd"/"even") keeps the
    events (ECB+: topics) whose number has that parity.
    """
    folder, _, feed = name.partition(":")
    rows = [json.loads(line) for line in (shared / "data" / folder / "articles.jsonl").open(encoding="utf-8")]
    if half is not None:
        rows = [r for r in rows if _parity(r) == half]
    if feed == "stripped":
        rows = sorted((_stripped(r) for r in rows), key=lambda r: str(r["id"]))
    elif feed:
        rows = [_as_is(r) for r in rows]
    dated = sorted((r for r in rows if r.get("date")), key=lambda r: str(r["date"]))
    undated = [r for r in rows if not r.get("date")]
    out: list[Labelled] = []
    for i, r in enumerate(dated + undated):
        if r.get("date"):
            when = datetime.fromisoformat(str(r["date"])[:10]).replace(tzinfo=UTC)
        else:
            when = INGEST_TIME + timedelta(minutes=i)
        doc = ClusterDoc(
            article_id=i + 1,
            title=r.get("title"),
            text=r["text"],
            outlet=r.get("source"),
            when=when,
            dated=bool(r.get("date")),
        )
        out.append(Labelled(doc=doc, gold=str(r["cluster_id"]), dated=bool(r.get("date"))))
    return out


def _parity(row: dict[str, object]) -> str:
    """ "odd" or "even": the topic number (ECB+) or the number in the event id."""
    topic = row.get("topic_id")
    if topic is None:
        digits = re.findall(r"\d+", str(row["cluster_id"]))
        topic = (
            int(digits[0]) if digits else int(hashlib.sha1(str(row["cluster_id"]).encode()).hexdigest(), 16)
        )
    return "odd" if int(str(topic)) % 2 else "even"


def _stripped(row: dict[str, object]) -> dict[str, object]:
    """The text alone, as a held-out check feeds it: title folded in, no date, no source, and an
    opaque order (by a hash of the id, so not grouped by topic)."""
    title = row.get("title")
    text = f"{title}\n\n{row['text']}" if title else str(row["text"])
    key = hashlib.sha1(str(row["id"]).encode()).hexdigest()
    return {"id": key, "cluster_id": row["cluster_id"], "text": text}


def _as_is(row: dict[str, object]) -> dict[str, object]:
    """The record with its metadata: the host as outlet, the date when it reads as one."""
    from bot.news.cleaning._dates import parse_date

    raw = row.get("date")
    when = parse_date(_DESPACE.sub(r"\1", str(raw))) if raw else None
    return {
        "id": row["id"],
        "cluster_id": row["cluster_id"],
        "title": row.get("title"),
        "source": row.get("host"),
        "date": when.isoformat() if when else None,
        "text": row["text"],
    }


# ECB+ dates are tokenised ("08 / 02 / 2013 11 : 10 am"): glue the separators back.
_DESPACE = re.compile(r"(?<=\d)\s*([/:\-])\s*(?=\d)")


def seed_docs(shared: Path = SHARED) -> list[ClusterDoc]:
    """The five seed pages as ClusterDocs, cleaned by `bot.news.cleaning._extract.extract_article` (outlet = file name)."""
    from bot.news.cleaning import extract_article

    docs = []
    for i, path in enumerate(sorted((shared / "seeds").glob("*.txt"))):
        page = path.read_text(encoding="utf-8")
        extracted = extract_article(page, "text")
        docs.append(
            ClusterDoc(
                article_id=i + 1,
                title=extracted.title,
                text=extracted.text,
                outlet=path.stem,
                when=datetime(2025, 2, 12, 18, tzinfo=UTC) + timedelta(hours=i),
            )
        )
    return docs


# compare_dev: multi-outlet events annotated for compare (../shared/tools/score_compare.py), whose
# scorer ingests each event alone into a fresh database: every event there meets a young index.
COMPARE_GOLD = ("compare_dev", "gold.json")


@dataclass(frozen=True)
class EventSplit:
    """How one compare_dev event clustered on its own: the largest story's share, and the story count."""

    event: str
    in_story: int
    articles: int
    stories: int


def compare_events(
    same_day: bool, shared: Path = SHARED, half: str | None = None
) -> list[tuple[str, list[ClusterDoc]]]:
    """compare_dev's events as its scorer feeds them: the gold's order, the host as outlet, the title,
    the gold's date (or, `same_day`, the event's first date for every article, so time cannot split it)."""
    gold = json.loads(shared.joinpath("data", *COMPARE_GOLD).read_text(encoding="utf-8"))["events"]
    texts = {}
    for line in (shared / "data" / ECB / "articles.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        texts[row["id"]] = row
    out = []
    for event in gold:
        if half is not None and _parity({"cluster_id": event["event"]}) != half:
            continue
        first = min(a["date"] for a in event["articles"])
        docs = []
        for i, a in enumerate(event["articles"]):
            row = texts[a["id"]]
            day = first if same_day else a["date"]
            docs.append(
                ClusterDoc(
                    article_id=i + 1,
                    title=row.get("title"),
                    text=row["text"],
                    outlet=a["host"],
                    when=datetime.fromisoformat(day[:10]).replace(tzinfo=UTC),
                )
            )
        out.append((str(event["event"]), docs))
    return out


def event_splits(
    events: Sequence[tuple[str, list[ClusterDoc]]], settings: ClusteringSettings | None = None
) -> list[EventSplit]:
    """Cluster each event alone, in a fresh index, and tell how whole it stayed."""
    out = []
    for event, docs in events:
        sizes = Counter(cluster(docs, settings).values())
        out.append(EventSplit(event, max(sizes.values()), len(docs), len(sizes)))
    return out


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold labels (same order)."""
    pairs = Counter(zip(predicted, gold, strict=True))
    pred_sizes = Counter(predicted)
    gold_sizes = Counter(gold)
    n = len(gold)
    precision = sum(c * c / pred_sizes[p] for (p, _), c in pairs.items()) / n
    recall = sum(c * c / gold_sizes[g] for (_, g), c in pairs.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cluster(docs: Iterable[ClusterDoc], settings: ClusteringSettings | None = None) -> dict[int, int]:
    """Assign every doc in the given order; the final story of each article id."""
    clusterer = StoryClusterer(settings or ClusteringSettings())
    ids = []
    for doc in docs:
        clusterer.assign(doc)
        ids.append(doc.article_id)
    return {a: clusterer.story_of(a) for a in ids}


def score_set(
    items: Sequence[Labelled], settings: ClusteringSettings | None = None
) -> tuple[float, float, float]:
    """B-cubed P/R/F1 of one dev set clustered in date order in one index."""
    stories = cluster((it.doc for it in items), settings)
    return bcubed([stories[it.doc.article_id] for it in items], [it.gold for it in items])


def reorder_stability(
    items: Sequence[Labelled], settings: ClusteringSettings | None = None, shuffles: int = 2
) -> dict[str, float]:
    """B-cubed F1 of re-ingesting the set in other orders (reverse, seeded shuffles) against the date-order run."""
    ids = [it.doc.article_id for it in items]
    first = cluster((it.doc for it in items), settings)
    orders = {"reverse": list(reversed(items))}
    for seed in range(1, shuffles + 1):
        shuffled = list(items)
        random.Random(seed).shuffle(shuffled)
        orders[f"shuffle{seed}"] = shuffled
    out = {}
    for name, order in orders.items():
        again = cluster((it.doc for it in order), settings)
        out[name] = bcubed([again[a] for a in ids], [first[a] for a in ids])[2]
    return out


async def cluster_through_desk(desk: NewsDesk, name: str, items: Sequence[Labelled]) -> dict[int, int]:
    """Ingest a set through the service (undated articles get the desk clock); the final story per article id."""
    from bot.news.ingest import IncomingArticle, content_hash
    from bot.news.models import ExtractedArticle

    seen: dict[str, str] = {}
    twin: dict[str, str] = {}  # ref -> ref of an identical article (the store keeps one copy)
    incoming = []
    for it in items:
        ref = f"{name}/{it.doc.article_id}"
        article = ExtractedArticle(
            title=it.doc.title,
            outlet=it.doc.outlet,
            published=it.doc.when if it.dated else None,
            text=it.doc.text,
        )
        twin[ref] = seen.setdefault(content_hash(article), ref)
        incoming.append(IncomingArticle(ref=ref, article=article))
    await desk.ingest_items(incoming)
    story_of_ref = {a.ref: a.story_id for a in await desk.articles()}
    out = {}
    for it in items:
        story = story_of_ref[twin[f"{name}/{it.doc.article_id}"]]
        assert story is not None
        out[it.doc.article_id] = story
    return out
