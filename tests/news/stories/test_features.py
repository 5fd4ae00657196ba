"""Clustering features computed outside the clusterer (as ingest workers do) place articles exactly
as the clusterer's own analysis does; the index's cached vectors follow new IDF snapshots.

Real articles from ../shared/data (read there, never copied here)."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, timedelta

from bot.news.settings import ClusteringSettings
from bot.news.stories import ClusterDoc, DocFeatures, FeatureMaker, StoryClusterer
from tests.paths import DATA

T0 = datetime(2024, 3, 1, 12, tzinfo=UTC)


def _docs(limit: int) -> list[ClusterDoc]:
    """Dev-set articles an hour apart; every fifth undated (those take the time of a story)."""
    docs = []
    lines = (DATA / "basil_stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines[:limit], start=1):
        row = json.loads(line)
        docs.append(
            ClusterDoc(
                article_id=n,
                title=row.get("title") or None,
                text=str(row["text"]),
                outlet=row.get("source") or None,
                when=T0 + timedelta(hours=n),
                dated=n % 5 != 0,
            )
        )
    return docs


def _decisions(clusterer: StoryClusterer, docs: list[ClusterDoc]) -> list[tuple[object, ...]]:
    out = []
    for doc in docs:
        a = clusterer.assign(doc)
        out.append(
            (a.story_id, a.syndicated_of, a.merged, a.moved, a.retired, a.features, a.score, a.candidates)
        )
    return out


def test_features_made_elsewhere_place_articles_as_the_clusterers_own() -> None:
    settings = ClusteringSettings()
    own = _decisions(StoryClusterer(settings), _docs(150))
    maker = FeatureMaker(settings)
    carried = _docs(150)
    for doc in carried:
        # As JSON through pickle, as a worker process hands them back (stories/_keeper.py decodes).
        raw = pickle.loads(pickle.dumps(maker.features(doc.title, doc.text).to_json()))
        doc.features = DocFeatures.from_json(raw)
    given = _decisions(StoryClusterer(settings), carried)
    assert given == own
    stories = {d[0] for d in own}
    assert len(stories) < 120  # articles did share stories: there were decisions to get wrong


def test_carried_features_are_the_ones_stored() -> None:
    settings = ClusteringSettings()
    doc = _docs(1)[0]
    features = FeatureMaker(settings).features(doc.title, doc.text)
    assert features.encoded is not None  # encoded where it was made
    restored = DocFeatures.from_json(features.to_json())
    assert restored is not None
    assert (restored.terms, restored.entities, restored.headline) == (
        features.terms,
        features.entities,
        features.headline,
    )
    assert (restored.fingerprint, restored.shingles) == (features.fingerprint, features.shingles)
    # A decoded copy encodes to the very same text (what the database holds does not depend on
    # where the features were made).
    assert restored.to_json() == features.to_json()


def test_cached_vectors_follow_each_idf_snapshot() -> None:
    clusterer = StoryClusterer(ClusteringSettings())
    index = clusterer._index
    vocab = index.vocab
    for doc in _docs(80):
        epoch = vocab.epoch
        clusterer.assign(doc)
        assert vocab.epoch >= epoch
        # Every kept document's vectors are those of the current snapshot.
        for idx in range(len(index.doc_story)):
            assert index.doc_vectors(idx) == vocab.vectors(index.doc_ids[idx], index.doc_counts[idx])
    assert vocab.epoch > 10  # snapshots were taken along the way
