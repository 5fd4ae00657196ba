"""Autocomplete: stories, speakers, outlets, time zones and schedules.

Autocomplete must answer within 3 s and discord.py only logs its exceptions, so every helper
here is bounded in time and returns no choices rather than failing.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import zoneinfo
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.news import UserFacingError
from bot.runtime.context import DeskBot, bot_of
from bot.runtime.interactions._answers import parse_story_id
from bot.runtime.render import CHOICE_NAME, CHOICES, clip

log = logging.getLogger(__name__)

AUTOCOMPLETE_SECONDS = 2.0
T = TypeVar("T", str, int)


async def bounded(
    what: str, make: Callable[[], Awaitable[list[app_commands.Choice[T]]]]
) -> list[app_commands.Choice[T]]:
    """Run an autocomplete computation with a time limit; no choices on any failure."""
    try:
        return (await asyncio.wait_for(make(), AUTOCOMPLETE_SECONDS))[:CHOICES]
    except UserFacingError:
        return []
    except TimeoutError:
        log.warning("autocomplete for %s took over %.0f s", what, AUTOCOMPLETE_SECONDS)
        return []
    except Exception:
        log.warning("autocomplete for %s failed", what, exc_info=True)
        return []


def _matches(names: Iterable[str], current: str) -> list[str]:
    words = current.casefold().split()
    return [n for n in names if all(w in n.casefold() for w in words)]


def _choice(name: str, value: T) -> app_commands.Choice[T]:
    return app_commands.Choice(name=clip(name, CHOICE_NAME) or "?", value=value)


async def story_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Recent stories whose headline has every typed word (or whose id starts with the digits)."""

    async def make() -> list[app_commands.Choice[str]]:
        entries = await bot_of(interaction).reading.story_index(interaction.guild_id)
        typed = current.strip().lstrip("#")
        if typed.isdigit():
            found = [e for e in entries if str(e.id).startswith(typed)]
        else:
            words = typed.casefold().split()
            found = [e for e in entries if all(w in e.headline.casefold() for w in words)]
        return [_choice(f"{e.id} · {e.headline} ({e.outlets} outlets)", str(e.id)) for e in found[:CHOICES]]

    return await bounded("story", make)


def _story_option(interaction: discord.Interaction[Any]) -> int:
    raw = getattr(interaction.namespace, "story", None)
    return parse_story_id(str(raw or ""))


async def speaker_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Speakers quoted in the story chosen in the `story` option."""

    async def make() -> list[app_commands.Choice[str]]:
        story_id = _story_option(interaction)
        speakers = await bot_of(interaction).reading.speakers(story_id, interaction.guild_id)
        return [_choice(s, clip(s, 100)) for s in _matches(speakers, current)]

    return await bounded("speaker", make)


async def known_speaker_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Speakers quoted in any story this server sees, by the start of a word of their name."""

    async def make() -> list[app_commands.Choice[str]]:
        names = await bot_of(interaction).desk.known_speakers(current, guild_id=interaction.guild_id)
        return [_choice(n, clip(n, 100)) for n in names]

    return await bounded("speaker", make)


async def outlet_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """Outlets of the story chosen in the `story` option."""

    async def make() -> list[app_commands.Choice[str]]:
        story_id = _story_option(interaction)
        outlets = await bot_of(interaction).reading.outlets(story_id, interaction.guild_id)
        return [_choice(o, clip(o, 100)) for o in _matches(outlets, current)]

    return await bounded("outlet", make)


@functools.cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC"))


async def timezone_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """IANA time zones containing what was typed."""
    typed = current.strip().replace(" ", "_")

    async def make() -> list[app_commands.Choice[str]]:
        if not typed:
            popular = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles"]
            return [_choice(z, z) for z in popular]
        return [_choice(z, z) for z in _matches(_zones(), typed)[:CHOICES]]

    return await bounded("timezone", make)


async def schedule_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    """This server's schedules."""

    async def make() -> list[app_commands.Choice[int]]:
        bot: DeskBot = bot_of(interaction)
        found = []
        for s in await bot.desk.schedules.all(interaction.guild_id):
            channel = bot.get_channel(s.channel_id)
            where = f"#{channel.name}" if isinstance(channel, discord.abc.GuildChannel) else str(s.channel_id)
            label = f"{s.id} · {where} · {s.cron} {s.timezone}" + (" · paused" if s.paused else "")
            found.append((label, s.id))
        return [
            _choice(label, sid)
            for label, sid in found
            if all(w in label.casefold() for w in current.casefold().split())
        ]

    return await bounded("schedule", make)
