"""What each channel last saw of each story, kept in the database: delta digests and figure watch.

A digest channel sees a story once in full; later digests show it only when it grew, and then
only what changed since (`DeltaBook`). A live channel's card shows the story's developing and
disputed figures, and a note goes out when one moves (`FigureWatch`). Comparing is CPU-heavy:
it always runs off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from bot.news.models import Digest, StoredArticle, Story
from bot.news.store import SeenRecord, Store
from bot.news.stories import StoryKeeper
from bot.news.watch._figures import card_lines, figure_moves
from bot.news.watch._snapshot import StoryReading, StorySnapshot, changes_since, read_story

log = logging.getLogger(__name__)

DIGEST = "digest"
LIVE = "live"


def _snapshot(record: SeenRecord) -> StorySnapshot | None:
    try:
        return StorySnapshot.model_validate_json(record.state)
    except ValidationError:
        log.warning("unreadable seen state for story %d in channel %d", record.story_id, record.channel_id)
        return None


def _record(channel_id: int, kind: str, story_id: int, reading: StoryReading, now: datetime) -> SeenRecord:
    snap = reading.snapshot
    return SeenRecord(channel_id, kind, story_id, snap.article_count, snap.model_dump_json(), now)


class DeltaBook:
    """Delta digests: per channel, the stories it was shown and how they looked then."""

    def __init__(self, store: Store, keeper: StoryKeeper, clock: Callable[[], datetime]) -> None:
        self.seen = store.seen
        self.keeper = keeper
        self.clock = clock

    async def seen_counts(self, channel_id: int) -> dict[int, int]:
        """Story id -> article count when this channel last saw it (a story comes back only grown)."""
        return {k: r.article_count for k, r in (await self.seen.get(channel_id, DIGEST)).items()}

    async def apply(self, digest: Digest, channel_id: int, guild_id: int | None) -> list[SeenRecord]:
        """Give each story the channel saw before its changes (dropping those with none to show);
        returns what to record once the digest is posted."""
        if not digest.items:
            return []
        before = await self.seen.get(channel_id, DIGEST, [i.story_id for i in digest.items])
        loaded = [await self.keeper.load(i.story_id, guild_id) for i in digest.items]
        readings = await asyncio.to_thread(lambda: [read_story(s, a) for s, a in loaded])
        now = self.clock()
        kept, records = [], []
        for item, reading in zip(digest.items, readings, strict=True):
            old = before.get(item.story_id)
            snap = _snapshot(old) if old else None
            if old is not None and snap is not None:
                item.changes = changes_since(snap, reading, old.seen_at)
                if item.changes.empty:
                    log.info("story %d grew in channel %d but shows nothing new", item.story_id, channel_id)
                    continue
            kept.append(item)
            records.append(_record(channel_id, DIGEST, item.story_id, reading, now))
        digest.items = kept
        return records

    async def record(self, records: Sequence[SeenRecord]) -> None:
        """The digest holding these stories is posted: the channel has seen them as they are now."""
        await self.seen.put(records)


@dataclass
class FigureNews:
    """A live card's figures now, the notes to post (figures that moved) and what to record."""

    lines: list[str]
    notes: list[str] = field(default_factory=list)
    record: SeenRecord | None = None


class FigureWatch:
    """Figure watch for live cards: developing and disputed figures, and notes when they move."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.seen = store.seen
        self.clock = clock

    async def read(
        self, channel_id: int, stories: Sequence[tuple[Story, list[StoredArticle]]]
    ) -> dict[int, FigureNews]:
        """Per story: its card's figure lines and the notes since the channel last saw them."""
        if not stories:
            return {}
        before = await self.seen.get(channel_id, LIVE, [s.id for s, _ in stories])
        readings = await asyncio.to_thread(lambda: [read_story(s, a, quotes=False) for s, a in stories])
        now = self.clock()
        out: dict[int, FigureNews] = {}
        for (story, _), reading in zip(stories, readings, strict=True):
            figures = reading.snapshot.figures
            old = before.get(story.id)
            snap = _snapshot(old) if old else None
            notes = figure_moves(snap.figures, figures) if snap else []
            out[story.id] = FigureNews(
                card_lines(figures), notes, _record(channel_id, LIVE, story.id, reading, now)
            )
        return out

    async def record(self, record: SeenRecord) -> None:
        """The card now shows these figures (and any notes went out)."""
        await self.seen.put([record])
