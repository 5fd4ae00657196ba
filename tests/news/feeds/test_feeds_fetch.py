"""The address guard and the guarded fetcher, against a real local HTTP server."""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
from datetime import UTC, datetime

import pytest
from aiohttp import web

from bot.news.fetching import _netguard as netguard
from bot.news.fetching._http import Fetcher, FetchError, parse_retry_after
from bot.news.fetching._netguard import GuardedResolver, UnsafeAddress, address_refusal, check_url
from bot.news.settings import NetworkSettings
from tests.news.feed_server import FeedServer, Route

OPEN = NetworkSettings(allow_private_addresses=True, timeout_seconds=2.0, max_response_bytes=200_000)
GUARDED = NetworkSettings(allow_private_addresses=False, timeout_seconds=2.0)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("169.254.10.10", "link-local"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::5", "private"),
        ("100.64.0.1", "not a public"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6 reaches the IPv4 host
        ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
    ],
)
def test_private_addresses_are_refused(address: str, kind: str) -> None:
    reason = address_refusal(ipaddress.ip_address(address), allow_private=False)
    assert reason is not None and kind in reason
    assert address_refusal(ipaddress.ip_address("93.184.216.34"), allow_private=False) is None


def test_metadata_refused_even_when_private_allowed() -> None:
    for address in ("169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254"):
        reason = address_refusal(ipaddress.ip_address(address), allow_private=True)
        assert reason is not None and "metadata" in reason
    assert address_refusal(ipaddress.ip_address("127.0.0.1"), allow_private=True) is None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.com/feed", "only http and https"),
        ("gopher://example.com/", "only http and https"),
        ("http://user:pw@example.com/", "user name or password"),
        ("http://127.0.0.1/feed", "loopback"),
        ("http://[::1]:8080/feed", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ],
)
def test_check_url_refuses(url: str, message: str) -> None:
    with pytest.raises(UnsafeAddress, match=message):
        check_url(url, allow_private=False)


async def test_resolver_drops_refused_addresses() -> None:
    with pytest.raises(UnsafeAddress, match="loopback"):
        await GuardedResolver(allow_private=False).resolve("localhost", 80)
    allowed = await GuardedResolver(allow_private=True).resolve("localhost", 80)
    assert allowed and all(ipaddress.ip_address(r["host"]).is_loopback for r in allowed)


async def test_guard_on_refuses_loopback_server_without_contacting_it(feed_server: FeedServer) -> None:
    url = feed_server.serve("/feed.xml", "<rss/>")
    async with Fetcher(GUARDED) as fetcher:
        with pytest.raises(FetchError, match="loopback"):
            await fetcher.get(url)
        # By name: the resolver inside aiohttp's connector refuses what 'localhost' resolves to.
        with pytest.raises(FetchError, match="refused localhost"):
            await fetcher.get(f"http://localhost:{feed_server.port}/feed.xml")
    assert feed_server.hits["/feed.xml"] == 0


async def test_user_agent_and_conditional_get(feed_server: FeedServer) -> None:
    url = feed_server.serve("/c.xml", "<rss/>", etag='"v1"', last_modified="Wed, 18 Nov 2026 10:00:00 GMT")
    async with Fetcher(OPEN) as fetcher:
        first = await fetcher.get(url)
        assert first.status == 200 and first.etag == '"v1"' and first.body == b"<rss/>"
        again = await fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    _path, headers = feed_server.requests[-1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Wed, 18 Nov 2026 10:00:00 GMT"
    assert headers["User-Agent"].startswith("Storydesk/")


async def test_size_cap_with_and_without_content_length(feed_server: FeedServer) -> None:
    big = b"<rss>" + b"x" * 400_000 + b"</rss>"
    declared = feed_server.serve("/big.xml", big)
    streamed = feed_server.serve("/stream.xml", Route(body=big, chunked=True))
    async with Fetcher(OPEN) as fetcher:
        for url in (declared, streamed):
            with pytest.raises(FetchError, match="larger than the 200,000 byte limit"):
                await fetcher.get(url)


async def test_size_cap_counts_decompressed_bytes(feed_server: FeedServer) -> None:
    bomb = gzip.compress(b" " * 5_000_000)  # ~5 KB on the wire, 5 MB inflated
    url = feed_server.serve("/bomb.xml", Route(body=bomb, headers={"Content-Encoding": "gzip"}))
    async with Fetcher(OPEN) as fetcher:
        with pytest.raises(FetchError, match="larger than"):
            await fetcher.get(url)


async def test_slow_server_times_out(feed_server: FeedServer) -> None:
    url = feed_server.serve("/slow.xml", Route(body=b"<rss/>", delay=5.0))
    limits = NetworkSettings(allow_private_addresses=True, timeout_seconds=0.3)
    async with Fetcher(limits) as fetcher:
        with pytest.raises(FetchError, match=r"timed out after 0\.3 s"):
            await fetcher.get(url)


async def test_errors_carry_status_and_retry_after(feed_server: FeedServer) -> None:
    broken = feed_server.serve("/500.xml", Route(status=500))
    limited = feed_server.serve("/429.xml", Route(status=429, headers={"Retry-After": "120"}))
    async with Fetcher(OPEN) as fetcher:
        with pytest.raises(FetchError) as e500:
            await fetcher.get(broken)
        with pytest.raises(FetchError) as e429:
            await fetcher.get(limited)
    assert e500.value.status == 500 and e500.value.retry_after is None and "HTTP 500" in str(e500.value)
    assert (
        e429.value.status == 429
        and e429.value.retry_after == 120.0
        and "retry after 120 s" in str(e429.value)
    )


def test_retry_after_date_form() -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Fri, 20 Nov 2026 12:05:00 GMT", now) == 300.0
    assert parse_retry_after("Fri, 20 Nov 2026 11:00:00 GMT", now) == 0.0  # in the past: now
    assert parse_retry_after("999999999", now) == 24 * 3600.0  # capped
    assert parse_retry_after("soon", now) is None


async def test_redirect_chain_is_followed_hop_by_hop(feed_server: FeedServer) -> None:
    final = feed_server.serve("/final.xml", "<rss>final</rss>")
    feed_server.redirect("/r3", "/final.xml", status=308)
    feed_server.redirect("/r2", feed_server.url("/r3"), status=301)
    start = feed_server.redirect("/r1", "r2", status=302)  # relative Location
    async with Fetcher(OPEN) as fetcher:
        got = await fetcher.get(start)
    assert got.url == final and got.body == b"<rss>final</rss>"
    assert [feed_server.hits[p] for p in ("/r1", "/r2", "/r3", "/final.xml")] == [1, 1, 1, 1]


async def test_redirect_loop_stops(feed_server: FeedServer) -> None:
    feed_server.redirect("/a", "/b")
    start = feed_server.redirect("/b", "/a")
    async with Fetcher(OPEN) as fetcher:
        with pytest.raises(FetchError, match="more than 5 redirects"):
            await fetcher.get(start)


async def test_redirect_to_private_address_refused_with_guard_on(
    feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:

    # The guard is on; only the test server's own address stands in for 'the public internet',
    # so every redirect hop below is judged by the real rules.
    real = netguard.address_refusal

    def pretend_public(ip: netguard.IPAddress, *, allow_private: bool) -> str | None:
        return None if str(ip) == "127.0.0.1" else real(ip, allow_private=allow_private)

    monkeypatch.setattr(netguard, "address_refusal", pretend_public)
    port = feed_server.port
    targets = {
        "/to-loopback": (f"http://127.0.0.2:{port}/secret", "loopback"),
        "/to-v6-loopback": (f"http://[::1]:{port}/secret", "loopback"),
        "/to-metadata": ("http://169.254.169.254/latest/meta-data/", "metadata"),
        "/to-private": ("http://10.0.0.7/admin", "private"),
        "/to-file": ("file:///etc/passwd", "only http and https"),
    }
    async with Fetcher(GUARDED) as fetcher:
        for path, (target, why) in targets.items():
            start = feed_server.redirect(path, target)
            with pytest.raises(FetchError, match=why):
                await fetcher.get(start)
            assert feed_server.hits[path] == 1
        ok = feed_server.serve("/public.xml", "<rss/>")
        assert (await fetcher.get(ok)).status == 200  # the stand-in itself is reachable
    assert feed_server.hits["/secret"] == 0


async def test_per_host_concurrency_limit(feed_server: FeedServer) -> None:
    active = 0
    peak = 0

    async def slow(request: web.Request) -> web.Response:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.05)
        active -= 1
        return web.Response(body=b"<rss/>", content_type="application/rss+xml")

    urls = [feed_server.serve(f"/p{n}", slow) for n in range(8)]
    limits = NetworkSettings(allow_private_addresses=True, per_host_concurrency=2)
    async with Fetcher(limits) as fetcher:
        results = await asyncio.gather(*(fetcher.get(u) for u in urls))
    assert all(r.status == 200 for r in results)
    assert peak == 2
