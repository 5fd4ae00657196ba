"""Order repairs (bot/news/clustering/repair.py): what `Assignment` reports is enough to keep a store in step."""

from __future__ import annotations

import random

from bench.clustering_sets import load_set
from bot.news.settings import ClusteringSettings
from bot.news.stories import StoryClusterer


def _replay(seed: int, settings: ClusteringSettings) -> tuple[dict[int, int], StoryClusterer, int]:
    """Apply every Assignment as the store would: set the article's story, merge, then move."""
    items = load_set("newswcl50_stories")
    random.Random(seed).shuffle(items)
    clusterer = StoryClusterer(settings)
    mirror: dict[int, int] = {}
    moves = 0
    for it in items:
        result = clusterer.assign(it.doc)
        mirror[it.doc.article_id] = result.story_id
        for absorbed, kept in result.merged:
            mirror = {a: kept if s == absorbed else s for a, s in mirror.items()}
        for article_id, story_id in result.moved:
            assert article_id != it.doc.article_id
            mirror[article_id] = story_id
            moves += 1
    return mirror, clusterer, moves


def test_store_mirror_matches_the_clusterer_after_moves_and_splits() -> None:
    mirror, clusterer, moves = _replay(1, ClusteringSettings())
    assert moves > 0  # this order needs a repair (an event grew around another event's article)
    assert mirror == {a: clusterer.story_of(a) for a in mirror}


def test_repairs_can_be_switched_off() -> None:
    settings = ClusteringSettings(reassign_size=0, split_size=0)
    mirror, clusterer, moves = _replay(1, settings)
    assert moves == 0
    assert mirror == {a: clusterer.story_of(a) for a in mirror}


async def test_moves_are_persisted_by_the_service(desk: object, shared_dir: object) -> None:
    """Through NewsDesk, the stored stories after a repairing order equal the clusterer's, and
    a restart (restore from the store) reproduces them."""
    from bench.clustering_sets import bcubed, cluster_through_desk
    from bot.news.service import NewsDesk

    assert isinstance(desk, NewsDesk)
    items = load_set("newswcl50_stories")
    random.Random(1).shuffle(items)
    stored = await cluster_through_desk(desk, "newswcl", items)
    mirror, _, moves = _replay(1, ClusteringSettings())
    assert moves > 0
    ids = sorted(stored)
    assert bcubed([stored[a] for a in ids], [mirror[a] for a in ids])[2] == 1.0
    gold = {it.doc.article_id: it.gold for it in items}
    assert bcubed([stored[a] for a in ids], [gold[a] for a in ids])[2] >= 0.98
    # Stored story records agree with the articles (every live story has its articles' count).
    for story in await desk.stories():
        assert story.articles and all(a.ref.startswith("newswcl/") for a in story.articles)
