"""Threads and forum posts: a story's own message (its digest entry as one embed) and thread
names that are inert (no mentions) and within Discord's 100 characters."""

from __future__ import annotations

import re
from datetime import datetime

import discord

from bot.news import DigestItem
from bot.runtime.render._cards import COLOUR, Outgoing, digest_item_value, only_role
from bot.runtime.render._limits import FIELD_VALUE, TITLE, clip, escape, fit_message

THREAD_NAME = 100  # Discord's limit for a thread's (and a forum post's) name
_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>")  # user/role/channel mentions, custom emoji
_BROADCAST = re.compile(r"@(everyone|here)", re.IGNORECASE)
TARGET_LABELS = {
    "channel": "in the channel",
    "threads": "a thread per story",
    "forum": "a forum post per story",
}


def thread_name(headline: str, story_id: int) -> str:
    """A thread name for a story: its headline without mentions, one line, at most 100 characters."""
    name = _MENTION.sub("", headline or "")
    name = _BROADCAST.sub(lambda m: "@\u200b" + m.group(1), name)  # shown as text, never a ping
    name = " ".join(name.split())
    return clip(name, THREAD_NAME) if name else f"Story {story_id}"


def story_message(
    item: DigestItem, *, until: datetime, marker: str | None = None, mention_role_id: int | None = None
) -> Outgoing:
    """One story of a digest as its own message (a forum post, a thread's start or a reply in it):
    the full entry the first time, only what changed when the channel saw the story before."""
    title = f"{'↻ ' if item.changes else ''}{escape(item.headline)}"
    embed = discord.Embed(title=clip(title, TITLE), colour=COLOUR, timestamp=until)
    embed.description = digest_item_value(item, FIELD_VALUE)
    embed.set_footer(text=f"Storydesk · story {item.story_id}" + (f" · ref {marker}" if marker else ""))
    content = f"<@&{mention_role_id}>" if mention_role_id else None
    content, embeds = fit_message(content, [embed])
    return Outgoing(content, embeds, only_role(mention_role_id))
