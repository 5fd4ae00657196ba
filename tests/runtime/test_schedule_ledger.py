"""Schedules and the exactly-once ledger (engine side), on a real SQLite database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.news.errors import BadArgument, NotFound
from bot.news.schedules import ScheduleBook, digest_nonce, split_keywords
from bot.news.store import Store

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
GUILD, OTHER_GUILD, CHANNEL = 111, 222, 333


@pytest.fixture
async def book(tmp_path: Path) -> AsyncIterator[ScheduleBook]:
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")
    yield ScheduleBook(store, lambda: NOW)
    await store.close()


async def test_crud_is_scoped_to_the_server(book: ScheduleBook) -> None:
    s = await book.add(GUILD, CHANNEL, " 0  8 * * * ", "Europe/Berlin", keywords="ferry, Strike ,ferry")
    assert (s.cron, s.timezone, s.keywords, s.paused) == (
        "0 8 * * *",
        "Europe/Berlin",
        ["ferry", "Strike"],
        False,
    )
    assert [x.id for x in await book.all(GUILD)] == [s.id]
    assert await book.all(OTHER_GUILD) == []
    with pytest.raises(NotFound):
        await book.remove(s.id, guild_id=OTHER_GUILD)  # another server cannot touch it
    await book.pause(s.id, "403 Missing Permissions")
    assert (await book.get(s.id)).paused_reason == "403 Missing Permissions"
    assert not (await book.resume(s.id, guild_id=GUILD)).paused
    await book.remove(s.id, guild_id=GUILD)
    with pytest.raises(NotFound):
        await book.get(s.id)


@pytest.mark.parametrize(
    ("cron", "zone", "kw", "needle"),
    [
        ("0 8 * *", "UTC", {}, "5-field"),
        ("0 8 * * *", "Nowhere/City", {}, "time zone"),
        ("0 8 * * *", "UTC", {"min_outlets": 0}, "min_outlets"),
    ],
)
async def test_bad_schedules_are_refused(
    book: ScheduleBook, cron: str, zone: str, kw: dict[str, int], needle: str
) -> None:
    with pytest.raises(BadArgument, match=needle):
        await book.add(GUILD, CHANNEL, cron, zone, **kw)  # type: ignore[arg-type]


def test_keywords_and_nonce() -> None:
    assert split_keywords(None) == [] and split_keywords(["a", " A ", "b  c"]) == ["a", "b c"]
    with pytest.raises(BadArgument):
        split_keywords(",".join(f"w{i}" for i in range(11)))
    nonce = digest_nonce(123456, NOW)
    assert nonce == digest_nonce(123456, NOW) and len(nonce) <= 25  # Discord's nonce limit


async def test_claim_is_once_per_fire_time(book: ScheduleBook) -> None:
    s = await book.add(GUILD, CHANNEL, "0 9 * * *", "UTC")
    first = await book.claim(s, NOW, default_hours=24)
    assert first is not None and first.state == "claimed" and first.since == NOW - timedelta(hours=24)
    assert await book.claim(s, NOW, default_hours=24) is None  # the unique (schedule, fire time)
    assert [e.id for e in await book.unrecorded()] == [first.id]
    await book.record_contents(first.id, {7: 3, 9: 1})
    await book.record_posted(first, message_id=555)
    posted = await book.entry(first.id)
    assert (posted.state, posted.message_id, posted.story_ids) == ("posted", 555, {7: 3, 9: 1})
    assert await book.unrecorded() == []
    assert (await book.get(s.id)).last_fire_at == NOW


async def test_next_digest_covers_since_the_channels_previous_one(book: ScheduleBook) -> None:
    morning = await book.add(GUILD, CHANNEL, "0 9 * * *", "UTC")
    evening = await book.add(GUILD, CHANNEL, "0 18 * * *", "UTC")
    e1 = await book.claim(morning, NOW, default_hours=24)
    assert e1 is not None
    await book.record_contents(e1.id, {1: 2})
    await book.record_posted(e1, 1)
    e2 = await book.claim(evening, NOW + timedelta(hours=9), default_hours=24)
    assert e2 is not None and e2.since == NOW  # the channel's previous digest, whichever schedule
    prev = await book.previous_digest(CHANNEL, e2.fire_time)
    assert prev is not None and prev.story_ids == {1: 2}
    skipped = await book.claim(morning, NOW + timedelta(days=1), default_hours=24)
    assert skipped is not None
    await book.record_outcome(skipped.id, "skipped", "no new stories")
    e4 = await book.claim(evening, NOW + timedelta(days=1, hours=9), default_hours=24)
    assert e4 is not None and e4.since == NOW  # a skipped digest is not a previous digest


async def test_remembered_state(book: ScheduleBook) -> None:
    assert await book.remembered("command_sync_hash") is None
    await book.remember("command_sync_hash", "abc")
    await book.remember("command_sync_hash", "def")
    assert await book.remembered("command_sync_hash") == "def"
    with pytest.raises(ValueError):
        await book.remember("schema version", "1")
