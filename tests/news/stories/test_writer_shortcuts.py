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
from bot.news.stories._candidates import ranked_stories, ranked_terms
from bot.news.stories._features import FeatureMaker
from bot.news.stories._index import StoryIndex
from bot.news.stories._pairs import PairMemo
from bot.news.stories._scoring import Scorer
from bot.news.stories._vectors import DocFeatures, Vocabulary


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


def test_one_member_centroids_share_the_member_vectors_and_are_never_grown() -> None:
    index, _, _ = _floating_index(30)
    vocab = index.vocab
    stories = list(index.stories.values())
    for story in stories:
        assert index.centroid(story).sums == index.doc_vectors(story.counted[0])
    # Grow one-article stories: each then has a centroid of its own, the two members summed.
    for story, other in zip(stories[::2], stories[1::2], strict=False):
        idx = other.members[0]
        index.detach(other, idx)
        index.join(story, idx, index.doc_vectors(idx))
        first, second = (index.doc_vectors(i) for i in story.counted)
        assert index.centroid(story).sums == tuple(
            {t: first[g].get(t, 0.0) + second[g].get(t, 0.0) for t in (*first[g], *second[g])}
            for g in range(3)
        )
    # Every cached vector is still its document's weights: no story grew a shared one.
    for idx in range(len(index.doc_story)):
        assert index.doc_vectors(idx) == vocab.vectors(index.doc_ids[idx], index.doc_counts[idx])


def _floating_index(n: int) -> tuple[StoryIndex, dict[int, list[int]], list[list[tuple[int, float]]]]:
    """Real articles in one-article stories, spread over many time buckets, every fifth floating
    and some of those redated (posted again, in the same bucket or another): the index, each
    document's posted terms, and each document's query."""
    settings = ClusteringSettings()
    maker = FeatureMaker(settings)
    vocab = Vocabulary()
    index = StoryIndex(vocab, settings.window_hours, 100)
    posted: dict[int, list[int]] = {}
    queries = []
    for n_, it in enumerate(load_set("newswcl50_stories")[:n]):
        features = maker.features(it.doc.title, it.doc.text)
        packed = vocab.count(features)
        when = 50.0 * n_  # about two articles per 96-hour bucket
        idx = index.add_doc(
            n_ + 1, when, packed, None, features.fingerprint, features.shingles, None, n_ % 5 == 0
        )
        index.attach(index.new_story(n_ + 1, when), idx)
        ranked = ranked_terms(vocab.vectors(*packed)[0], settings.query_terms)
        posted[idx] = [tid for tid, _ in ranked[: settings.index_terms]]
        index.post(idx, posted[idx])
        queries.append(ranked)
    for k, idx in enumerate([i for i in posted if index.doc_floating[i]][:6]):
        story = index.stories[int(index.doc_story[idx])]
        when = index.doc_time[idx] + (10.0 if k % 2 else 500.0)  # the same bucket, or another
        for member in index.redate(story, when):
            index.post(member, posted[member])
    return index, posted, queries


def _every_bucket(index: StoryIndex, query: list[tuple[int, float]]) -> dict[int, float]:
    """Scores summed by a scan of every time bucket, by bucket, then by query term."""
    scores: dict[int, float] = {}
    buckets = sorted({key >> 32 for key in index._postings if key >> 32 > -(1 << 24)})
    for bucket in buckets:
        for tid, w in query:
            for idx in index._postings.get((bucket << 32) | tid, ()):
                scores[idx] = scores.get(idx, 0.0) + w
    return scores


def test_anytime_lookups_sum_as_a_scan_of_every_bucket() -> None:
    index, _, queries = _floating_index(80)
    assert index._posted_twice  # redated documents, posted in two buckets
    for query in queries:
        assert index.candidates_anytime(query) == _every_bucket(index, query)
    index.evict_before(50.0 * 30)  # the first buckets' postings go
    for query in queries:
        found = index.candidates_anytime(query)
        assert found == _every_bucket(index, query)
        assert all(index.doc_time[idx] >= 50.0 * 28 for idx in found)


def test_ranked_stories_are_the_best_documents_by_weight_then_id() -> None:
    index = _clustered()._index
    live = index.stories
    assert len(live) >= 4
    rng = random.Random(11)
    docs = range(len(index.doc_story))
    for _ in range(200):
        hits = {
            idx: rng.choice((0.5, 1.0, 1.5, 2.0)) for idx in rng.sample(docs, rng.randrange(1, len(docs)))
        }
        skip = set(rng.sample(sorted(live), min(2, len(live) - 2)))
        best: dict[int, float] = {}
        for idx, hit in hits.items():
            sid = int(index.doc_story[idx])
            if sid in live and sid not in skip:
                best[sid] = max(best.get(sid, 0.0), hit)
        limit = rng.randrange(1, 12)
        expected = [sid for sid, _ in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))][:limit]
        assert ranked_stories(index, hits, limit, skip) == expected


def test_pair_shingle_counts_are_those_of_two_sets() -> None:
    clusterer = _clustered()
    index, scorer = clusterer._index, clusterer._scorer
    memo = PairMemo()
    rng = random.Random(2)
    shared = 0
    for _ in range(300):
        a, b = rng.sample(range(len(index.doc_story)), 2)
        if index.outlets[a] == index.outlets[b]:
            continue
        count = memo.pair(index, scorer, a, b)[1]
        assert count == len(set(index.shingles[a]) & set(index.shingles[b]))
        shared += count > 0
    assert shared  # some pairs share passages


def test_counting_a_document_allocates_and_caps_as_word_by_word() -> None:
    maker = FeatureMaker(ClusteringSettings())
    docs = [maker.features(it.doc.title, it.doc.text) for it in load_set("newswcl50_stories")[:40]]
    docs[5].terms["ferry"] = 300  # past what a packed count holds
    vocab = Vocabulary()
    ids_of: dict[str, int] = {}
    df: dict[int, int] = {}
    for features in docs:
        ids, counts = vocab.count(features)
        groups = (features.terms, features.entities, features.headline)
        # The plain way: one word at a time, a new word takes the next id.
        expected = [ids_of.setdefault(w, len(ids_of)) for g in groups for w in g]
        assert list(ids) == [len(g) for g in groups] + expected
        assert list(counts) == [min(n, 255) for g in groups for n in g.values()]
        for tid in set(expected):
            df[tid] = df.get(tid, 0) + 1
    assert vocab.words == list(ids_of)
    assert [vocab._df[tid] for tid in range(len(vocab))] == [df[tid] for tid in range(len(vocab))]


def test_stored_features_load_as_written_and_bad_counts_are_refused() -> None:
    # A value as the writer has stored it (format 2): it must keep loading as these very features.
    stored = '{"v":2,"t":{"ferry":3,"river":1},"e":{"millbrook":2},"h":{"ferry":1},"f":"the ferry","s":"AQAAAAIAAAA="}'
    loaded = DocFeatures.from_json(stored)
    assert loaded == DocFeatures(
        {"ferry": 3, "river": 1}, {"millbrook": 2}, {"ferry": 1}, "the ferry", [1, 2]
    )
    assert loaded is not None and loaded.to_json() == stored
    assert DocFeatures.from_json(stored.replace('"river":1', '"river":"1"')) is None
    assert DocFeatures.from_json(stored.replace('"river":1', '"river":1.5')) is None
    assert DocFeatures.from_json(stored.replace('"e":{"millbrook":2}', '"e":[2]')) is None
