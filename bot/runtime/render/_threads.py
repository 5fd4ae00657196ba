"""Threads and forum posts: a story's own message (its digest entry as one embed) and thread
names that are inert (no mentions) and within Discord's 100 characters."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

import discord

from bot.news import CardView, DigestItem
from bot.runtime.render._cards import COLOUR, Outgoing, digest_item_value, only_role, plural
from bot.runtime.render._deltas import figure_note
from bot.runtime.render._limits import CONTENT, FIELD_VALUE, TITLE, clip, escape, fit_message, inert

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


MAX_JOINED = 5


def card_update_note(view: CardView, outlets_before: int, figure_lines: Sequence[str]) -> str | None:
    """A live card's update as one reply in its thread: the outlets that joined since the card
    last changed (their headlines), then the figures that moved; None when there is neither."""
    joined = view.links[outlets_before:]
    lines = [f"➕ {inert(o, 60)}" + (f": {inert(t, 200)}" if t else "") for o, t, _u in joined[:MAX_JOINED]]
    if len(joined) > MAX_JOINED:
        lines.append(f"➕ +{plural(len(joined) - MAX_JOINED, 'more outlet')}")
    if lines:
        lines.insert(0, f"Now covered by {plural(view.outlet_count, 'outlet')}:")
    if figure_lines:
        lines.append(figure_note(figure_lines))
    return clip("\n".join(lines), CONTENT) if lines else None
