"""Address safety for outgoing requests: only http(s), never to private or metadata addresses.

A feed URL comes from a server admin, so it must not become a way to reach the bot's own
network (SSRF). Every hop is checked: the URL (scheme, literal IP) before the request, and every
address a name resolves to inside the connector's resolver, so the connection goes to the very
address that was checked (no DNS rebinding between the check and the connect).
"""

from __future__ import annotations

import ipaddress
import socket

from aiohttp.abc import ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud instance metadata services: refused even when private addresses are allowed, since no
# feed lives there and they hand out credentials.
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
        ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    }
)
ALLOWED_SCHEMES = frozenset({"http", "https"})


class UnsafeAddress(OSError):
    """A request would go to an address the guard refuses; the message says why."""


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    # IPv6 forms that carry an IPv4 address reach that IPv4 host: judge the IPv4 one.
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip.teredo is not None:
            return ip.teredo[1]
        if ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(ip: IPAddress, *, allow_private: bool) -> str | None:
    """Why a connection to `ip` is refused, or None if it is allowed."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        return address_refusal(inner, allow_private=allow_private)
    if ip in METADATA_ADDRESSES:
        return f"{ip} is a cloud metadata address"
    if ip.is_unspecified:
        return f"{ip} is not a real host address"
    if allow_private:
        return None
    for kind, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if flag:
            return f"{ip} is a {kind} address"
    if not ip.is_global:  # e.g. 100.64.0.0/10 (carrier-grade NAT), documentation ranges
        return f"{ip} is not a public address"
    return None


def parse_ip(host: str) -> IPAddress | None:
    """The host as an IP address if it is a literal one."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def check_url(url: str | URL, *, allow_private: bool) -> URL:
    """The URL, if it may be requested; else `UnsafeAddress` saying why.

    Names are checked later, by `GuardedResolver`, on the addresses they resolve to.
    """
    parsed = url if isinstance(url, URL) else URL(url.strip())
    if parsed.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeAddress(f"only http and https URLs are allowed, not {parsed.scheme or 'a bare path'!r}")
    if not parsed.host:
        raise UnsafeAddress("the URL has no host")
    if parsed.user is not None or parsed.password is not None:
        raise UnsafeAddress("URLs with a user name or password are not allowed")
    ip = parse_ip(parsed.host)
    if ip is not None:
        reason = address_refusal(ip, allow_private=allow_private)
        if reason:
            raise UnsafeAddress(f"refused {parsed.host}: {reason}")
    return parsed


class GuardedResolver(ThreadedResolver):
    """The loop's getaddrinfo, keeping only addresses the guard allows.

    aiohttp connects to the addresses this returns, so what was checked is what gets used.
    """

    def __init__(self, *, allow_private: bool) -> None:
        super().__init__()
        self.allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve `host`, dropping refused addresses; `UnsafeAddress` if none is left."""
        results = await super().resolve(host, port, family)
        kept: list[ResolveResult] = []
        reasons: list[str] = []
        for result in results:
            ip = parse_ip(result["host"])
            reason = (
                "unparseable address" if ip is None else address_refusal(ip, allow_private=self.allow_private)
            )
            if reason:
                reasons.append(reason)
            else:
                kept.append(result)
        if not kept:
            raise UnsafeAddress(f"refused {host}: {reasons[0] if reasons else 'no address'}")
        return kept
