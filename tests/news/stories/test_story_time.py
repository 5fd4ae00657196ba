"""Where articles sit in time for their story: undated pages and late republications.

The five seed pages are one event (Feb 12, 2025). Two carry dates ten days apart (a republication
on Feb 22), three carry none; whatever order they are dropped in, and however long after, they
must form one story dated by the pages that have dates, not by when they were dropped in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.clustering_sets import seed_docs
from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle
from bot.news.models import ExtractedArticle
from bot.news.settings import ClusteringSettings
from bot.news.stories import ClusterDoc, StoryClusterer
from tests.clock import FakeClock
from tests.paths import SHARED

SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
FEB12 = datetime(2025, 2, 12, tzinfo=UTC)
FEB22 = datetime(2025, 2, 22, tzinfo=UTC)


def _seed_orders() -> list[list[Path]]:
    n = len(SEEDS)
    rotations = [SEEDS[k:] + SEEDS[:k] for k in range(n)]
    return rotations + [list(reversed(r)) for r in rotations]


@pytest.mark.parametrize("order", _seed_orders(), ids=lambda o: "-".join(p.name[:3] for p in o))
async def test_the_seed_pages_form_one_story_in_any_order(desk: NewsDesk, order: list[Path]) -> None:
    report = await desk.ingest_paths([str(p) for p in order])
    assert len(report.new) == 5
    stories = await desk.stories()
    assert len(stories) == 1
    story = stories[0]
    assert len(story.outlets) == 5
    # Dated by the two pages with dates, not by the arrival of the three without.
    assert (story.first_seen, story.last_updated) == (FEB12, FEB22)


async def test_undated_pages_keep_the_time_they_took_after_a_restart(db_url: str, clock: FakeClock) -> None:
    desk = await NewsDesk.open(db_url, clock=clock)
    try:
        await desk.ingest_paths([str(p) for p in SEEDS])
        (story,) = await desk.stories()
        undated = [a for a in await desk.story_articles(story.id) if a.published is None]
        assert len(undated) == 3
    finally:
        await desk.close()
    # A reopened desk rebuilds its index from the database. Were the undated pages back at their
    # arrival time, today's page sharing their words would join their story; at the time they
    # took (Feb 2025), it is far past any window and starts a story of its own.
    clock.advance(hours=1)
    desk = await NewsDesk.open(db_url, clock=clock)
    try:
        source = undated[0]
        today = ExtractedArticle(
            title="Follow-up: " + (source.title or ""),
            outlet="Later Daily",
            published=clock() - timedelta(hours=1),
            text=source.text,
        )
        report = await desk.ingest_items([IncomingArticle(ref="later/1", article=today)])
        assert report.story_of["later/1"] != story.id
        again = await desk.story(story.id)
        assert (again.first_seen, again.last_updated) == (FEB12, FEB22)
    finally:
        await desk.close()


@pytest.mark.parametrize("restart", [False, True], ids=["running", "restarted"])
@pytest.mark.parametrize("order", ["13402", "40312", "31204"])
async def test_seed_pages_dropped_one_at_a_time_still_form_one_story(
    db_url: str, clock: FakeClock, order: str, restart: bool
) -> None:
    """Undated pages first, each on its own (a watched folder picks up one file at a time): they
    float at their arrival until a dated page that shares their passages dates them."""
    desk = await NewsDesk.open(db_url, clock=clock)
    try:
        for n, k in enumerate(order):
            await desk.ingest_paths([str(SEEDS[int(k)])])
            clock.advance(minutes=5)
            if restart and n == 2:
                await desk.close()
                desk = await NewsDesk.open(db_url, clock=clock)
        (story,) = await desk.stories()
        assert len(story.outlets) == 5
        assert (story.first_seen, story.last_updated) == (FEB12, FEB22)
    finally:
        await desk.close()


def _dated(doc: ClusterDoc, article_id: int, when: datetime) -> ClusterDoc:
    return ClusterDoc(article_id=article_id, title=doc.title, text=doc.text, outlet=doc.outlet, when=when)


def test_a_republication_past_the_window_joins_only_on_shared_passages() -> None:
    docs = seed_docs()  # 000 shares verbatim passages with 002; 004 shares none with it
    clusterer = StoryClusterer(ClusteringSettings())
    first = clusterer.assign(_dated(docs[2], 1, FEB12))
    republished = clusterer.assign(_dated(docs[0], 2, FEB22))
    assert republished.story_id == first.story_id
    unrelated_wording = clusterer.assign(_dated(docs[4], 3, FEB22 + timedelta(days=2)))
    assert unrelated_wording.story_id != first.story_id


@pytest.mark.parametrize("late_window_hours", [0.0, 200.0])
def test_past_the_late_window_nothing_joins(late_window_hours: float) -> None:
    docs = seed_docs()
    clusterer = StoryClusterer(ClusteringSettings(late_window_hours=late_window_hours))
    first = clusterer.assign(_dated(docs[2], 1, FEB12))
    republished = clusterer.assign(_dated(docs[0], 2, FEB22))  # 240 h later
    assert republished.story_id != first.story_id


def test_an_undated_page_sharing_no_passage_keeps_its_arrival_time() -> None:
    docs = seed_docs()
    arrival = datetime(2026, 11, 20, tzinfo=UTC)
    clusterer = StoryClusterer(ClusteringSettings())
    clusterer.assign(_dated(docs[2], 1, FEB12))
    undated = _dated(docs[4], 2, arrival)  # 004 shares no 8-word passage with 002
    undated.dated = False
    placed = clusterer.assign(undated)
    assert placed.when == arrival
    sharing = _dated(docs[0], 3, arrival)  # 000 does
    sharing.dated = False
    placed = clusterer.assign(sharing)
    assert placed.when == FEB12 and placed.story_id == clusterer.story_of(1)


def test_a_dated_page_dates_the_undated_ones_it_shares_passages_with() -> None:
    docs = seed_docs()
    arrival = datetime(2026, 11, 20, tzinfo=UTC)
    clusterer = StoryClusterer(ClusteringSettings())
    undated = _dated(docs[4], 1, arrival)  # nothing to share passages with yet: it floats
    undated.dated = False
    floating = clusterer.assign(undated)
    assert floating.floating and floating.when == arrival
    dated = clusterer.assign(_dated(docs[0], 2, FEB22))  # 000 shares a passage with 004
    assert dated.redated == [1] and not dated.floating
    assert clusterer.story_of(1) == clusterer.story_of(2) == dated.story_id


def test_an_evicted_floating_story_is_not_woken() -> None:
    docs = seed_docs()
    clusterer = StoryClusterer(ClusteringSettings())
    undated = _dated(docs[4], 1, datetime(2026, 11, 20, tzinfo=UTC))
    undated.dated = False
    floating = clusterer.assign(undated)
    assert clusterer.evict([floating.story_id]) == 1
    dated = clusterer.assign(_dated(docs[0], 2, FEB22))
    assert dated.redated == [] and dated.new_story


def test_evicting_by_time_keeps_a_live_floating_story_wakeable() -> None:
    docs = seed_docs()
    clusterer = StoryClusterer(ClusteringSettings())
    clusterer.assign(_dated(docs[1], 1, FEB12 - timedelta(days=60)))  # an old story, evicted below
    undated = _dated(docs[4], 2, datetime(2026, 11, 20, tzinfo=UTC))
    undated.dated = False
    assert clusterer.assign(undated).floating
    assert clusterer.evict_before(FEB12 - timedelta(days=30)) == 1
    dated = clusterer.assign(_dated(docs[0], 3, FEB22))
    assert dated.redated == [2] and clusterer.story_of(2) == dated.story_id
