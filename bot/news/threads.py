"""Threads and forum channels, Discord-free: where a schedule's or live board's stories go, and
each story's thread per channel (so later updates of a story go into its thread, across restarts).

The runtime opens the threads and posts into them; this module only remembers which is which.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Literal, get_args

from bot.news.errors import BadArgument
from bot.news.store import Store, StoryThread

__all__ = ["TARGETS", "StoryThread", "Target", "ThreadBook", "check_target"]

# channel: everything in the channel (as before) · threads: a story's first appearance is a message
# in a text channel with a thread started from it · forum: one forum post per story.
Target = Literal["channel", "threads", "forum"]
TARGETS: tuple[str, ...] = get_args(Target)


def check_target(target: str) -> Target:
    """`target` if it is one of TARGETS, else BadArgument."""
    if target not in TARGETS:
        raise BadArgument(f"Unknown target {target!r}: use one of {', '.join(TARGETS)}.")
    return target  # type: ignore[return-value]


class ThreadBook:
    """Each story's thread per channel."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.repo = store.threads
        self.clock = clock

    async def threads(self, channel_id: int, story_ids: Sequence[int]) -> dict[int, StoryThread]:
        """The channel's threads of these stories, by story id."""
        return await self.repo.get(channel_id, story_ids)

    async def thread(self, channel_id: int, story_id: int) -> StoryThread | None:
        """The story's thread in this channel; stories merge, and the thread of a story merged into
        this one becomes its thread (never a second thread for one story)."""
        found = (await self.repo.get(channel_id, [story_id])).get(story_id)
        return found or await self.repo.adopt_merged(channel_id, story_id, self.clock())

    async def opened(self, channel_id: int, story_id: int, thread_id: int, starter_id: int | None) -> None:
        """A new thread for the story in this channel (replacing one that was deleted)."""
        await self.repo.put(channel_id, story_id, thread_id, starter_id, self.clock())

    async def posted(self, channel_id: int, story_id: int) -> None:
        """An update went into the story's thread."""
        await self.repo.touch(channel_id, story_id, self.clock())

    async def gone(self, channel_id: int, story_id: int) -> None:
        """The story's thread is gone (deleted, or archived and locked): the next update opens one."""
        await self.repo.forget(channel_id, story_id)
