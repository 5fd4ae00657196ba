"""Order repairs (bot/news/clustering/repair.py): what `Assignment` reports is enough to keep a store in step."""

from __future__ import annotations

import random

from bench.clustering_sets import load_set
from bot.news.settings import ClusteringSettings
from bot.news.stories import StoryClusterer


def _replay(
    seed: int, settings: ClusteringSettings, retired: dict[int, int] | None = None
) -> tuple[dict[int, int], StoryClusterer, int]:
    """Apply every Assignment as the store would: set the article's story, merge, move, then retire."""
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
        for story_id, into in result.retired:
            # A retired story has no article left, and the story it points to has some.
            assert story_id not in mirror.values() and into in mirror.values()
            if retired is not None:
                retired[story_id] = into
    return mirror, clusterer, moves


def test_store_mirror_matches_the_clusterer_after_moves_and_splits() -> None:
    mirror, clusterer, moves = _replay(1, ClusteringSettings())
    assert moves > 0  # this order needs a repair (an event grew around another event's article)
    assert mirror == {a: clusterer.story_of(a) for a in mirror}


def test_repairs_can_be_switched_off() -> None:
    settings = ClusteringSettings(reassign_size=0, split_size=0, regroup_size=0)
    mirror, clusterer, moves = _replay(1, settings)
    assert moves == 0
    assert mirror == {a: clusterer.story_of(a) for a in mirror}


async def test_moves_are_persisted_by_the_service(desk: object, shared_dir: object) -> None:
    """Through NewsDesk, the stored stories after a repairing order equal the clusterer's, and
    a restart (restore from the store) reproduces them."""
    from bench.clustering_sets import bcubed, cluster_through_desk
    from bot.news.desk import NewsDesk

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


async def test_regrouping_retires_emptied_stories_and_their_ids_still_resolve(desk: object) -> None:
    """In this order an early wrong pairing is undone by regrouping and a story is left empty: its
    record points where its articles went, so a link to it (a digest, a live card) still works."""
    from bench.clustering_sets import bcubed, cluster_through_desk
    from bot.news.desk import NewsDesk

    assert isinstance(desk, NewsDesk)
    retired: dict[int, int] = {}
    mirror, _, _ = _replay(5, ClusteringSettings(), retired)
    assert retired, "this order should empty a story"
    items = load_set("newswcl50_stories")
    random.Random(5).shuffle(items)
    stored = await cluster_through_desk(desk, "newswcl", items)
    ids = sorted(stored)
    # The desk numbers articles in arrival order, so story ids may differ; the stories may not.
    assert bcubed([stored[a] for a in ids], [mirror[a] for a in ids])[2] == 1.0
    gold = {it.doc.article_id: it.gold for it in items}
    assert bcubed([stored[a] for a in ids], [gold[a] for a in ids])[2] == 1.0
    live = {story.id: story for story in await desk.stories()}
    assert set(live) == set(stored.values())
    gone = [sid for sid in range(1, await desk.store.stories.max_id() + 1) if sid not in live]
    records = [await desk.store.stories.get(sid) for sid in gone]
    assert any(r is not None for r in records)  # merged or retired stories keep a record
    for sid, record in zip(gone, records, strict=True):
        if record is None:
            continue  # an id handed out and given back within one assignment
        story = await desk.story(sid)
        assert story.id in live and len(story.articles) == len(live[story.id].articles)
