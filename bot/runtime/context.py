"""DeskBot: what the runtime's helpers may use of the bot, declared below them.

Answers, jobs, lookups and sync take a `DeskBot`, not `StorydeskBot`: the client module builds
those helpers, so naming the client there would make each pair an import cycle.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

import discord
from discord.ext import commands

from bot.config import Settings
from bot.news import NewsDesk
from bot.runtime.cache import ResultCache
from bot.runtime.health import Metrics
from bot.runtime.reading import Reading
from bot.runtime.scheduler import DeskScheduler
from bot.runtime.shards import ShardPlan
from bot.runtime.watcher import DropFolderWatcher


class DeskBot(commands.Bot):
    """A discord.py bot with the desk and the services every feature shares."""

    settings: Settings
    desk: NewsDesk
    clock: Callable[[], datetime]  # one notion of "now" for engine and runtime (tests inject it)
    cache: ResultCache
    reading: Reading
    jobs: DeskScheduler
    jobs_ready: asyncio.Event
    scheduler_failing: bool  # starting the scheduler failed, and is being retried
    watcher: DropFolderWatcher
    metrics: Metrics  # counters for the opt-in /metrics endpoint (kept whether it is served or not)
    shard_plan: ShardPlan  # the servers this process posts for (all, unsharded)


def bot_of(interaction: discord.Interaction[Any]) -> DeskBot:
    """The bot behind an interaction (discord.py types it as a plain Client)."""
    return cast(DeskBot, interaction.client)
