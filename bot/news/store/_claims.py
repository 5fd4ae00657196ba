"""Feed claims: which worker polls a feed now, so no feed is ever polled twice at once.

A worker claims a batch of due feeds in one short statement, polls them outside any transaction,
and releases each when its result is recorded. A claim is a lease (`claimed_until`): a worker
that dies without releasing loses its feeds when the lease ends; a live one renews it.

On PostgreSQL the claim picks its rows `FOR UPDATE SKIP LOCKED`, so workers claiming together
never wait for one another and never pick the same feed (the row lock re-checks the lease on the
row as the other worker left it). SQLite has no row locks and ignores that clause; there the one
UPDATE statement holds the database's write lock while it picks, which gives the same guarantee.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.news.models import Feed
from bot.news.store._schema import feeds

_NEVER = datetime.min.replace(tzinfo=UTC)
_FEED_FIELDS = tuple(Feed.model_fields)


def row_to_feed(row: RowMapping) -> Feed:
    return Feed.model_validate({k: row[k] for k in _FEED_FIELDS})


def _free(now: datetime) -> Any:
    """Not claimed, or claimed by a lease that has run out."""
    return or_(feeds.c.claimed_until.is_(None), feeds.c.claimed_until <= now)


def _due(now: datetime) -> Any:
    return or_(feeds.c.next_poll_at.is_(None), feeds.c.next_poll_at <= now)


class FeedClaims:
    """The claiming half of `FeedRepo` (it supplies the engine and the write turn-taking)."""

    engine: AsyncEngine

    def _writing(self) -> contextlib.AbstractAsyncContextManager[None]:
        raise NotImplementedError

    async def claim(
        self,
        worker: str,
        now: datetime,
        lease: float,
        *,
        limit: int | None = None,
        every: bool = False,
        feed_ids: Sequence[int] | None = None,
    ) -> list[Feed]:
        """Claim up to `limit` due feeds (every unclaimed feed with `every`) for `worker` until
        `now + lease`, most overdue first; feeds another worker holds are left alone."""
        pick = select(feeds.c.id).where(_free(now))
        if not every:
            pick = pick.where(_due(now))
        if feed_ids is not None:
            pick = pick.where(feeds.c.id.in_(list(feed_ids)))
        pick = pick.order_by(feeds.c.next_poll_at.asc().nulls_first(), feeds.c.id)
        if limit is not None:
            pick = pick.limit(limit)
        stmt = (
            feeds.update()
            .where(feeds.c.id.in_(pick.with_for_update(skip_locked=True).scalar_subquery()))
            .values(claimed_by=worker, claimed_until=now + timedelta(seconds=lease))
            .returning(*feeds.c)
        )
        async with self._writing(), self.engine.begin() as conn:
            rows = (await conn.execute(stmt)).mappings().all()
        claimed = [row_to_feed(r) for r in rows]
        return sorted(claimed, key=lambda f: (f.next_poll_at or _NEVER, f.id))

    async def renew(self, worker: str, feed_ids: Sequence[int], until: datetime) -> set[int]:
        """Extend `worker`'s claims on these feeds; returns the ids it still held."""
        if not feed_ids:
            return set()
        stmt = (
            feeds.update()
            .where(feeds.c.id.in_(list(feed_ids)), feeds.c.claimed_by == worker)
            .values(claimed_until=until)
            .returning(feeds.c.id)
        )
        async with self._writing(), self.engine.begin() as conn:
            return {int(r[0]) for r in (await conn.execute(stmt)).all()}

    async def release(self, worker: str, feed_ids: Sequence[int] | None = None) -> int:
        """Give up `worker`'s claims (on these feeds, else all of them); returns how many."""
        cond = feeds.c.claimed_by == worker
        if feed_ids is not None:
            if not feed_ids:
                return 0
            cond = cond & feeds.c.id.in_(list(feed_ids))
        stmt = feeds.update().where(cond).values(claimed_by=None, claimed_until=None)
        async with self._writing(), self.engine.begin() as conn:
            return int((await conn.execute(stmt)).rowcount)

    async def due_count(self, now: datetime) -> int:
        """How many feeds are due now, claimed or not (a worker waits for more while any are)."""
        async with self.engine.connect() as conn:
            q = select(func.count()).select_from(feeds).where(_due(now))
            return int((await conn.execute(q)).scalar_one())

    async def claims(self) -> dict[int, tuple[str, datetime | None]]:
        """Feed id -> (worker, lease end) of every feed claimed now (or left claimed by a dead one)."""
        q = select(feeds.c.id, feeds.c.claimed_by, feeds.c.claimed_until).where(
            feeds.c.claimed_by.is_not(None)
        )
        async with self.engine.connect() as conn:
            return {int(r[0]): (str(r[1]), r[2]) for r in (await conn.execute(q)).all()}
