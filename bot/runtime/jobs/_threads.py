"""Threads and forum channels: a story's messages go into its own thread.

A forum channel gets one post per story; a text channel in thread mode gets the story's first
message with a thread started from it. Later updates of the story are replies in that thread. The
story -> thread mapping lives in the database (`desk.threads`), so it survives restarts.

Discord's rules this follows (discord.py docs: `ForumChannel.create_thread`,
`Message.create_thread`, `Thread.edit`): a thread started from a message, and a forum post,
have the id of their first message; an archived thread refuses messages (50083 "Thread is
archived") until it is unarchived with `edit(archived=False)`, which a locked thread allows only
with Manage Threads; a deleted thread answers 404. A thread that cannot be reopened is replaced by
a new one. Rate limits (429) are waited out by discord.py itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import discord

from bot.news import Target
from bot.runtime.context import DeskBot
from bot.runtime.render import Outgoing

log = logging.getLogger(__name__)

ARCHIVED = 50083  # Discord: "Thread is archived"
HAS_THREAD = 160004  # Discord: "A thread has already been created for this message"
AUTO_ARCHIVE: Literal[10080] = 10080  # minutes (a week): a story's thread stays open while the story develops


class TargetGone(Exception):
    """The forum or channel a schedule or board posts to is gone, or no longer that kind."""


@dataclass
class Delivered:
    """Where a story's message went."""

    thread_id: int | None  # None: posted in the channel, but no thread could be started from it
    message_id: int  # the message just sent (a new thread's first message when `opened`)
    opened: bool


class ThreadPoster:
    """Posts stories into their threads, opening (and replacing) threads as needed."""

    def __init__(self, bot: DeskBot) -> None:
        self.bot = bot
        self.book = bot.desk.threads

    async def post(
        self,
        guild_id: int,
        channel_id: int,
        target: Target,
        story_id: int,
        name: str,
        out: Outgoing,
        *,
        start_from: int | None = None,
    ) -> Delivered:
        """`out` into the story's thread (reopening an archived one), else into a new thread that
        `out` starts (or, with `start_from`, a thread started from that message, `out` its reply)."""
        known = await self.book.thread(channel_id, story_id)
        if known is not None:
            sent = await self.reply(guild_id, known.thread_id, out)
            if sent is not None:
                await self.book.posted(channel_id, story_id)
                return Delivered(known.thread_id, sent.id, opened=False)
            log.info("thread %d of story %d is gone; opening a new one", known.thread_id, story_id)
            await self.book.gone(channel_id, story_id)
        if start_from is not None and target == "threads":
            thread_id = await self.start_from(guild_id, channel_id, story_id, name, start_from)
            if thread_id is not None:
                sent = await self.reply(guild_id, thread_id, out)
                if sent is not None:
                    return Delivered(thread_id, sent.id, opened=True)
        return await self.open(guild_id, channel_id, target, story_id, name, out)

    async def open(
        self, guild_id: int, channel_id: int, target: Target, story_id: int, name: str, out: Outgoing
    ) -> Delivered:
        """A new thread for the story whose first message is `out` (Forbidden/NotFound propagate)."""
        if target == "forum":
            forum = await self._forum(channel_id)
            made = await forum.create_thread(
                name=name,
                auto_archive_duration=AUTO_ARCHIVE,
                content=out.content,
                embeds=out.embeds,
                allowed_mentions=out.allowed_mentions,
            )
            await self.book.opened(channel_id, story_id, made.thread.id, made.message.id)
            log.info("forum post %d opened for story %d in %d", made.thread.id, story_id, channel_id)
            return Delivered(made.thread.id, made.message.id, opened=True)
        channel = self.bot.get_partial_messageable(channel_id, guild_id=guild_id)
        sent = await channel.send(
            content=out.content, embeds=out.embeds, allowed_mentions=out.allowed_mentions
        )
        thread_id = await self.start_from(guild_id, channel_id, story_id, name, sent.id)
        return Delivered(thread_id, sent.id, opened=thread_id is not None)

    async def start_from(
        self, guild_id: int, channel_id: int, story_id: int, name: str, message_id: int
    ) -> int | None:
        """A thread started from a message in a text channel; None when Discord refuses it (the
        message stays: the story's next update tries again)."""
        message = self.bot.get_partial_messageable(channel_id, guild_id=guild_id).get_partial_message(
            message_id
        )
        try:
            thread_id = (await message.create_thread(name=name, auto_archive_duration=AUTO_ARCHIVE)).id
        except discord.HTTPException as e:
            if e.code != HAS_THREAD:
                log.warning("no thread started from message %d in %d (%s)", message_id, channel_id, e)
                return None
            thread_id = message_id  # started before a crash: a message's thread has the message's id
        except ValueError as e:  # discord.py: the guild is not cached
            log.warning("no thread started from message %d in %d (%s)", message_id, channel_id, e)
            return None
        await self.book.opened(channel_id, story_id, thread_id, message_id)
        return thread_id

    async def reply(self, guild_id: int, thread_id: int, out: Outgoing) -> discord.Message | None:
        """Send into a thread; None when it is deleted, or archived and cannot be reopened. A
        refusal of a thread that is open (missing permissions) propagates: a new thread would not help."""
        thread = self.bot.get_partial_messageable(
            thread_id, guild_id=guild_id, type=discord.ChannelType.public_thread
        )
        for attempt in range(2):
            try:
                return await thread.send(
                    content=out.content, embeds=out.embeds, allowed_mentions=out.allowed_mentions
                )
            except discord.NotFound:
                return None
            except discord.HTTPException as e:
                if attempt or (e.code != ARCHIVED and not isinstance(e, discord.Forbidden)):
                    raise
                reopened = await self.reopen(thread_id)
                if reopened is None:
                    raise
                if not reopened:
                    return None
        return None

    async def unarchive(self, thread_id: int) -> bool:
        """Reopen an archived thread; False when it is gone, locked or was not archived."""
        return await self.reopen(thread_id) is True

    async def reopen(self, thread_id: int) -> bool | None:
        """Unarchive a thread: True when reopened, False when it cannot be (gone, or locked: that
        needs Manage Threads), None when it was not archived (its refusal is about something else)."""
        try:
            thread = await self.bot.fetch_channel(thread_id)
            if not isinstance(thread, discord.Thread):
                return False
            if not thread.archived:
                return None
            await thread.edit(archived=False)
        except discord.HTTPException as e:
            log.info("thread %d cannot be reopened (%s %s)", thread_id, e.status, e.text)
            return False
        log.info("thread %d was archived; reopened it", thread_id)
        return True

    async def _forum(self, channel_id: int) -> discord.ForumChannel:
        found = self.bot.get_channel(channel_id)
        if found is None:
            found = await self.bot.fetch_channel(channel_id)  # NotFound when it was deleted
        if not isinstance(found, discord.ForumChannel):
            raise TargetGone(f"channel {channel_id} is no longer a forum")
        return found
