"""Feeds and their entries: the SQL behind `FeedBook`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.news.models import EntryState, Feed
from bot.news.store._articles import visible_to
from bot.news.store._claims import FeedClaims, row_to_feed
from bot.news.store._schema import articles, feed_entries, feeds


@dataclass
class EntryRecord:
    """What is known of one entry of a feed."""

    key: str
    ref: str
    fingerprint: str | None
    state: EntryState
    attempts: int
    article_id: int | None
    announce: bool
    last_error: str | None = None
    payload: str | None = None


@dataclass
class EntryWrite:
    """An entry's new state; `announce` and `first_seen` are only written when it is new."""

    key: str
    ref: str
    fingerprint: str
    state: EntryState
    attempts: int = 0
    article_id: int | None = None
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    payload: str | None = None
    published: datetime | None = None
    announce: bool = False


def _entry(row: Mapping[Any, Any]) -> EntryRecord:
    return EntryRecord(
        key=row["entry_key"],
        ref=row["ref"],
        fingerprint=row["content_hash"],
        state=row["state"],
        attempts=row["attempts"],
        article_id=row["article_id"],
        announce=bool(row["announce"]),
        last_error=row["last_error"],
        payload=row["payload"],
    )


def _same_scope(guild_id: int | None) -> Any:
    return feeds.c.guild_id.is_(None) if guild_id is None else feeds.c.guild_id == guild_id


class FeedRepo(FeedClaims):
    """SQL for feeds and feed entries (and, from `FeedClaims`, which worker polls which feed)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # Feeds are polled concurrently; on SQLite, concurrent write transactions convoy behind
        # one another (each spans several event-loop turns) until busy_timeout runs out. Taking
        # turns here keeps every write short and never times out.
        self._write_lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def _writing(self) -> AsyncIterator[None]:
        async with self._write_lock:
            yield

    async def _feeds(self, q: Any) -> list[Feed]:
        async with self.engine.connect() as conn:
            return [row_to_feed(r) for r in (await conn.execute(q)).mappings().all()]

    async def add(self, values: dict[str, Any]) -> Feed:
        async with self._writing(), self.engine.begin() as conn:
            result = await conn.execute(feeds.insert().values(**values))
            pk = result.inserted_primary_key
        assert pk is not None
        found = await self.get(int(pk[0]))
        assert found is not None
        return found

    async def get(self, feed_id: int) -> Feed | None:
        found = await self._feeds(select(feeds).where(feeds.c.id == feed_id))
        return found[0] if found else None

    async def find(self, url: str, guild_id: int | None) -> Feed | None:
        found = await self._feeds(select(feeds).where(feeds.c.url == url, _same_scope(guild_id)))
        return found[0] if found else None

    async def list_feeds(self, *, guild_id: int | None = None, everything: bool = False) -> list[Feed]:
        """Feeds of one server (guild_id), the shared ones (None), or all of them."""
        q = select(feeds).order_by(feeds.c.id)
        if not everything:
            q = q.where(_same_scope(guild_id))
        return await self._feeds(q)

    async def count(self, guild_id: int | None) -> int:
        async with self.engine.connect() as conn:
            q = select(func.count()).select_from(feeds).where(_same_scope(guild_id))
            return int((await conn.execute(q)).scalar_one())

    async def update(self, feed_id: int, **values: Any) -> None:
        async with self._writing(), self.engine.begin() as conn:
            await conn.execute(feeds.update().where(feeds.c.id == feed_id).values(**values))

    async def remove(self, feed_id: int) -> None:
        async with self._writing(), self.engine.begin() as conn:
            await conn.execute(feed_entries.delete().where(feed_entries.c.feed_id == feed_id))
            await conn.execute(feeds.delete().where(feeds.c.id == feed_id))

    async def move(self, feed_id: int, url: str, same: Callable[[str], bool]) -> Feed | None:
        """Give the feed a new URL; if another feed of its scope already has it (`same` says
        whether a stored URL is the new one), remove this feed instead and return that one."""
        async with self._writing(), self.engine.begin() as conn:
            q = select(feeds.c.guild_id).where(feeds.c.id == feed_id)
            row = (await conn.execute(q)).first()
            if row is None:  # removed meanwhile
                return None
            q = select(feeds).where(_same_scope(row[0]), feeds.c.id != feed_id).order_by(feeds.c.id)
            for other in (await conn.execute(q)).mappings().all():
                if same(other["url"]):
                    await conn.execute(feed_entries.delete().where(feed_entries.c.feed_id == feed_id))
                    await conn.execute(feeds.delete().where(feeds.c.id == feed_id))
                    return row_to_feed(other)
            await conn.execute(feeds.update().where(feeds.c.id == feed_id).values(url=url))
        return None

    async def due(self, now: datetime) -> list[Feed]:
        """Feeds whose next poll time has come (or was never set)."""
        cond = or_(feeds.c.next_poll_at.is_(None), feeds.c.next_poll_at <= now)
        return await self._feeds(select(feeds).where(cond).order_by(feeds.c.next_poll_at, feeds.c.id))

    async def next_due_at(self) -> datetime | None:
        async with self.engine.connect() as conn:
            value = (await conn.execute(select(func.min(feeds.c.next_poll_at)))).scalar_one()
        return value if isinstance(value, datetime) else None

    async def needing_alert(self) -> list[Feed]:
        return await self._feeds(select(feeds).where(feeds.c.failing.is_(True), feeds.c.alerted.is_(False)))

    # Entries
    async def entry_index(self, feed_id: int) -> dict[str, EntryRecord]:
        """Every known entry of the feed, by key (payloads left out: they are only for retries)."""
        cols = [c for c in feed_entries.c if c.name != "payload"]
        q = select(*cols).where(feed_entries.c.feed_id == feed_id)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q)).mappings().all()
        return {r["entry_key"]: _entry({**r, "payload": None}) for r in rows}

    async def pending_entries(self, now: datetime, feed_ids: Iterable[int]) -> dict[int, list[EntryRecord]]:
        """Entries waiting for another try whose time has come, by feed."""
        ids = list(feed_ids)
        if not ids:
            return {}
        q = select(feed_entries).where(
            feed_entries.c.state == "pending",
            feed_entries.c.feed_id.in_(ids),
            or_(feed_entries.c.next_attempt_at.is_(None), feed_entries.c.next_attempt_at <= now),
        )
        out: dict[int, list[EntryRecord]] = {}
        async with self.engine.connect() as conn:
            for r in (await conn.execute(q.order_by(feed_entries.c.id))).mappings().all():
                out.setdefault(int(r["feed_id"]), []).append(_entry(r))
        return out

    async def save_entries(self, feed_id: int, writes: Sequence[EntryWrite], now: datetime) -> None:
        """Insert new entries and update known ones: one upsert statement, one transaction."""
        if not writes:
            return
        insert_fn: Any = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        rows = [
            {
                "feed_id": feed_id,
                "entry_key": w.key,
                "ref": w.ref,
                "article_id": w.article_id,
                "content_hash": w.fingerprint,
                "state": w.state,
                "attempts": w.attempts,
                "last_error": w.last_error,
                "next_attempt_at": w.next_attempt_at,
                "payload": w.payload,
                "published": w.published,
                "announce": w.announce,
                "first_seen": now,
                "updated_at": now,
            }
            for w in writes
        ]
        stmt = insert_fn(feed_entries)
        kept = ("feed_id", "entry_key", "announce", "first_seen")  # what an entry keeps from its first sight
        stmt = stmt.on_conflict_do_update(
            index_elements=["feed_id", "entry_key"],
            set_={name: stmt.excluded[name] for name in rows[0] if name not in kept},
        )
        async with self._writing(), self.engine.begin() as conn:
            await conn.execute(stmt, rows)

    async def failed_entries(
        self, feed_ids: Sequence[int], limit: int = 20
    ) -> list[tuple[int, str, str, int, str]]:
        """(feed id, key, state, attempts, error) of entries that are not ok, newest first."""
        if not feed_ids:
            return []
        q = (
            select(
                feed_entries.c.feed_id,
                feed_entries.c.entry_key,
                feed_entries.c.state,
                feed_entries.c.attempts,
                feed_entries.c.last_error,
            )
            .where(feed_entries.c.feed_id.in_(list(feed_ids)), feed_entries.c.state != "ok")
            .order_by(feed_entries.c.updated_at.desc())
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q)).all()
        return [(int(r[0]), str(r[1]), str(r[2]), int(r[3]), str(r[4] or "")) for r in rows]

    async def article_ids(self, refs: Sequence[str]) -> dict[str, int]:
        """Article ids of the given refs (refs not stored are left out)."""
        return {ref: article_id for ref, (article_id, _feed) in (await self.article_sources(refs)).items()}

    async def article_sources(self, refs: Sequence[str]) -> dict[str, tuple[int, int | None]]:
        """(article id, feed id) of the given refs that are stored."""
        out: dict[str, tuple[int, int | None]] = {}
        unique = list(dict.fromkeys(refs))
        async with self.engine.connect() as conn:
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                q = select(articles.c.ref, articles.c.id, articles.c.feed_id).where(articles.c.ref.in_(chunk))
                for r in (await conn.execute(q)).all():
                    out[str(r[0])] = (int(r[1]), None if r[2] is None else int(r[2]))
        return out

    async def held_back(self, article_ids: Sequence[int]) -> set[int]:
        """Of these articles, the ones only ever seen as a feed's back catalogue (not to announce)."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return set()
        announced = func.max(feed_entries.c.announce.cast(Integer))
        q = (
            select(feed_entries.c.article_id)
            .where(feed_entries.c.article_id.in_(ids))
            .group_by(feed_entries.c.article_id)
            .having(announced == 0)
        )
        async with self.engine.connect() as conn:
            return {int(r[0]) for r in (await conn.execute(q)).all()}

    async def announceable_since(self, since: datetime, guild_id: int | None) -> list[int]:
        """Article ids that arrived from feeds since `since` and may be announced, oldest first."""
        q = (
            select(articles.c.id)
            .join(feed_entries, feed_entries.c.article_id == articles.c.id)
            .where(and_(articles.c.ingested_at >= since, feed_entries.c.announce.is_(True)))
            .distinct()
            .order_by(articles.c.id)
        )
        if guild_id is not None:
            q = q.where(visible_to(guild_id))
        async with self.engine.connect() as conn:
            return [int(r[0]) for r in (await conn.execute(q)).all()]
