"""Fetching: HTTP with size, time and redirect limits behind the private-address guard."""

from __future__ import annotations

from bot.news.fetching._http import PAGE_ACCEPT, Fetcher, FetchError, FetchResult
from bot.news.fetching._netguard import UnsafeAddress, check_url

__all__ = [
    "PAGE_ACCEPT",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "NetworkSettings",
    "UnsafeAddress",
    "check_url",
]
