"""Clustering quality gate: B-cubed scores on the shared dev sets, through the real ingest service.

Floors live in tests/baselines/clustering.json (see its "about"); bench/eval_clustering.py prints the
same figures.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bench.clustering_sets import (
    ALL_SETS,
    ECB_FEEDS,
    HALVES,
    SETS,
    bcubed,
    cluster,
    cluster_through_desk,
    compare_events,
    event_splits,
    load_set,
    reorder_stability,
    score_set,
    seed_docs,
)
from bot.news.desk import NewsDesk
from bot.news.settings import ClusteringSettings
from bot.news.stories import _vectors
from tests.paths import REPO

BASELINE: dict[str, Any] = json.loads((REPO / "tests" / "baselines" / "clustering.json").read_text())
SHUFFLES = BASELINE["stability"]["shuffles"]


@pytest.mark.parametrize("name", ALL_SETS)
async def test_each_dev_set_clusters_above_its_floors(desk: NewsDesk, name: str) -> None:
    items = load_set(name)
    stories = await cluster_through_desk(desk, name, items)
    precision, recall, f1 = bcubed([stories[it.doc.article_id] for it in items], [it.gold for it in items])
    floor = BASELINE["sets"][name]
    assert precision >= floor["precision"] - 1e-9, f"{name} precision {precision:.3f}"
    assert recall >= floor["recall"] - 1e-9, f"{name} recall {recall:.3f}"
    assert f1 >= floor["f1"] - 1e-9, f"{name} F1 {f1:.3f}"


@pytest.mark.parametrize("name", SETS + ECB_FEEDS[1:])
def test_re_ingesting_in_another_order_gives_the_same_stories(name: str) -> None:
    floor = BASELINE["stability"][name]
    stability = reorder_stability(load_set(name), shuffles=floor.get("shuffles", SHUFFLES))
    assert stability["reverse"] >= floor["reverse"], f"{name} reverse order {stability['reverse']:.3f}"
    shuffled = min(v for k, v in stability.items() if k.startswith("shuffle"))
    assert shuffled >= floor["shuffle"] - 1e-9, f"{name} shuffled {shuffled:.3f}"


def test_the_five_seed_pages_are_one_story_from_five_outlets() -> None:
    docs = seed_docs()
    stories = cluster(docs)
    assert len(set(stories.values())) == BASELINE["seeds"]["stories"]
    assert len({d.outlet for d in docs}) == BASELINE["seeds"]["outlets"] == len(docs)


@pytest.mark.parametrize("half", HALVES)
@pytest.mark.parametrize("name", ECB_FEEDS)
def test_each_half_of_the_ecb_topics_clusters_above_its_floors(name: str, half: str) -> None:
    # Split by topic parity: a rule fitted to one half shows up as a gap between the two.
    precision, recall, f1 = score_set(load_set(name, half=half))
    floor = BASELINE["halves"][name][half]
    assert precision >= floor["precision"] - 1e-9, f"{name} {half} precision {precision:.3f}"
    assert recall >= floor["recall"] - 1e-9, f"{name} {half} recall {recall:.3f}"
    assert f1 >= floor["f1"] - 1e-9, f"{name} {half} F1 {f1:.3f}"


@pytest.mark.parametrize("half", HALVES)
def test_small_fragments_left_by_regrouping_join_the_event_they_clearly_belong_to(half: str) -> None:
    # Two or three differently angled reports of one event sit below its core's bar; adopting them
    # (under the margin over any other group) must add recall on both topic halves at almost no
    # precision, or the rule is not worth its place.
    items = load_set(ECB_FEEDS[1], half=half)
    p_off, r_off, _ = score_set(items, ClusteringSettings(regroup_adopt_size=1))
    p_on, r_on, _ = score_set(items, ClusteringSettings())
    assert r_on >= r_off + 0.02, f"{half}: recall {r_off:.3f} -> {r_on:.3f}"
    assert p_on >= p_off - 0.01, f"{half}: precision {p_off:.3f} -> {p_on:.3f}"


@pytest.mark.parametrize("half", (*HALVES, "all"))
@pytest.mark.parametrize("dates", ["same_day", "real_dates"])
def test_one_events_reports_ingested_alone_stay_one_story(dates: str, half: str) -> None:
    # compare_dev's scorer ingests each event alone into a fresh database: a young index, where an
    # event split over stories costs compare its shared facts and quote groups.
    events = compare_events(dates == "same_day", half=None if half == "all" else half)
    splits = event_splits(events)
    whole = sum(e.stories == 1 for e in splits)
    floor = BASELINE["compare_dev"][dates][half]
    assert whole >= floor, f"{dates} {half}: {whole} of {len(splits)} events whole ({splits})"


@pytest.mark.parametrize("half", HALVES)
def test_the_idf_prior_keeps_a_young_indexs_events_whole(half: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the unseen documents the IDF assumes, an event's own words weigh least in a fresh
    # index and its reports split: the prior must keep more events whole on both halves.
    events = compare_events(True, half=half)
    with_prior = sum(e.stories == 1 for e in event_splits(events))
    monkeypatch.setattr(_vectors, "PRIOR_DOCS", 0.0)
    without = sum(e.stories == 1 for e in event_splits(events))
    assert with_prior >= without + 1, f"{half}: {without} -> {with_prior} events whole"
