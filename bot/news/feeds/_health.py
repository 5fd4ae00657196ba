"""Feed health at a glance: how many feeds read fine, back off after errors, or are failing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.news.models import Feed

_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass
class FeedHealth:
    """Counts over a set of feeds; every feed is in exactly one of the four groups."""

    total: int = 0
    healthy: int = 0  # read fine last time
    not_polled: int = 0  # added, not read yet
    backing_off: int = 0  # failed lately, retried later and later, not yet marked failing
    failing: int = 0  # failed `failing_after` times in a row (the alert channel was told)
    worst: list[Feed] = field(default_factory=list)  # failing first, then the most failures

    @property
    def troubled(self) -> int:
        return self.backing_off + self.failing


def trouble_order(feed: Feed) -> tuple[bool, int, datetime, int]:
    """Sort key: failing before backing off, more failures first, then the longest without a good read."""
    return (not feed.failing, -feed.failures, feed.last_ok_at or _NEVER, feed.id)


def summarise_health(feeds: Sequence[Feed], *, worst: int = 5) -> FeedHealth:
    """The health of these feeds, with the `worst` most troubled ones."""
    health = FeedHealth(total=len(feeds))
    troubled: list[Feed] = []
    for f in feeds:
        if f.failing:
            health.failing += 1
        elif f.failures > 0:
            health.backing_off += 1
        elif f.last_polled_at is None:
            health.not_polled += 1
            continue
        else:
            health.healthy += 1
            continue
        troubled.append(f)
    health.worst = sorted(troubled, key=trouble_order)[: max(0, worst)]
    return health
