"""Digest schedules, the exactly-once digest ledger, and small key/value runtime state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.news.store._db import within
from bot.news.store._schema import digest_ledger, meta, schedules


class ScheduleRepo:
    """SQL for digest schedules."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def insert(self, values: dict[str, Any]) -> int:
        async with self.engine.begin() as conn:
            pk = (await conn.execute(schedules.insert().values(**values))).inserted_primary_key
        assert pk is not None
        return int(pk[0])

    async def get(self, schedule_id: int) -> RowMapping | None:
        async with self.engine.connect() as conn:
            q = select(schedules).where(schedules.c.id == schedule_id)
            return (await conn.execute(q)).mappings().first()

    async def list(self, guild_id: int | None = None) -> list[RowMapping]:
        q = select(schedules).order_by(schedules.c.id)
        if guild_id is not None:
            q = q.where(schedules.c.guild_id == guild_id)
        async with self.engine.connect() as conn:
            return list((await conn.execute(q)).mappings().all())

    async def count(self, guild_id: int) -> int:
        q = select(func.count()).select_from(schedules).where(schedules.c.guild_id == guild_id)
        async with self.engine.connect() as conn:
            return int((await conn.execute(q)).scalar_one())

    async def delete(self, schedule_id: int) -> None:
        async with self.engine.begin() as conn:
            # Explicit, so it also holds where foreign keys are not enforced.
            await conn.execute(digest_ledger.delete().where(digest_ledger.c.schedule_id == schedule_id))
            await conn.execute(schedules.delete().where(schedules.c.id == schedule_id))

    async def update(self, schedule_id: int, **values: Any) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(schedules.update().where(schedules.c.id == schedule_id).values(**values))


class LedgerRepo:
    """SQL for the digest ledger: one row per (schedule, fire time)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def claim(self, values: dict[str, Any]) -> int | None:
        """Insert a claim; None when this (schedule, fire time) was already claimed."""
        try:
            async with self.engine.begin() as conn:
                pk = (await conn.execute(digest_ledger.insert().values(**values))).inserted_primary_key
        except IntegrityError:
            return None
        assert pk is not None
        return int(pk[0])

    async def get(self, entry_id: int) -> RowMapping | None:
        async with self.engine.connect() as conn:
            q = select(digest_ledger).where(digest_ledger.c.id == entry_id)
            return (await conn.execute(q)).mappings().first()

    async def by_fire(self, schedule_id: int, fire_time: datetime) -> RowMapping | None:
        q = select(digest_ledger).where(
            digest_ledger.c.schedule_id == schedule_id, digest_ledger.c.fire_time == fire_time
        )
        async with self.engine.connect() as conn:
            return (await conn.execute(q)).mappings().first()

    async def update(self, entry_id: int, **values: Any) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(digest_ledger.update().where(digest_ledger.c.id == entry_id).values(**values))

    async def take(self, entry_id: int, claimed_at: datetime) -> bool:
        """Turn a 'due' row into this process's claim; False if another process took it first.

        One conditional UPDATE: the database lets exactly one of several racing processes
        change the state, on SQLite and PostgreSQL alike, with no lock held across the post.
        """
        q = (
            digest_ledger.update()
            .where(digest_ledger.c.id == entry_id, digest_ledger.c.state == "due")
            .values(state="claimed", claimed_at=claimed_at)
        )
        async with self.engine.begin() as conn:
            return (await conn.execute(q)).rowcount == 1

    async def in_state(self, state: str) -> list[RowMapping]:
        q = select(digest_ledger).where(digest_ledger.c.state == state).order_by(digest_ledger.c.id)
        async with self.engine.connect() as conn:
            return list((await conn.execute(q)).mappings().all())

    async def last_posted(self, channel_id: int, before: datetime) -> RowMapping | None:
        """The channel's most recent posted digest fired before `before`."""
        q = (
            select(digest_ledger)
            .where(
                digest_ledger.c.channel_id == channel_id,
                digest_ledger.c.state == "posted",
                digest_ledger.c.fire_time < before,
            )
            .order_by(digest_ledger.c.fire_time.desc(), digest_ledger.c.id.desc())
            .limit(1)
        )
        async with self.engine.connect() as conn:
            return (await conn.execute(q)).mappings().first()

    async def recent(self, schedule_id: int, limit: int) -> list[RowMapping]:
        q = (
            select(digest_ledger)
            .where(digest_ledger.c.schedule_id == schedule_id)
            .order_by(digest_ledger.c.fire_time.desc(), digest_ledger.c.id.desc())
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            return list((await conn.execute(q)).mappings().all())


class MetaRepo:
    """Key/value state in the `meta` table (e.g. the hash of the last synced command set)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def get(self, key: str, conn: AsyncConnection | None = None) -> str | None:
        async with within(self.engine, conn) as conn:
            row = (await conn.execute(select(meta.c.value).where(meta.c.key == key))).first()
        return str(row[0]) if row else None

    async def set(self, key: str, value: str, conn: AsyncConnection | None = None) -> None:
        """Set a value (within `conn`'s transaction, if given)."""
        async with within(self.engine, conn) as conn:
            found = (await conn.execute(select(meta.c.key).where(meta.c.key == key))).first()
            if found:
                await conn.execute(meta.update().where(meta.c.key == key).values(value=value))
            else:
                await conn.execute(meta.insert().values(key=key, value=value))
