"""When a feed is polled next: its interval with jitter after success, backoff after failure."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from bot.news.settings import FeedSettings


def next_after_success(now: datetime, interval: float, policy: FeedSettings, rng: random.Random) -> datetime:
    """Now plus the interval, jittered by +-policy.jitter."""
    factor = 1.0 + rng.uniform(-policy.jitter, policy.jitter)
    return now + timedelta(seconds=max(policy.min_interval, interval) * factor)


def backoff_seconds(failures: int, interval: float, policy: FeedSettings, retry_after: float | None) -> float:
    """The interval doubled per consecutive failure (capped), never sooner than Retry-After."""
    base = max(policy.min_interval, interval)
    delay = min(max(policy.backoff_max, base), base * 2.0 ** max(0, failures - 1))
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


def next_after_failure(
    now: datetime,
    failures: int,
    interval: float,
    policy: FeedSettings,
    rng: random.Random,
    retry_after: float | None = None,
) -> datetime:
    """When to try a failing feed again; jitter only ever adds, so Retry-After is honoured."""
    delay = backoff_seconds(failures, interval, policy, retry_after)
    return now + timedelta(seconds=delay * (1.0 + rng.uniform(0.0, policy.jitter)))


def entry_retry_at(now: datetime, attempts: int, policy: FeedSettings) -> datetime:
    """When an entry whose page could not be fetched is tried again."""
    return now + timedelta(seconds=policy.entry_retry_base * 2.0 ** max(0, attempts - 1))
