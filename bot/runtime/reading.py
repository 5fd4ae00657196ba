"""Cached engine reads for the reader commands (comparisons, quotes, story cards, speakers).

Keys carry the story's live id and visible article count, so a story that grows is computed
afresh. The cache belongs to the bot (runtime), never to a module.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from bot.news import (
    Comparison,
    NewsDesk,
    QuoteGroup,
    Story,
    may_develop,
    summarize_story,
)
from bot.runtime.cache import ResultCache
from bot.runtime.pictures import NewestCards, PictureDrawer, QuietGate

log = logging.getLogger(__name__)
T = TypeVar("T")

STORY_INDEX_TTL = 30.0  # seconds an autocomplete story list is reused
STORY_INDEX_SIZE = 2000  # most recently updated stories offered by autocomplete


@dataclass(frozen=True)
class StoryEntry:
    """What autocomplete needs to know about a story."""

    id: int
    headline: str
    outlets: int
    last_updated: datetime


@dataclass
class StoryCard:
    story: Story
    summary: list[str]


class Reading:
    """The engine's reads, cached per (story, article count)."""

    def __init__(
        self, desk: NewsDesk, cache: ResultCache | None = None, drawer: PictureDrawer | None = None
    ) -> None:
        self.desk = desk
        self.cache = cache or ResultCache()
        self.drawer = drawer or PictureDrawer()
        # Pictures added to answers already sent wait for their turn (see QuietGate); the client
        # feeds it every interaction that arrives.
        self.uploads = QuietGate()
        # Of the /story cards of a story in a channel waiting for its picture, the newest gets it.
        self.newest_cards = NewestCards()
        self._index: dict[int | None, tuple[float, list[StoryEntry]]] = {}
        self._after_answer: set[asyncio.Future[Any]] = set()

    async def after_answer(self, work: Awaitable[T]) -> T:
        """Run work that follows an answer already sent (a picture added to it), tracked so that
        `settle` can let it finish before shutdown closes the database and the HTTP session."""
        task: asyncio.Future[T] = asyncio.ensure_future(work)
        self._after_answer.add(task)
        task.add_done_callback(self._after_answer.discard)
        return await task

    async def settle(self, timeout: float = 5.0) -> None:
        """Wait up to `timeout` seconds for work that follows answers (see `after_answer`), then
        stop the picture worker (a later picture starts it again)."""
        if self._after_answer:
            await asyncio.wait(set(self._after_answer), timeout=timeout)
        self.drawer.close()

    async def _story(self, story_id: int, guild_id: int | None) -> Story:
        return await self.desk.story(story_id, guild_id=guild_id)

    async def card(self, story_id: int, guild_id: int | None) -> StoryCard:
        story = await self._story(story_id, guild_id)

        async def compute() -> StoryCard:
            arts = await self.desk.story_articles(story.id, guild_id=guild_id)
            summary = await asyncio.to_thread(summarize_story, arts, sentences=2)
            return StoryCard(story, summary)

        return await self.cache.get(("card", story.id, len(story.articles), guild_id), compute)

    async def comparison(self, story_id: int, outlet: str | None, guild_id: int | None) -> Comparison:
        story = await self._story(story_id, guild_id)
        key = ("compare", story.id, len(story.articles), guild_id, (outlet or "").casefold())
        return await self.cache.get(
            key, lambda: self.desk.compare(story.id, outlet=outlet, guild_id=guild_id)
        )

    def drawn(self, story: Story, guild_id: int | None) -> bytes | None:
        """The story's picture when this version of it is already drawn, else None (never draws)."""
        png: bytes | None = self.cache.peek(self._picture_key(story, guild_id))
        return png

    @staticmethod
    def _picture_key(story: Story, guild_id: int | None) -> tuple[object, ...]:
        return ("picture", story.id, len(story.articles), guild_id)

    async def picture(self, story: Story, guild_id: int | None) -> bytes | None:
        """The coverage PNG of a story just read (the card's: not read again); None for a
        one-article story or when drawing failed (logged, not raised)."""
        if len(story.articles) < 2:
            return None

        async def compute() -> bytes | None:
            try:
                # Texts only for a story that may hold a developing figure (see may_develop).
                arts = (
                    await self.desk.story_articles(story.id, guild_id=guild_id) if may_develop(story) else []
                )
                # The figures alone (not the full comparison): a fraction of its CPU.
                return await self.drawer.draw(story, arts)
            except Exception:  # the card goes without its picture rather than not at all
                log.exception("coverage picture for story %s failed", story.id)
                return None

        return await self.cache.get(self._picture_key(story, guild_id), compute)

    async def quotes(self, story_id: int, speaker: str | None, guild_id: int | None) -> list[QuoteGroup]:
        story = await self._story(story_id, guild_id)
        key = ("quotes", story.id, len(story.articles), guild_id, (speaker or "").casefold())
        return await self.cache.get(
            key, lambda: self.desk.quotes(story.id, speaker=speaker, guild_id=guild_id)
        )

    async def speakers(self, story_id: int, guild_id: int | None) -> list[str]:
        story = await self._story(story_id, guild_id)
        key = ("speakers", story.id, len(story.articles), guild_id)
        return await self.cache.get(key, lambda: self.desk.speakers(story.id, guild_id=guild_id))

    async def outlets(self, story_id: int, guild_id: int | None) -> list[str]:
        return (await self._story(story_id, guild_id)).outlets

    async def story_index(self, guild_id: int | None) -> list[StoryEntry]:
        """Recent stories (id, headline) for autocomplete; refreshed every 30 s."""
        cached = self._index.get(guild_id)
        if cached and time.monotonic() - cached[0] < STORY_INDEX_TTL:
            return cached[1]
        # Headlines only (no article texts): cheap enough to refresh while people type.
        rows = await self.desk.story_headlines(guild_id=guild_id, limit=STORY_INDEX_SIZE)
        entries = [StoryEntry(*row) for row in rows]
        self._index[guild_id] = (time.monotonic(), entries)
        return entries

    def forget_index(self) -> None:
        self._index.clear()
