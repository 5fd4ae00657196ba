"""A small per-bot result cache: comparisons, quotes and cards keyed by (story, article count).

A story's results only change when an article joins it, so the article count in the key makes
stale entries unreachable; the LRU bound keeps memory flat. One cache per bot (never a module
global), so tests and several bots in one process do not share state.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class ResultCache:
    """LRU of computed results; concurrent requests for one key compute it once."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}
        self.hits = 0
        self.misses = 0

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The cached value for `key`, computing it (once) if missing; failures are not cached."""
        if key in self._items:
            self._items.move_to_end(key)
            self.hits += 1
            return self._items[key]  # type: ignore[no-any-return]
        if key in self._pending:
            return await asyncio.shield(self._pending[key])
        self.misses += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            value = await compute()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as e:
            future.set_exception(e)
            future.exception()  # mark retrieved: nobody else may be waiting
            raise
        finally:
            self._pending.pop(key, None)
        future.set_result(value)
        self._items[key] = value
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> Any:
        """The value cached for `key`, else None; never computes (for answers that must not wait)."""
        return self._items.get(key)

    def clear(self) -> None:
        self._items.clear()
