"""`storydesk run` leaves start-up's objects out of the garbage collector's full passes: what is
alive then is frozen, what comes later is still collected (cycles included)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.runtime.client import StorydeskBot, freeze_startup_objects


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture
def frozen() -> Iterator[None]:
    assert gc.get_freeze_count() == 0  # no test bot (nor anything else here) froze this process
    freeze_startup_objects()
    try:
        yield
    finally:
        gc.unfreeze()  # this process runs many tests, not one bot


def test_start_up_objects_are_frozen_and_later_cycles_still_collected(frozen: None) -> None:
    # A pass walks only what came after: start-up's objects (this test process's) are frozen.
    assert gc.get_freeze_count() > 10_000
    assert sum(len(gc.get_objects(generation)) for generation in range(3)) < gc.get_freeze_count()
    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    gc.collect()
    assert gone() is None


def test_bots_freeze_only_when_told() -> None:
    # Tests build many bots in one process: freezing there would keep their cycles forever.
    defaults = StorydeskBot.__init__.__kwdefaults__ or {}
    assert defaults["freeze_after_setup"] is False
