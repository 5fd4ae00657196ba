"""Guarded HTTP GET for feeds and article pages (aiohttp).

Every request: only http(s), every hop's address checked (redirects are followed here, one at a
time, never by aiohttp), a time limit over the whole redirect chain, a cap on the bytes read
(streamed, decompressed size), a per-host concurrency limit, and a User-Agent naming the bot.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any

import aiohttp
from yarl import URL

from bot.news.fetching._netguard import GuardedResolver, UnsafeAddress, check_url
from bot.news.settings import NetworkSettings

log = logging.getLogger(__name__)

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.5, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
MAX_RETRY_AFTER = 24 * 3600.0


class FetchError(Exception):
    """A fetch failed; the message is safe to show. `retry_after` is in seconds."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass
class FetchResult:
    """A response that was read (or a 304)."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    # Where the resource now lives for good: the last URL reached by permanent redirects (301,
    # 308) before any temporary one. None when the first hop was not a permanent redirect.
    moved_to: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), capped at a day."""
    if not value:
        return None
    value = value.strip()
    seconds: float
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Fetcher:
    """One HTTP session with the guards; use as `async with Fetcher(limits) as f`."""

    def __init__(self, limits: NetworkSettings, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self.limits = limits
        self.clock = clock
        self._session: aiohttp.ClientSession | None = None
        self._host_slots: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(allow_private=self.limits.allow_private_addresses),
            limit=100,
            ttl_dns_cache=60,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            headers={"User-Agent": self.limits.user_agent},
            trust_env=False,  # no proxy from the environment: the guard must see the real target
        )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _slot(self, host: str) -> asyncio.Semaphore:
        key = host.lower()
        slot = self._host_slots.get(key)
        if slot is None:
            slot = self._host_slots[key] = asyncio.Semaphore(self.limits.per_host_concurrency)
        return slot

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
    ) -> FetchResult:
        """GET `url` with the guards; `FetchError` (safe to show) on any failure."""
        if self._session is None:
            raise RuntimeError("Fetcher used outside `async with`")
        headers = {"Accept": accept, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with asyncio.timeout(self.limits.timeout_seconds):
                return await self._follow(url, headers)
        except TimeoutError:
            raise FetchError(f"timed out after {self.limits.timeout_seconds:g} s") from None
        except UnsafeAddress as e:
            raise FetchError(str(e)) from None
        except aiohttp.ClientConnectorError as e:
            if isinstance(e.os_error, UnsafeAddress):
                raise FetchError(str(e.os_error)) from None
            raise FetchError(f"cannot connect to {e.host}: {e.os_error.strerror or e.os_error}") from None
        except aiohttp.ClientError as e:
            raise FetchError(f"connection failed: {e.__class__.__name__}: {e}"[:300]) from None

    async def _follow(self, url: str, headers: dict[str, str]) -> FetchResult:
        assert self._session is not None
        allow = self.limits.allow_private_addresses
        current = check_url(url, allow_private=allow)
        moved: URL | None = None
        permanent = True  # so far, only permanent redirects: a temporary hop ends the move
        for _hop in range(self.limits.max_redirects + 1):
            async with (
                self._slot(current.host or ""),
                self._session.get(current, headers=headers, allow_redirects=False) as resp,
            ):
                if resp.status in REDIRECTS:
                    location = resp.headers.get("Location")
                    if not location:
                        raise FetchError(
                            f"HTTP {resp.status} redirect without a Location", status=resp.status
                        )
                    current = check_url(current.join(URL(location)), allow_private=allow)
                    permanent = permanent and resp.status in PERMANENT_REDIRECTS
                    moved = current if permanent else moved
                    continue
                result = await self._finish(resp, current)
                result.moved_to = str(moved) if moved is not None else None
                return result
        raise FetchError(f"more than {self.limits.max_redirects} redirects")

    async def _finish(self, resp: aiohttp.ClientResponse, url: URL) -> FetchResult:
        result = FetchResult(
            url=str(url),
            status=resp.status,
            content_type=resp.headers.get("Content-Type"),
            etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
        )
        if resp.status == 304:
            return result
        if resp.status >= 400 or resp.status < 200:
            retry_after = parse_retry_after(resp.headers.get("Retry-After"), self.clock())
            reason = f" {resp.reason}" if resp.reason else ""
            wait = f"; retry after {retry_after:g} s" if retry_after is not None else ""
            raise FetchError(f"HTTP {resp.status}{reason}{wait}", status=resp.status, retry_after=retry_after)
        result.body = await read_capped(resp, self.limits.max_response_bytes)
        return result


async def read_capped(resp: Any, max_bytes: int) -> bytes:
    """The body, read as a stream; `FetchError` as soon as it passes `max_bytes`."""
    too_big = FetchError(f"response larger than the {max_bytes:,} byte limit")
    if resp.content_length is not None and resp.content_length > max_bytes:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(65536):
        size += len(chunk)
        if size > max_bytes:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)
