"""Digest schedules and the exactly-once ledger (no Discord, no scheduler: the runtime drives it).

A scheduled digest goes through: claim (one ledger row per schedule and fire time, unique) ->
post with a nonce -> record the message id. A row left `claimed` by a crash is looked up in the
channel by the runtime before anything is posted again.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field
from sqlalchemy.engine import RowMapping

from bot.news.errors import BadArgument, NotFound
from bot.news.filters import StoryFilter, parse_filter
from bot.news.store import LeaderLock, Store
from bot.news.threads import Target, check_target

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
LedgerState = Literal["due", "claimed", "posted", "failed", "skipped"]

MAX_SCHEDULES_PER_GUILD = 25
MAX_KEYWORDS = 10
MAX_ERROR_CHARS = 500


class Schedule(BaseModel):
    """A recurring digest for one channel."""

    id: int
    guild_id: int
    channel_id: int
    cron: str
    timezone: str
    min_outlets: int = 1
    keywords: list[str] = Field(default_factory=list)
    mention_role_id: int | None = None
    created_by: int | None = None
    created_at: datetime
    paused_reason: str | None = None
    last_fire_at: datetime | None = None
    filters: StoryFilter = Field(default_factory=StoryFilter)
    target: Target = "channel"  # channel | threads (a thread per story) | forum (a post per story)

    @property
    def paused(self) -> bool:
        return self.paused_reason is not None


class LedgerEntry(BaseModel):
    """One (schedule, fire time): claimed, then posted (or failed / skipped)."""

    id: int
    schedule_id: int
    channel_id: int
    fire_time: datetime
    state: LedgerState
    nonce: str
    message_id: int | None = None
    story_ids: dict[int, int] = Field(default_factory=dict)  # story id -> article count
    since: datetime | None = None
    claimed_at: datetime
    posted_at: datetime | None = None
    error: str | None = None


def check_timezone(name: str) -> ZoneInfo:
    """The zone called `name`, or BadArgument with an example of a valid one."""
    name = name.strip()
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadArgument(
            f"Unknown time zone {name!r}. Use an IANA name such as Europe/Berlin, America/New_York or UTC."
        ) from None


def split_keywords(raw: str | Sequence[str] | None) -> list[str]:
    """Keywords from 'a, b, c' (or a list), trimmed, without duplicates."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw or [])
    seen: dict[str, str] = {}
    for part in parts:
        word = " ".join(part.split())
        if word:
            seen.setdefault(word.casefold(), word[:60])
    if len(seen) > MAX_KEYWORDS:
        raise BadArgument(f"At most {MAX_KEYWORDS} keywords, please.")
    return list(seen.values())


def digest_nonce(schedule_id: int, fire_time: datetime) -> str:
    """The nonce of one scheduled post: the same after a restart, at most 25 characters (Discord)."""
    return f"sd{schedule_id}.{int(fire_time.timestamp())}"


def _schedule(row: RowMapping) -> Schedule:
    return Schedule(
        id=row["id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        cron=row["cron"],
        timezone=row["timezone"],
        min_outlets=row["min_outlets"],
        keywords=json.loads(row["keywords"] or "[]"),
        mention_role_id=row["mention_role_id"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        paused_reason=row["paused_reason"],
        last_fire_at=row["last_fire_at"],
        filters=load_filter(row["filters"]),
        target=row["target"] or "channel",
    )


def load_filter(raw: str | None) -> StoryFilter:
    """A stored filter (NULL: none)."""
    return StoryFilter.model_validate_json(raw) if raw else StoryFilter()


def dump_filter(story_filter: StoryFilter) -> str | None:
    """A filter as stored (none: NULL)."""
    return None if story_filter.empty else story_filter.model_dump_json()


def _entry(row: RowMapping) -> LedgerEntry:
    return LedgerEntry(
        id=row["id"],
        schedule_id=row["schedule_id"],
        channel_id=row["channel_id"],
        fire_time=row["fire_time"],
        state=row["state"],
        nonce=row["nonce"],
        message_id=row["message_id"],
        story_ids={int(k): int(v) for k, v in json.loads(row["story_ids"] or "{}").items()},
        since=row["since"],
        claimed_at=row["claimed_at"],
        posted_at=row["posted_at"],
        error=row["error"],
    )


class ScheduleBook:
    """Schedule CRUD and the digest ledger, over the engine's database."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self.schedules = store.schedules
        self.ledger = store.ledger
        self.meta = store.meta
        self.clock = clock

    # Schedules
    async def add(
        self,
        guild_id: int,
        channel_id: int,
        cron: str,
        timezone: str,
        *,
        min_outlets: int = 1,
        keywords: str | Sequence[str] | None = None,
        mention_role_id: int | None = None,
        created_by: int | None = None,
        include: str | Sequence[str] | None = None,
        exclude: str | Sequence[str] | None = None,
        target: Target = "channel",
    ) -> Schedule:
        """Store a new schedule (the runtime has already checked that `cron` parses); `include`
        and `exclude` are filter entries ("ukraine, nato, outlet:Reuters"); `target` says whether
        stories go into the channel, a thread per story, or a forum post per story."""
        cron = " ".join(cron.split())
        if len(cron.split()) != 5 or len(cron) > 120:
            raise BadArgument(
                "A schedule needs a 5-field cron expression, e.g. `0 8 * * *` (every day at 08:00)."
            )
        zone = check_timezone(timezone)
        if min_outlets < 1:
            raise BadArgument("min_outlets must be 1 or more.")
        words = split_keywords(keywords)
        story_filter = parse_filter(include, exclude)
        check_target(target)
        if await self.schedules.count(guild_id) >= MAX_SCHEDULES_PER_GUILD:
            raise BadArgument(
                f"This server already has {MAX_SCHEDULES_PER_GUILD} schedules; remove one first."
            )
        new_id = await self.schedules.insert(
            {
                "guild_id": guild_id,
                "channel_id": channel_id,
                "cron": cron,
                "timezone": zone.key,
                "min_outlets": min_outlets,
                "keywords": json.dumps(words),
                "mention_role_id": mention_role_id,
                "created_by": created_by,
                "created_at": self.clock(),
                "filters": dump_filter(story_filter),
                "target": None if target == "channel" else target,
            }
        )
        log.info(
            "schedule %d added: guild %d channel %d cron %r %s", new_id, guild_id, channel_id, cron, zone.key
        )
        return await self.get(new_id)

    async def get(self, schedule_id: int, *, guild_id: int | None = None) -> Schedule:
        """One schedule; NotFound if it does not exist or belongs to another server."""
        row = await self.schedules.get(schedule_id)
        if row is None or (guild_id is not None and row["guild_id"] != guild_id):
            raise NotFound(f"There is no schedule {schedule_id} on this server.")
        return _schedule(row)

    async def all(self, guild_id: int | None = None) -> list[Schedule]:
        """Schedules of one server (None: all of them), oldest first."""
        return [_schedule(r) for r in await self.schedules.list(guild_id)]

    async def remove(self, schedule_id: int, *, guild_id: int) -> Schedule:
        """Delete a schedule of this server and its ledger."""
        found = await self.get(schedule_id, guild_id=guild_id)
        await self.schedules.delete(schedule_id)
        log.info("schedule %d removed", schedule_id)
        return found

    async def pause(self, schedule_id: int, reason: str) -> None:
        """Stop posting for this schedule until resumed, and say why."""
        await self.schedules.update(schedule_id, paused_reason=reason[:MAX_ERROR_CHARS])

    async def resume(self, schedule_id: int, *, guild_id: int) -> Schedule:
        """Clear a pause."""
        await self.get(schedule_id, guild_id=guild_id)
        await self.schedules.update(schedule_id, paused_reason=None)
        return await self.get(schedule_id)

    # Ledger
    async def claim(
        self, schedule: Schedule, fire_time: datetime, *, default_hours: float, due: bool = False
    ) -> LedgerEntry | None:
        """Claim (schedule, fire time); None if someone already did. The digest covers since the
        channel's previous posted digest (else the last `default_hours`). With `due`, the row is
        only recorded as due, for the process that owns the server to `take`."""
        previous = await self.ledger.last_posted(schedule.channel_id, fire_time)
        since = previous["fire_time"] if previous else fire_time - timedelta(hours=default_hours)
        entry_id = await self.ledger.claim(
            {
                "schedule_id": schedule.id,
                "channel_id": schedule.channel_id,
                "fire_time": fire_time,
                "state": "due" if due else "claimed",
                "nonce": digest_nonce(schedule.id, fire_time),
                "since": since,
                "claimed_at": self.clock(),
            }
        )
        return None if entry_id is None else await self.entry(entry_id)

    async def take(self, entry: LedgerEntry) -> LedgerEntry | None:
        """Claim a due row for this process; None if another process took it first."""
        if not await self.ledger.take(entry.id, self.clock()):
            return None
        return await self.entry(entry.id)

    async def due(self) -> list[LedgerEntry]:
        """Fire times the scheduler leader recorded that no process has claimed yet."""
        return [_entry(r) for r in await self.ledger.in_state("due")]

    def leader_lock(self) -> LeaderLock:
        """The lock that makes one process the scheduler leader (see store._leader)."""
        return self._store.leader_lock()

    async def entry(self, entry_id: int) -> LedgerEntry:
        row = await self.ledger.get(entry_id)
        if row is None:
            raise NotFound(f"There is no ledger entry {entry_id}.")
        return _entry(row)

    async def entry_for(self, schedule_id: int, fire_time: datetime) -> LedgerEntry | None:
        row = await self.ledger.by_fire(schedule_id, fire_time)
        return _entry(row) if row else None

    async def previous_digest(self, channel_id: int, before: datetime) -> LedgerEntry | None:
        """The channel's last posted digest before `before` (its stories and their article counts)."""
        row = await self.ledger.last_posted(channel_id, before)
        return _entry(row) if row else None

    async def record_contents(self, entry_id: int, story_ids: Mapping[int, int]) -> None:
        """What the claimed digest holds: story id -> article count."""
        await self.ledger.update(entry_id, story_ids=json.dumps({str(k): v for k, v in story_ids.items()}))

    async def record_posted(self, entry: LedgerEntry, message_id: int) -> None:
        """The post is in the channel: remember its message id."""
        now = self.clock()
        await self.ledger.update(entry.id, state="posted", message_id=message_id, posted_at=now, error=None)
        await self.schedules.update(entry.schedule_id, last_fire_at=entry.fire_time)

    async def record_outcome(self, entry_id: int, state: LedgerState, error: str | None = None) -> None:
        """Close a claim without a post (failed: cannot post; skipped: nothing to post or too late)."""
        await self.ledger.update(entry_id, state=state, error=error[:MAX_ERROR_CHARS] if error else None)

    async def note_error(self, entry_id: int, error: str) -> None:
        """Keep the claim open (the post may or may not exist) and say what went wrong."""
        await self.ledger.update(entry_id, error=error[:MAX_ERROR_CHARS])

    async def unrecorded(self) -> list[LedgerEntry]:
        """Claims whose post was never recorded (a crash, or a failure of unknown outcome)."""
        return [_entry(r) for r in await self.ledger.in_state("claimed")]

    async def history(self, schedule_id: int, limit: int = 5) -> list[LedgerEntry]:
        """The schedule's latest ledger entries, newest first."""
        return [_entry(r) for r in await self.ledger.recent(schedule_id, limit)]

    # Small runtime state (kept in the database so it survives restarts)
    async def remembered(self, key: str) -> str | None:
        return await self.meta.get(_state_key(key))

    async def remember(self, key: str, value: str) -> None:
        await self.meta.set(_state_key(key), value)


def _state_key(key: str) -> str:
    if not re.fullmatch(r"[a-z0-9_.-]{1,48}", key):
        raise ValueError(f"bad state key {key!r}")
    return f"runtime.{key}"  # never collides with schema_version
