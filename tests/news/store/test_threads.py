"""Story -> thread per channel (v6): stored, replaced when a thread is gone, kept per channel; the
v6 migration adds the table and the schedule/live targets to a v5 database that lacks them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, text

from bot.news import BadArgument
from bot.news.desk import NewsDesk
from bot.news.store import Store
from bot.news.store._db import schema_version
from bot.news.store._schema import meta, stories

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


async def test_a_story_thread_is_remembered_per_channel_and_replaced_when_gone(db_url: str) -> None:
    store = await Store.open(db_url)
    try:
        repo = store.threads
        await repo.put(10, 1, 1001, 1001, T0)
        await repo.put(10, 2, 1002, None, T0)
        await repo.put(20, 1, 2001, 555, T0)  # the same story in another channel: its own thread
        got = await repo.get(10, [1, 2, 3])
        assert {k: v.thread_id for k, v in got.items()} == {1: 1001, 2: 1002}
        assert got[1].starter_id == 1001 and got[2].starter_id is None
        assert (await repo.get(20, [1]))[1].thread_id == 2001
        assert await repo.get(10, []) == {}

        later = T0 + timedelta(hours=1)
        await repo.touch(10, 1, later)
        assert (await repo.get(10, [1]))[1].updated_at == later

        await repo.put(10, 1, 1111, 1111, later)  # the thread was deleted: a new one replaces it
        (replaced,) = (await repo.get(10, [1])).values()
        assert replaced.thread_id == 1111 and replaced.created_at == later

        await repo.forget(10, 2)
        assert set(await repo.get(10, [1, 2])) == {1}
        found = await repo.of_thread(2001)
        assert found is not None and (found.channel_id, found.story_id) == (20, 1)
        assert await repo.of_thread(1002) is None
    finally:
        await store.close()


async def test_the_mapping_survives_reopening(db_url: str) -> None:
    store = await Store.open(db_url)
    await store.threads.put(10, 7, 77, 77, T0)
    await store.close()
    store = await Store.open(db_url)
    try:
        assert (await store.threads.get(10, [7]))[7].thread_id == 77
    finally:
        await store.close()


async def test_a_v5_database_gains_threads_and_targets(db_url: str) -> None:
    store = await Store.open(db_url)
    async with store.engine.begin() as conn:  # back to what a v5 database looks like
        await conn.execute(text("DROP TABLE story_threads"))
        await conn.execute(text("ALTER TABLE schedules DROP COLUMN target"))
        await conn.execute(text("ALTER TABLE live_channels DROP COLUMN target"))
        await conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="5"))
    await store.close()

    store = await Store.open(db_url)
    try:
        assert await schema_version(store.engine) >= 6
        async with store.engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
            sched = await conn.run_sync(lambda c: {x["name"] for x in inspect(c).get_columns("schedules")})
            live = await conn.run_sync(lambda c: {x["name"] for x in inspect(c).get_columns("live_channels")})
        assert "story_threads" in tables and "target" in sched and "target" in live
        await store.threads.put(1, 1, 2, None, T0)
        assert set(await store.threads.get(1, [1])) == {1}
    finally:
        await store.close()


async def test_schedules_and_live_boards_keep_their_target(desk: NewsDesk) -> None:
    plain = await desk.schedules.add(1, 10, "0 8 * * *", "UTC")
    forum = await desk.schedules.add(1, 11, "0 8 * * *", "UTC", target="forum")
    threads = await desk.schedules.add(1, 12, "0 8 * * *", "UTC", target="threads")
    assert [s.target for s in await desk.schedules.all(1)] == ["channel", "forum", "threads"]
    assert (plain.target, forum.target, threads.target) == ("channel", "forum", "threads")
    with pytest.raises(BadArgument, match="target"):
        await desk.schedules.add(1, 13, "0 8 * * *", "UTC", target="voice")  # type: ignore[arg-type]

    board = await desk.live.start(1, 20, target="threads")
    assert board.target == "threads"
    assert (await desk.live.channel(1)).target == "threads"  # type: ignore[union-attr]
    await desk.live.start(1, 21)  # replacing the board resets it to the channel itself
    assert (await desk.live.channel(1)).target == "channel"  # type: ignore[union-attr]


async def test_a_merged_storys_thread_becomes_the_survivors(desk: NewsDesk) -> None:
    async with desk.store.transaction() as conn:
        for sid, merged_into in ((1, None), (2, 1)):
            await conn.execute(
                stories.insert().values(
                    id=sid, headline=f"story {sid}", first_seen=T0, last_updated=T0, merged_into=merged_into
                )
            )
    await desk.threads.opened(10, 2, 222, 222)  # story 2 got a thread, then merged into story 1
    adopted = await desk.threads.thread(10, 1)
    assert adopted is not None and (adopted.story_id, adopted.thread_id) == (1, 222)
    assert (await desk.threads.thread(10, 1)).thread_id == 222  # type: ignore[union-attr]
    assert await desk.threads.thread(20, 1) is None  # another channel: none
    await desk.threads.gone(10, 1)
    assert await desk.threads.thread(10, 1) is None
