"""Config feeds: make the shared feeds from `[[feeds]]` match the config file.

Split out of `_book.py` (the feed book: adding, polling, announcing) to keep each file small; the
book calls it from `FeedBook.sync_config`, which holds the writer lock around it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.news.fetching import UnsafeAddress, check_url
from bot.news.settings import FeedConfig, FeedSettings, NetworkSettings
from bot.news.store import FeedRepo

Clock = Callable[[], datetime]

log = logging.getLogger(__name__)


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


async def sync_config_feeds(
    repo: FeedRepo,
    configured: Sequence[FeedConfig],
    limits: NetworkSettings,
    policy: FeedSettings,
    clock: Clock,
) -> SyncReport:
    """Add, update and remove shared config feeds (`FeedBook.sync_config`, under the writer lock)."""
    report = SyncReport()
    shared = {f.url: f for f in await repo.list_feeds(guild_id=None)}
    wanted: set[str] = set()
    for cfg in configured:
        url = cfg.url.strip()
        try:
            check_url(url, allow_private=limits.allow_private_addresses)
        except UnsafeAddress as e:
            log.warning("config feed %s refused: %s", url, e)
            report.refused.append(url)
            continue
        wanted.add(url)
        values = {
            "name": cfg.name,
            "interval": max(cfg.interval, policy.min_interval),
            "origin": "config",
        }
        current = shared.get(url)
        if current is None:
            await repo.add(
                values
                | {"url": url, "guild_id": None, "created_at": clock(), "failures": 0}
                | {"failing": False, "alerted": False}
            )
            report.added.append(url)
        elif (current.name, current.interval, current.origin) != (
            values["name"],
            values["interval"],
            "config",
        ):
            await repo.update(current.id, **values)
            report.updated.append(url)
    for url, feed in shared.items():
        if feed.origin == "config" and url not in wanted:
            await repo.remove(feed.id)
            report.removed.append(url)
    return report
