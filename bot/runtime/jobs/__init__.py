"""Scheduled work of the bot: digests (exactly once), live cards, feed polling, finding own posts."""

from __future__ import annotations

from bot.runtime.jobs._digests import DigestPoster
from bot.runtime.jobs._feeds import FEED_JOB, LIVE_JOB, FeedRunner, run_soon
from bot.runtime.jobs._leader import SchedulerLeadership
from bot.runtime.jobs._live import LivePoster

__all__ = [
    "FEED_JOB",
    "LIVE_JOB",
    "DigestPoster",
    "FeedRunner",
    "LivePoster",
    "SchedulerLeadership",
    "run_soon",
]
