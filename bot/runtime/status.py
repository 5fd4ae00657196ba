"""What /status and /schedule list show: engine counts, drop-folder and schedule health."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.news import DeskStatus, FeedHealth, LedgerEntry, Schedule
from bot.runtime.context import DeskBot
from bot.runtime.watcher import DropFolderHealth


@dataclass
class ScheduleLine:
    """A schedule with its next run and its last ledger entry."""

    schedule: Schedule
    next_run: datetime | None
    last: LedgerEntry | None


@dataclass
class StatusReport:
    desk: DeskStatus
    drop: DropFolderHealth
    poll_seconds: float
    schedules: list[ScheduleLine]
    scheduler_running: bool
    feeds: FeedHealth = field(default_factory=FeedHealth)  # this server's own and the shared ones
    private_addresses: bool = False  # [network] allow_private_addresses: feeds may reach the host


async def schedule_lines(bot: DeskBot, guild_id: int | None) -> list[ScheduleLine]:
    """This server's schedules with their health."""
    lines = []
    for schedule in await bot.desk.schedules.all(guild_id):
        history = await bot.desk.schedules.history(schedule.id, limit=1)
        next_run = None if schedule.paused else bot.jobs.next_run(schedule.id)
        lines.append(ScheduleLine(schedule, next_run, history[0] if history else None))
    return lines


async def status_report(bot: DeskBot, guild_id: int | None) -> StatusReport:
    """Everything /status shows."""
    return StatusReport(
        desk=await bot.desk.status(),
        drop=bot.watcher.health,
        poll_seconds=bot.watcher.poll_seconds,
        schedules=await schedule_lines(bot, guild_id),
        scheduler_running=bot.jobs.running,
        # Shared feeds and this server's own: never another server's private feeds.
        feeds=await bot.desk.feeds.health(guild_id=guild_id, worst=3),
        private_addresses=bot.settings.network.allow_private_addresses,
    )
