"""Feed records, the polling policy and what a poll did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

FeedOrigin = Literal["config", "cli", "discord"]
EntryState = Literal["ok", "pending", "failed"]


class Feed(BaseModel):
    """A polled feed: shared (guild_id None: config or CLI) or one server's own."""

    id: int
    url: str
    name: str | None = None
    title: str | None = None  # the feed's own title, as last read
    guild_id: int | None = None
    origin: FeedOrigin = "cli"
    added_by: int | None = None
    alert_channel_id: int | None = None
    interval: float
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: datetime | None = None
    last_ok_at: datetime | None = None
    next_poll_at: datetime | None = None
    failures: int = 0
    last_error: str | None = None
    failing: bool = False
    alerted: bool = False
    created_at: datetime

    @property
    def display_name(self) -> str:
        return self.name or self.title or self.url

    @property
    def needs_alert(self) -> bool:
        """Failing and nobody told yet: the runtime posts one alert, then calls `mark_alerted`."""
        return self.failing and not self.alerted


@dataclass
class FeedPollResult:
    """What polling one feed did."""

    feed_id: int
    url: str
    guild_id: int | None
    status: Literal["ok", "not_modified", "error"]
    error: str | None = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    pending: int = 0
    failed: int = 0
    announce: list[int] = field(default_factory=list)  # article ids new and recent enough to announce
    changed_articles: list[int] = field(default_factory=list)  # new or updated article ids
    became_failing: bool = False
    moved_to: str | None = None  # the feed moved for good (301/308): its new URL
    merged_into: int | None = None  # ...which another feed of its scope had: this one was removed


@dataclass
class PollReport:
    """What one polling round did, feed by feed."""

    results: list[FeedPollResult] = field(default_factory=list)

    @property
    def announce(self) -> list[int]:
        return [a for r in self.results for a in r.announce]

    def summary(self) -> dict[str, int]:
        return {
            "feeds": len(self.results),
            "ok": sum(r.status == "ok" for r in self.results),
            "not_modified": sum(r.status == "not_modified" for r in self.results),
            "errors": sum(r.status == "error" for r in self.results),
            "new": sum(r.new for r in self.results),
            "updated": sum(r.updated for r in self.results),
            "pending": sum(r.pending for r in self.results),
            "failed": sum(r.failed for r in self.results),
            "announce": sum(len(r.announce) for r in self.results),
        }
