"""The feed job: poll due feeds on a tick, tell alert channels about failing feeds once.

The engine decides which feeds are due (each by its own interval, with jitter and backoff); the
job only runs often enough to notice. After a round with news it asks the live job to run soon.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp
import discord

from bot.news import PollReport
from bot.runtime.context import DeskBot
from bot.runtime.render import feed_alert_text

log = logging.getLogger(__name__)

FEED_JOB = "feeds"
LIVE_JOB = "live-cards"
TICK_SECONDS = 60.0
TRANSIENT = (discord.DiscordServerError, aiohttp.ClientError, asyncio.TimeoutError, OSError)


def run_soon(bot: DeskBot, job_id: str) -> None:
    """Nudge a job to run now, if it is scheduled (it is not before start-up finishes)."""
    with contextlib.suppress(LookupError):
        bot.jobs.run_soon(job_id)


class FeedRunner:
    """Polls feeds for the bot and posts failing-feed alerts."""

    def __init__(self, bot: DeskBot) -> None:
        self.bot = bot
        self.feeds = bot.desk.feeds
        self._config_synced = False

    def schedule(self) -> None:
        """Register the polling tick (runs at once, then every minute); sharded, on the leader only."""
        self.bot.jobs.add_interval(FEED_JOB, self.run_job, TICK_SECONDS, now=True, leader_only=True)

    async def run_job(self) -> None:
        """The scheduler's job: logs, never raises."""
        try:
            await self.poll_round()
        except Exception:
            log.exception("feed polling round failed")

    async def poll_round(self) -> PollReport:
        """Poll the due feeds, alert about newly failing ones, wake the live job after news."""
        if not self._config_synced:
            sync = await self.feeds.sync_config(self.bot.settings.feeds)
            self._config_synced = True
            if sync.added or sync.removed:
                log.info("config feeds: %d added, %d removed", len(sync.added), len(sync.removed))
        report = await self.feeds.poll()
        self.bot.metrics.record_poll(report)
        await self.send_alerts()
        summary = report.summary()
        if summary["new"] or summary["updated"]:
            run_soon(self.bot, LIVE_JOB)
        return report

    async def send_alerts(self) -> int:
        """Tell each failing feed's alert channel once; returns how many were told."""
        told = 0
        for feed in await self.feeds.needing_alert():
            channel_id = feed.alert_channel_id if feed.guild_id is not None else None
            channel_id = channel_id or (
                self.bot.settings.discord.alert_channel_id if feed.guild_id is None else None
            )
            if channel_id is None:
                log.warning("feed %d is failing (%s); no alert channel to tell", feed.id, feed.last_error)
                await self.feeds.mark_alerted(feed.id)
                continue
            channel = self.bot.get_partial_messageable(channel_id, guild_id=feed.guild_id)
            try:
                await channel.send(feed_alert_text(feed))
            except TRANSIENT as e:
                log.warning("alert for feed %d not sent (%s); retrying next round", feed.id, e)
                continue
            except discord.HTTPException as e:
                log.warning(
                    "alert channel %d refused the alert for feed %d: %s %s",
                    channel_id,
                    feed.id,
                    e.status,
                    e.text,
                )
            else:
                told += 1
            await self.feeds.mark_alerted(feed.id)
        return told
