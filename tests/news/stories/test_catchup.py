"""A story index caught up from the change log is the index a full rebuild gives: after another
process's placements it places the next articles exactly as a freshly rebuilt one (same story
ids), on SQLite and on PostgreSQL (STORYDESK_TEST_PG)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.news.models import ExtractedArticle
from bot.news.settings import ClusteringSettings
from bot.news.store import Store
from bot.news.store._schema import story_log
from bot.news.store._story_log import StoryLogRepo
from bot.news.stories import ClusterDoc, StoryClusterer, StoryKeeper
from bot.news.stories._catchup import CatchUp, cluster_doc, plan
from tests.paths import DATA
from tests.pg import pg_database

START = datetime(2024, 3, 1, 12, tzinfo=UTC)


def _articles(limit: int, dev_set: str = "basil_stories") -> list[ExtractedArticle]:
    """Reports of a shared set (BASIL: events of three outlets), one hour apart in file order: a mixed stream."""
    with (DATA / dev_set / "articles.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f][:limit]
    return [
        ExtractedArticle(
            title=r.get("title"),
            outlet=r.get("source") or r.get("publisher"),
            text=r["text"],
            published=START + timedelta(hours=i),
        )
        for i, r in enumerate(rows)
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
async def url(request: pytest.FixtureRequest, db_url: str) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield db_url
        return
    async with pg_database() as url:
        yield url


async def _place(store: Store, keeper: StoryKeeper, articles: list[ExtractedArticle], first: int) -> None:
    """Store and place articles as an ingesting process does: under the writer lock, synced first."""
    async with store.writer():
        await keeper.sync()
        for n, article in enumerate(articles, start=first):
            now = START + timedelta(hours=n, minutes=5)
            article_id = await store.articles.insert(f"ref-{n}", article, f"hash-{n}", now)
            await keeper.place(article_id, article, now)


def _state(clusterer: StoryClusterer) -> dict[str, Any]:
    """What decides later placements: documents, stories, vocabulary snapshot, postings, next id."""
    index = clusterer._index
    return {
        "docs": list(index.doc_article),
        "times": list(index.doc_time),
        # A dict: compared as a set of stories (their order decides nothing, see below).
        "stories": {sid: list(st.members) for sid, st in index.stories.items()},
        "voices": {sid: list(st.voices) for sid, st in index.stories.items()},
        "vocab": (clusterer._vocab.docs, clusterer._vocab.epoch, list(clusterer._vocab.words)),
        "postings": {k: list(v) for k, v in index._postings.items()},
        "next_id": clusterer._next_id,
    }


async def _live_and_rebuilt(
    keeper: StoryKeeper, store: Store, settings: ClusteringSettings
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A live writer's index and one rebuilt from the database, in comparable form."""
    fresh = StoryKeeper(store, settings)
    await fresh.sync()
    assert keeper._clusterer is not None and fresh._clusterer is not None
    mine, rebuilt = _state(keeper._clusterer), _state(fresh._clusterer)
    assert mine.pop("next_id") >= rebuilt.pop("next_id")  # it may have dropped an id
    for state in (mine, rebuilt):  # a live writer keeps members in placement order
        for part in ("stories", "voices"):
            state[part] = {sid: sorted(m) for sid, m in state[part].items()}
    return mine, rebuilt


async def test_a_caught_up_index_places_as_a_rebuilt_one(url: str) -> None:
    settings = ClusteringSettings()
    stream = _articles(75)
    writer_store, reader_store = await Store.open(url), await Store.open(url)
    try:
        writer = StoryKeeper(writer_store, settings)  # another process, storing and placing
        reader = StoryKeeper(reader_store, settings)  # this process: it only catches up
        await _place(writer_store, writer, stream[:20], 0)
        await reader.sync()
        assert reader.rebuilds == 1 and reader.catch_ups == 0
        for start in range(20, 60, 5):
            await _place(writer_store, writer, stream[start : start + 5], start)
            async with reader_store.writer():
                await reader.sync()
        # Every round is taken in from the log, regroupings (merges, moves) included.
        assert (reader.catch_ups, reader.rebuilds) == (8, 1)
        kinds = [r["kind"] for r in await reader_store.story_log.since(0)]
        assert len(kinds) == 60 and "regroup" in kinds  # the stream did move earlier articles
        fresh = StoryKeeper(reader_store, settings)
        await fresh.sync()
        assert fresh.rebuilds == 1
        caught, rebuilt = reader._clusterer, fresh._clusterer
        assert caught is not None and rebuilt is not None
        assert _state(caught) == _state(rebuilt)
        # The next articles land in the same stories (ids included) in both.
        for n, article in enumerate(stream[60:], start=10_000):
            a, b = caught.assign(_doc(n, article)), rebuilt.assign(_doc(n, article))
            assert (a.story_id, a.merged, a.moved, a.retired) == (b.story_id, b.merged, b.moved, b.retired)
    finally:
        await writer_store.close()
        await reader_store.close()


def _doc(n: int, article: ExtractedArticle) -> ClusterDoc:
    """Article `n` of a stream as a feed worker hands it to the clusterer (id `n`)."""
    row = {
        "id": n,
        "title": article.title,
        "text": article.text,
        "outlet": article.outlet,
        "published": article.published,
        "ingested_at": START + timedelta(hours=n),
        "story_time": None,
        "feed_id": 1,
    }
    return cluster_doc(row)  # type: ignore[arg-type]


async def test_story_order_decides_nothing(db_url: str) -> None:
    """A catch-up lays out only the stories that changed and does not re-sort the others into a
    rebuild's order (a sort of every live story per catch-up): so no decision may depend on the
    order the index holds its stories in. Two indexes rebuilt from one database, one holding its
    stories in reverse, place the next articles (regroupings included) exactly alike."""
    settings = ClusteringSettings()
    stream = _articles(64, "ecbplus_dev")
    store = await Store.open(db_url)
    try:
        await _place(store, StoryKeeper(store, settings), stream[:40], 0)
        pair = [StoryKeeper(store, settings), StoryKeeper(store, settings)]
        for keeper in pair:
            await keeper.sync()
        first, second = pair[0]._clusterer, pair[1]._clusterer
        assert first is not None and second is not None
        second._index.stories = dict(reversed(second._index.stories.items()))
        assert list(first._index.stories) != list(second._index.stories)
        regrouped = 0
        for n, article in enumerate(stream[40:], start=10_000):
            a, b = first.assign(_doc(n, article)), second.assign(_doc(n, article))
            assert (a.story_id, a.merged, a.moved, a.retired) == (b.story_id, b.merged, b.moved, b.retired)
            regrouped += bool(a.merged or a.moved or a.retired)
        assert regrouped  # the placements did merge, move or retire stories
        assert _state(first) == _state(second)
    finally:
        await store.close()


async def test_own_placements_are_not_taken_in_twice(db_url: str) -> None:
    store = await Store.open(db_url)
    try:
        keeper = StoryKeeper(store, ClusteringSettings())
        stream = _articles(12)
        await _place(store, keeper, stream[:6], 0)
        await _place(store, keeper, stream[6:], 6)
        await keeper.sync()
        assert keeper.rebuilds == 1 and keeper.catch_ups == 0  # its own log rows are skipped
        assert keeper._clusterer is not None and len(keeper._clusterer._index.doc_article) == 12
        assert await store.story_log.last() == 12
    finally:
        await store.close()


def _row(
    seq: int, article: int, kind: str = "place", writer: str = "other", stories: str | None = None
) -> dict[str, object]:
    row = {"seq": seq, "article_id": article, "story_id": 1, "kind": kind, "writer": writer}
    return row | {"stories": stories}


def _plan(rows: list[dict[str, object]], last_article: int) -> CatchUp:
    return plan(rows, "me", last_article, "place", StoryLogRepo.stories_of)  # type: ignore[arg-type]


def test_the_plan_rebuilds_for_placements_out_of_order() -> None:
    plain = _plan([_row(5, 11), _row(6, 12)], 10)
    assert plain.article_ids == [11, 12] and plain.last_seq == 6
    assert _plan([_row(5, 11, writer="me")], 11).article_ids == []
    regrouped = _plan([_row(5, 11), _row(6, 12, "regroup", stories="3 7")], 10)
    assert regrouped.article_ids == [11, 12] and regrouped.regrouped and not plain.regrouped
    assert _plan([_row(5, 9)], 10).article_ids is None  # a repair placed an old id
    assert _plan([_row(5, 12), _row(6, 11)], 10).article_ids is None
    assert _plan([_row(5, 11), _row(6, 12, writer="me")], 10).article_ids is None


def test_the_plan_reads_only_the_stories_regroupings_name() -> None:
    named = _plan(
        [_row(5, 11, "regroup", stories="3 7"), _row(6, 12), _row(7, 13, "regroup", stories="7 9")], 10
    )
    assert named.changed == {3, 7, 9} and named.regrouped
    assert _plan([_row(5, 11), _row(6, 12)], 10).changed == frozenset()  # nothing regrouped: read none
    # One regroup row from before the column (v9): every placed article is read, as before.
    unnamed = _plan([_row(5, 11, "regroup", stories="3"), _row(6, 12, "regroup")], 10)
    assert unnamed.changed is None and unnamed.article_ids == [11, 12]


async def test_the_log_is_pruned_and_a_process_behind_it_rebuilds(url: str) -> None:
    settings = ClusteringSettings()
    stream = _articles(30)
    writer_store, reader_store = await Store.open(url), await Store.open(url)
    try:
        writer = StoryKeeper(writer_store, settings)
        writer.log_keep, writer.log_prune_every = 5, 10
        reader = StoryKeeper(reader_store, settings)
        await _place(writer_store, writer, stream[:4], 0)
        await reader.sync()  # has seen the first 4 rows
        for start in range(4, 30, 2):  # every batch syncs first: the writer prunes as it goes
            await _place(writer_store, writer, stream[start : start + 2], start)
        await writer.sync()  # takes in its own last rows (and prunes again: 10 rows since the last time)
        seqs = [int(r["seq"]) for r in await writer_store.story_log.since(0)]
        assert 5 <= len(seqs) < 30 and seqs == sorted(seqs) and seqs[-1] == 30
        pruned = await writer_store.story_log.pruned_through()
        assert pruned > 4 and min(seqs) == pruned + 1  # everything up to the mark, nothing after it
        # The reader had seen 4 rows; the rows after those are gone: it rebuilds, not catches up.
        async with reader_store.writer():
            await reader.sync()
        assert (reader.rebuilds, reader.catch_ups) == (2, 0)
        fresh = StoryKeeper(reader_store, settings)
        await fresh.sync()
        assert reader._clusterer is not None and fresh._clusterer is not None
        assert _state(reader._clusterer) == _state(fresh._clusterer)
    finally:
        await writer_store.close()
        await reader_store.close()


async def test_two_writers_taking_turns_catch_up_without_rebuilding(url: str) -> None:
    """Two processes placing in turns (two feed workers): each takes the other's batches in from
    the log, also when the other hands out a story id this one had handed out and dropped (a
    fresh story absorbed at once, or one a repair emptied, is never stored)."""
    settings = ClusteringSettings()
    stream = _articles(60, "ecbplus_dev")  # ECB+ topics: a repair there empties a new story early on
    stores = [await Store.open(url), await Store.open(url)]
    try:
        keepers = [StoryKeeper(store, settings) for store in stores]
        dropped = 0  # turns after which the writer's next id ran past the stored ones
        for turn, start in enumerate(range(0, len(stream), 6)):
            store, keeper = stores[turn % 2], keepers[turn % 2]
            await _place(store, keeper, stream[start : start + 6], start)
            assert keeper._clusterer is not None
            dropped += keeper._clusterer._next_id > await store.stories.max_id() + 1
        assert dropped > 0  # the case this test is about did happen
        assert [k.rebuilds for k in keepers] == [1, 1]  # each built once, at its first turn
        assert keepers[0].catch_ups >= 4 and keepers[1].catch_ups >= 4
        # And each index is still the one the database implies.
        for keeper, store in zip(keepers, stores, strict=True):
            async with store.writer():
                await keeper.sync()
            mine, rebuilt = await _live_and_rebuilt(keeper, store, settings)
            assert mine == rebuilt
    finally:
        for store in stores:
            await store.close()


async def test_a_regroup_by_one_writer_is_caught_up_by_the_other_from_its_stories(url: str) -> None:
    """Two writers in turns: each regrouping one makes (merges, moves, retirements) the other takes
    in by reading only the stories its log row names, and after every turn the other's index is
    the one a rebuild gives. A regroup row written before v10 (no stories named) is still taken in,
    by reading every placed article."""
    settings = ClusteringSettings()
    stream = _articles(60, "ecbplus_dev")
    stores = [await Store.open(url), await Store.open(url)]
    try:
        keepers = [StoryKeeper(store, settings) for store in stores]
        read: list[tuple[int | None, int]] = []  # (stories named or None, rows read) per regroup catch-up
        for store in stores:
            whole = store.story_log.placements

            async def placements(story_ids: Any = None, whole: Any = whole) -> Any:
                rows = await whole(story_ids)
                read.append((None if story_ids is None else len(story_ids), len(rows)))
                return rows

            store.story_log.placements = placements  # type: ignore[method-assign]
        await _place(stores[0], keepers[0], stream[:6], 0)
        caught = 0
        unnamed: set[int] = set()  # log rows made to look written before v10
        for turn, start in enumerate(range(6, len(stream), 6), start=1):
            store, keeper = stores[turn % 2], keepers[turn % 2]
            pending = [r for r in await store.story_log.since(keeper._seen) if r["kind"] == "regroup"]
            if (
                pending and not unnamed and keeper._clusterer is not None
            ):  # once: the other's regroup rows as a v9 version wrote them
                unnamed = {int(r["seq"]) for r in pending}
                async with store.engine.begin() as conn:
                    await conn.execute(
                        story_log.update().where(story_log.c.seq.in_(unnamed)).values(stories=None)
                    )
            before = len(read)
            await _place(store, keeper, stream[start : start + 6], start)
            caught += len(read) > before
            mine, rebuilt = await _live_and_rebuilt(keeper, store, settings)
            assert mine == rebuilt, f"turn {turn}"
        assert [k.rebuilds for k in keepers] == [1, 1]  # every turn caught up, none rebuilt
        assert caught >= 3  # the other writer's regroupings were taken in, several times
        named = [(n, rows) for n, rows in read if n is not None]
        assert len(named) >= 2 and any(n is None for n, _ in read)  # both paths ran
        total = await stores[0].articles.count()
        assert all(rows < total for _, rows in named)  # only the named stories' articles were read
        logged = [r for r in await stores[0].story_log.since(0) if r["kind"] == "regroup"]
        assert logged and all(r["stories"] for r in logged if r["seq"] not in unnamed)
    finally:
        for store in stores:
            await store.close()


async def test_an_early_catch_up_reads_a_prefix_and_leaves_the_tail_to_the_lock(url: str) -> None:
    """A worker takes in others' placements before it waits for the writer lock (`sync(early=True)`),
    while another writer may commit: it sees the log only up to some row, but reads the articles
    as they are now (the later batch may have moved them). Under the lock it reads the tail; its
    index is then the one a rebuild gives, with no rebuild. What needs a rebuild is left to the
    sync under the lock."""
    settings = ClusteringSettings()
    stream = _articles(60, "ecbplus_dev")
    stores = [await Store.open(url), await Store.open(url)]
    try:
        other, mine = StoryKeeper(stores[0], settings), StoryKeeper(stores[1], settings)
        await _place(stores[1], mine, stream[:4], 0)
        whole, whole_last = stores[1].story_log.since, stores[1].story_log.last
        moved_after_cut = 0  # articles the early sync read in a story its log rows did not name yet
        for start in range(4, 52, 12):
            await _place(stores[0], other, stream[start : start + 4], start)
            cut = await stores[0].story_log.last()
            before = {int(r["id"]): r["story_id"] for r in await stores[0].articles.cluster_state()}
            await _place(stores[0], other, stream[start + 4 : start + 8], start + 4)
            after = {int(r["id"]): r["story_id"] for r in await stores[0].articles.cluster_state()}
            moved_after_cut += sum(after[i] != sid for i, sid in before.items())

            async def prefix(seq: int, cut: int = cut) -> Any:  # the log as it stood at `cut`
                return [r for r in await whole(seq) if int(r["seq"]) <= cut]

            stores[1].story_log.since = prefix  # type: ignore[method-assign]
            await mine.sync(early=True)
            stores[1].story_log.since = whole  # type: ignore[method-assign]
            assert mine._seen == cut
            # Every article not moved since the cut is where the database says (the moves the
            # prefix logged were applied); the rest wait for the rows that moved them, read next.
            assert mine._clusterer is not None
            index = mine._clusterer._index
            held = [(i, sid) for i, sid in before.items() if after[i] == sid and i in index.by_article]
            assert all(index.doc_story[index.by_article[i]] == sid for i, sid in held)
            await _place(stores[1], mine, stream[start + 8 : start + 12], start + 8)  # the tail, locked
            live, rebuilt = await _live_and_rebuilt(mine, stores[1], settings)
            assert live == rebuilt, f"articles from {start}"
        assert moved_after_cut > 0  # the race this test is about did happen
        assert mine.rebuilds == 1 and any(k.startswith("early") for k in mine.sync_spent)
        # A first (early) sync rebuilds before the lock, while the other writer may commit between
        # reading the log position and the articles: its rows then name articles already in.
        fresh = StoryKeeper(stores[1], settings)
        await _place(stores[0], other, stream[52:56], 52)
        cut = await stores[0].story_log.last()
        await _place(stores[0], other, stream[56:58], 56)

        async def position(cut: int = cut) -> int:  # the log as it stood before that last batch
            return cut

        stores[1].story_log.last = position  # type: ignore[method-assign]
        await fresh.sync(early=True)
        stores[1].story_log.last = whole_last  # type: ignore[method-assign]
        assert (fresh.rebuilds, fresh._seen) == (1, cut)
        newest = max(int(r["id"]) for r in await stores[1].articles.cluster_state())
        assert fresh._clusterer is not None and newest in fresh._clusterer._index.by_article
        await _place(stores[0], other, stream[58:60], 58)
        await _place(stores[1], fresh, [], 0)  # the sync under the lock: the held rows, then the rest
        assert (fresh.rebuilds, fresh.catch_ups) == (1, 1)
        live, rebuilt = await _live_and_rebuilt(fresh, stores[1], settings)
        assert live == rebuilt
    finally:
        for store in stores:
            await store.close()


async def test_a_process_writing_alone_skips_the_early_sync(url: str) -> None:
    """The early sync costs a log read a batch before the writer lock; while the syncs under the
    lock find nothing from other processes it is skipped, and it resumes once they find some."""
    settings = ClusteringSettings()
    stream = _articles(24, "ecbplus_dev")
    stores = [await Store.open(url), await Store.open(url)]
    try:
        other, mine = StoryKeeper(stores[0], settings), StoryKeeper(stores[1], settings)
        whole = stores[1].story_log.since
        reads = 0

        async def counted(seq: int) -> Any:
            nonlocal reads
            reads += 1
            return await whole(seq)

        stores[1].story_log.since = counted  # type: ignore[method-assign]
        await _place(stores[1], mine, stream[:4], 0)  # the first sync rebuilds
        await mine.sync(early=True)
        await _place(stores[1], mine, stream[4:8], 4)  # under the lock: only its own rows
        for start in (8, 12):
            before = reads
            await mine.sync(early=True)
            assert reads == before  # writing alone: skipped
            await _place(stores[1], mine, stream[start : start + 4], start)
            assert reads == before + 1  # the sync under the lock still reads the log
        await _place(stores[0], other, stream[16:20], 16)  # another process writes
        await _place(stores[1], mine, stream[20:22], 20)  # and this one takes that in
        before = reads
        await mine.sync(early=True)
        assert reads == before + 1  # so the early sync is back
        live, rebuilt = await _live_and_rebuilt(mine, stores[1], settings)
        assert live == rebuilt
    finally:
        for store in stores:
            await store.close()
