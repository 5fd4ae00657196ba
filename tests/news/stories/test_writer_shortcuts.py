"""The clusterer's shortcuts for the one ordered writer give the very floats of the plain way.

Cohesion sums remembered per member sequence, centroids summed without per-term bookkeeping, the
heaviest terms ranked by two keyed sorts: each must answer exactly what the straightforward
computation answers (the stories, their ids and their order depend on these floats), on real
articles (NewsWCL50, in a shuffled order that needs repairs), also after the IDF snapshot changes.
"""

from __future__ import annotations

import random

from bench.clustering_sets import load_set
from bot.news.settings import ClusteringSettings
from bot.news.stories import StoryClusterer
from bot.news.stories._candidates import ranked_terms
from bot.news.stories._index import StoryIndex
from bot.news.stories._pairs import PairMemo
from bot.news.stories._scoring import Scorer


def _clustered(limit: int | None = None) -> StoryClusterer:
    items = load_set("newswcl50_stories")
    random.Random(3).shuffle(items)
    clusterer = StoryClusterer(ClusteringSettings())
    for it in items[:limit]:
        clusterer.assign(it.doc)
    return clusterer


def _plain_links(index: StoryIndex, scorer: Scorer, members: list[int]) -> float:
    """The clipped pair sum computed from scratch, pair by pair, in member order."""
    clip = scorer.s.cohesion_clip
    total = 0.0
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            va, vb = index.doc_vectors(a), index.doc_vectors(b)
            parts = []
            for g in range(3):
                small, large = (va[g], vb[g]) if len(va[g]) <= len(vb[g]) else (vb[g], va[g])
                parts.append(sum([w * large[t] for t, w in small.items() if t in large], 0.0))
            total += min(clip, scorer.combine((parts[0], parts[1], parts[2])))
    return total


def test_remembered_cohesions_are_the_sums_computed_afresh() -> None:
    clusterer = _clustered()
    index, scorer = clusterer._index, clusterer._scorer
    stories = [st for st in index.stories.values() if st.weight >= 3]
    assert len(stories) >= 5
    for story in stories:
        members = list(story.counted[-scorer.s.cohesion_members :])
        remembered = index.pairs.clipped_links(index, scorer, members)
        assert index.pairs.clipped_links(index, scorer, members) == remembered  # asked again: the memo
        assert remembered == (_plain_links(index, scorer, members), len(members) * (len(members) - 1) // 2)
        assert remembered == PairMemo().clipped_links(index, scorer, members)
        # One member fewer is another sequence: not the remembered answer.
        shorter = index.pairs.clipped_links(index, scorer, members[1:])
        assert shorter[1] < remembered[1]
        assert shorter[0] == _plain_links(index, scorer, members[1:])


def test_a_new_snapshot_forgets_the_remembered_cohesions() -> None:
    clusterer = _clustered(limit=40)
    index, scorer = clusterer._index, clusterer._scorer
    story = max(index.stories.values(), key=lambda st: st.weight)
    members = list(story.counted)
    assert len(members) >= 3
    before = index.pairs.clipped_links(index, scorer, members)
    epoch = index.vocab.epoch
    # More articles until the document frequencies are snapshotted again.
    for it in load_set("basil_stories")[:30]:
        it.doc.article_id += 1_000_000
        clusterer.assign(it.doc)
    assert index.vocab.epoch > epoch
    after = index.pairs.clipped_links(index, scorer, members)
    assert after == (_plain_links(index, scorer, members), before[1])
    assert after != before  # the weights moved, and the memo did not answer with the old sum


def test_centroids_are_the_member_vectors_summed_in_member_order() -> None:
    clusterer = _clustered()
    index = clusterer._index
    stories = [st for st in index.stories.values() if st.weight >= 2]
    assert stories
    for story in stories:
        sums: tuple[dict[int, float], ...] = ({}, {}, {})
        for idx in story.counted:
            for g, vec in enumerate(index.doc_vectors(idx)):
                for tid, w in vec.items():
                    sums[g][tid] = sums[g].get(tid, 0.0) + w
        centroid = index.centroid(story)
        for g in range(3):
            # Equal as dicts, and in the same key order (later sums iterate it).
            assert list(centroid.sums[g].items()) == list(sums[g].items())


def test_heaviest_terms_break_ties_by_id() -> None:
    vector = {7: 0.5, 3: 0.5, 9: 0.25, 1: 0.75, 4: 0.25, 2: 0.5}
    expected = sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))
    assert ranked_terms(vector, 10) == expected
    assert ranked_terms(vector, 4) == [(1, 0.75), (2, 0.5), (3, 0.5), (7, 0.5)]
    rng = random.Random(5)
    for _ in range(50):  # many ties among few distinct weights
        vector = {rng.randrange(1000): rng.choice((0.1, 0.2, 0.3)) for _ in range(60)}
        assert ranked_terms(vector, 20) == sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
