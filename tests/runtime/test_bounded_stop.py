"""`storydesk run`'s shutdown steps are bounded: a step that never ends is given up on, with a warning."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.runtime.main import within


async def test_a_step_that_never_ends_is_given_up_after_its_budget(caplog: pytest.LogCaptureFixture) -> None:
    never = asyncio.get_running_loop().create_future()  # e.g. a close Discord never confirms
    started = time.monotonic()
    await within(0.2, never, "closing the Discord connection")
    assert time.monotonic() - started < 5
    assert never.cancelled()  # nothing left waiting behind the stop
    assert "closing the Discord connection took over 0.2 s" in caplog.text


async def test_a_step_that_ends_in_time_is_awaited_quietly(caplog: pytest.LogCaptureFixture) -> None:
    done: list[str] = []

    async def close() -> None:
        await asyncio.sleep(0.05)
        done.append("closed")

    await within(5, close(), "closing the Discord connection")
    assert done == ["closed"] and "took over" not in caplog.text
