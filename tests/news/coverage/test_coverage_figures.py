"""The picture reads a story's developing figures alone (`developing_figures`, `story_coverage`):
the same figures as the full comparison's, on hand-made tolls and on every ecbplus_dev event."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.news.compare import compare_story, developing_figures
from bot.news.coverage import build_coverage, story_coverage
from bot.news.ingest._dropfolder import record_to_article
from bot.news.models import NumberComparison, StoredArticle, Story, StoryArticle
from tests.paths import DATA

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def stored(n: int, outlet: str, text: str, published: datetime | None) -> StoredArticle:
    return StoredArticle(
        id=n,
        ref=f"r{n}",
        outlet=outlet,
        title=f"{outlet}: report",
        text=text,
        content_hash=str(n),
        ingested_at=T0 + timedelta(days=30),
        published=published,
    )


def story_of(arts: list[StoredArticle]) -> Story:
    listed = [StoryArticle(ref=a.ref, outlet=a.outlet, published=a.published) for a in arts]
    return Story(id=7, headline="A report", first_seen=T0, last_updated=T0, articles=listed)


def full(arts: list[StoredArticle]) -> list[NumberComparison]:
    return [d for d in compare_story(story_of(arts), arts).discrepancies if d.developing]


def test_rising_tolls_are_read_as_the_full_comparison_reads_them() -> None:
    texts = [
        (
            "Wire",
            "A gas blast at the Dunmore chemical plant killed three people and injured 12, police said.",
        ),
        (
            "Courier",
            "The Dunmore plant explosion has killed eight people, officials said. About 40 were hurt.",
        ),
        ("Herald", "Fifteen people were killed and 40 injured in the blast at the Dunmore chemical plant."),
        ("Post", "The Dunmore plant, built in 1961, employs 300 workers and exported $2 million last year."),
    ]
    arts = [stored(n, o, t, T0 + timedelta(hours=3 * n)) for n, (o, t) in enumerate(texts, start=1)]
    figures = developing_figures(arts)
    assert {f.counts for f in figures} == {"killed", "injured"}
    assert [f.model_dump() for f in figures] == [d.model_dump() for d in full(arts)]
    cov = story_coverage(story_of(arts), arts)
    assert cov == build_coverage(story_of(arts), compare_story(story_of(arts), arts))
    assert cov.figures[0].counts == "killed"
    # Told the other way round in time, the tolls fell: a dispute, not a development.
    backwards = [a.model_copy(update={"published": T0 - timedelta(hours=3 * a.id)}) for a in arts]
    assert developing_figures(backwards) == full(backwards) == []


def test_a_story_of_one_moment_reads_no_figures() -> None:
    arts = [
        stored(1, "Wire", "The blast killed three people, police said.", T0),
        stored(2, "Courier", "The blast killed eight people, officials said.", T0),
    ]
    assert story_coverage(story_of(arts), arts).figures == ()


def _events() -> list[list[dict[str, Any]]]:
    by_event: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with (DATA / "ecbplus_dev" / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if (record.get("text") or "").strip():
                by_event[record["cluster_id"]].append(record)
    return [recs for _, recs in sorted(by_event.items()) if len(recs) >= 2]


def _articles(records: list[dict[str, Any]], hours: int) -> list[StoredArticle]:
    """An event's articles; `hours` != 0 spaces them that many hours apart (rising or falling in
    time with their order), so that tolls told differently may develop."""
    out = []
    for n, r in enumerate(records, start=1):
        record = {k: r.get(k) for k in ("id", "title", "text", "url", "date")} | {"source": r.get("host")}
        incoming = record_to_article(record, "dev.jsonl", fallback_ref=str(r["id"]))
        when = T0 + timedelta(hours=hours * n) if hours else incoming.article.published
        out.append(stored(n, incoming.article.outlet or f"outlet {n}", incoming.article.text, when))
    return out


@pytest.mark.parametrize("half", [0, 1], ids=["even events", "odd events"])
def test_every_dev_event_gives_the_developing_figures_of_its_full_comparison(half: int) -> None:
    for records in _events()[half::2]:
        for hours in (0, 3):
            arts = _articles(records, hours)
            expected = full(arts)
            assert [f.model_dump() for f in developing_figures(arts)] == [d.model_dump() for d in expected]
