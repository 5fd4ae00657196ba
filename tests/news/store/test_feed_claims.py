"""Feed claims (schema v7): a worker claims due feeds for a lease, renews and releases them; a
feed held by one worker is never handed to another until that lease has run out."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect, text

from bot.news.store import Store
from bot.news.store._db import schema_version
from bot.news.store._schema import meta
from tests.clock import FakeClock


async def _store_with_feeds(db_url: str, clock: FakeClock, n: int) -> Store:
    store = await Store.open(db_url)
    for i in range(n):
        await store.feeds.add(
            {"url": f"https://example.test/{i}.xml", "guild_id": None, "origin": "cli", "interval": 900.0}
            | {"created_at": clock(), "failures": 0, "failing": False, "alerted": False}
        )
    return store


async def test_a_claimed_feed_goes_to_no_one_else_until_its_lease_ends(db_url: str, clock: FakeClock) -> None:
    store = await _store_with_feeds(db_url, clock, 5)
    try:
        repo = store.feeds
        first = await repo.claim("a", clock(), 60, limit=3)
        assert [f.id for f in first] == [1, 2, 3]
        rest = await repo.claim("b", clock(), 60)
        assert [f.id for f in rest] == [4, 5]
        assert await repo.claim("c", clock(), 60, every=True) == []  # even a forced round skips them
        held = await repo.claims()
        assert {i: who for i, (who, _) in held.items()} == {1: "a", 2: "a", 3: "a", 4: "b", 5: "b"}

        # b finishes feed 4 and releases it; a cannot release what b holds.
        await repo.update(4, next_poll_at=clock() + timedelta(minutes=15))
        assert await repo.release("b", [4]) == 1 and await repo.release("a", [5]) == 0
        clock.advance(seconds=30)
        assert await repo.renew("a", [1, 2, 3, 5], clock() + timedelta(seconds=60)) == {1, 2, 3}
        clock.advance(seconds=45)  # b's lease (on feed 5) has run out; a's renewed ones have not
        taken = await repo.claim("c", clock(), 60)
        assert [f.id for f in taken] == [5]  # feed 4 is not due again yet
        assert await repo.renew("b", [5], clock() + timedelta(seconds=60)) == set()  # b lost it
        assert await repo.release("a") == 3
        assert [f.id for f in await repo.claim("c", clock(), 60, feed_ids=[1, 4, 5])] == [1]
        assert await repo.due_count(clock()) == 4  # 1, 2, 3 and 5: claimed or not, still due
    finally:
        await store.close()


async def test_a_v5_database_gets_the_claim_columns(db_url: str, clock: FakeClock) -> None:
    store = await _store_with_feeds(db_url, clock, 1)
    async with store.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE feeds DROP COLUMN claimed_by"))
        await conn.execute(text("ALTER TABLE feeds DROP COLUMN claimed_until"))
        await conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="5"))
    await store.close()
    store = await Store.open(db_url)
    try:
        assert await schema_version(store.engine) >= 7
        async with store.engine.connect() as conn:
            columns = await conn.run_sync(lambda c: {col["name"] for col in inspect(c).get_columns("feeds")})
        assert {"claimed_by", "claimed_until"} <= columns
        assert [f.id for f in await store.feeds.claim("a", clock(), 60)] == [1]
    finally:
        await store.close()
