"""The runtime's result cache: computes once per key, bounded, never caches failures."""

from __future__ import annotations

import asyncio

import pytest

from bot.runtime.cache import ResultCache


async def test_concurrent_requests_compute_once_and_lru_is_bounded() -> None:
    cache = ResultCache(size=2)
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return 42

    assert await asyncio.gather(*(cache.get("a", compute) for _ in range(5))) == [42] * 5
    assert calls == 1
    await cache.get("b", compute)
    await cache.get("c", compute)  # evicts "a"
    await cache.get("a", compute)
    assert calls == 4 and cache.hits == 0


async def test_failures_are_not_cached() -> None:
    cache = ResultCache()

    async def boom() -> int:
        raise ValueError("nope")

    with pytest.raises(ValueError):
        await cache.get("k", boom)

    async def ok() -> int:
        return 1

    assert await cache.get("k", ok) == 1


async def test_peek_gives_only_what_is_already_computed() -> None:
    cache = ResultCache(size=1)

    async def compute() -> bytes:
        await asyncio.sleep(0.01)
        return b"png"

    pending = asyncio.ensure_future(cache.get("a", compute))
    await asyncio.sleep(0)
    assert cache.peek("a") is None  # still being computed: nothing to give yet
    assert await pending == b"png" and cache.peek("a") == b"png"
    await cache.get("b", compute)  # evicts "a"
    assert cache.peek("a") is None and cache.misses == 2
