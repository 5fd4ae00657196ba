"""Stories idle for `retain_days` (by arrival) stop being matched, so a long-running bot's memory
stays bounded; and a restarted desk evicts the same stories a live one would."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle
from bot.news.models import ExtractedArticle
from bot.news.settings import ClusteringSettings
from tests.clock import FakeClock
from tests.paths import DATA

PUBLISHED = datetime(2024, 3, 1, 12, tzinfo=UTC)


def _one_event() -> list[ExtractedArticle]:
    """The three reports of one BASIL event, all dated the same day (a backfill of old news)."""
    with (DATA / "basil_stories" / "articles.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    event = [r for r in rows if r["cluster_id"] == rows[0]["cluster_id"]]
    return [
        ExtractedArticle(
            title=r["title"], outlet=r["source"], text=r["text"], published=PUBLISHED + timedelta(hours=i)
        )
        for i, r in enumerate(event)
    ]


async def _ingest(desk: NewsDesk, ref: str, article: ExtractedArticle) -> int:
    report = await desk.ingest_items([IncomingArticle(ref=ref, article=article)])
    return report.story_of[ref]


@pytest.mark.parametrize(("retain_days", "joins"), [(30.0, False), (0.0, True)])
async def test_an_idle_story_takes_no_more_articles(
    db_url: str, clock: FakeClock, retain_days: float, joins: bool
) -> None:
    first, second, third = _one_event()
    settings = ClusteringSettings(retain_days=retain_days)
    desk = await NewsDesk.open(db_url, clustering=settings, clock=clock)
    try:
        story = await _ingest(desk, "a", first)
        assert await _ingest(desk, "b", second) == story  # the same event, while it is live
        clock.advance(days=31)
        assert (await _ingest(desk, "c", third) == story) is joins
    finally:
        await desk.close()


async def test_a_restarted_desk_evicts_the_idle_stories_too(db_url: str, clock: FakeClock) -> None:
    first, second, third = _one_event()
    settings = ClusteringSettings(retain_days=30.0)
    desk = await NewsDesk.open(db_url, clustering=settings, clock=clock)
    try:
        story = await _ingest(desk, "a", first)
        assert await _ingest(desk, "b", second) == story
    finally:
        await desk.close()
    clock.advance(days=31)
    desk = await NewsDesk.open(db_url, clustering=settings, clock=clock)
    try:
        assert await _ingest(desk, "c", third) != story
        assert (await desk.story(story)).id == story  # still there to read, just not matched
    finally:
        await desk.close()
