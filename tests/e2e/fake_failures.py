"""Failures the fake Discord can be told to inject (mixed into `FakeDiscord`): 429 rate limits,
server errors, posts that are created but never answered or never created, 403 per channel."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from fake_payloads import FakeChannel


@dataclass
class FailureRule:
    """Answer the next `remaining` matching requests with an error status."""

    method: str
    path_re: re.Pattern[str]
    remaining: int
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    after: int = 0  # matching requests let through before the failures start


class FailuresMixin:
    """What tests call to break Discord on purpose; the REST handler consults the rules."""

    failures: list[FailureRule]
    hanging: set[str]  # channels whose posts are created but never answered
    stalled: set[str]  # channels whose posts are held and never created
    channels: dict[str, FakeChannel]

    def rate_limit_next(self, method: str, path_regex: str, times: int = 1, retry_after: float = 0.2) -> None:
        """Answer the next `times` matching requests with 429 (discord.py waits and retries)."""
        headers = {
            "Via": "1.1 google",  # without it discord.py takes a 429 for a Cloudflare ban
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": str(retry_after),
            "X-RateLimit-Reset": str(time.time() + retry_after),
            "X-RateLimit-Bucket": "fakebucket",
            "Retry-After": str(max(1, round(retry_after))),
            "X-RateLimit-Scope": "user",
        }
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
        self.failures.append(FailureRule(method, re.compile(path_regex), times, 429, body, headers))

    def fail_next(
        self, method: str, path_regex: str, *, status: int = 503, times: int = 1, after: int = 0
    ) -> None:
        """Answer the next `times` matching requests (after letting `after` through) with a server error."""
        body = {"message": "Service Unavailable", "code": 0}
        self.failures.append(FailureRule(method, re.compile(path_regex), times, status, body, after=after))

    def hang_posts(self, channel_id: str) -> None:
        """Create posts to this channel but never answer: the bot is 'killed while posting'."""
        self.hanging.add(channel_id)

    def stall_posts(self, channel_id: str) -> None:
        """Hold posts to this channel before creating them: the bot is 'killed before its post exists'.
        A held post is never created, even once released (it answers 503)."""
        self.stalled.add(channel_id)

    def forbid(self, channel_id: str) -> None:
        """From now on, posts to this channel answer 403 Missing Permissions (code 50013)."""
        self.channels[channel_id].forbidden = True
