"""Uploads of coverage pictures wait their turn: an upload (and a drawing) waits while an
interaction waits for its first response, one at a time, and never forever."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.runtime.pictures import QuietGate


@dataclass
class Response:
    done: bool = False

    def is_done(self) -> bool:
        return self.done


@dataclass
class Pending:
    """What the gate reads of a discord.Interaction: its id and whether it was answered."""

    id: int
    response: Response = field(default_factory=Response)


async def test_an_upload_waits_for_a_pending_answer() -> None:
    gate = QuietGate(quiet=0.0, max_hold=5.0, poll=0.005)
    waiting = Pending(1)
    gate.saw(waiting)  # type: ignore[arg-type]
    order: list[str] = []

    async def upload() -> None:
        async with gate.turn():
            order.append("upload")

    task = asyncio.create_task(upload())
    await asyncio.sleep(0.1)
    assert order == [] and gate.busy()
    order.append("answer")
    waiting.response.done = True
    await asyncio.wait_for(task, 1.0)
    assert order == ["answer", "upload"]


async def test_uploads_go_one_at_a_time_and_are_never_held_past_the_limit() -> None:
    gate = QuietGate(quiet=0.0, max_hold=0.2, poll=0.005)
    gate.saw(Pending(2))  # type: ignore[arg-type]  # never answered
    inside: list[int] = []
    most = 0

    async def upload() -> None:
        nonlocal most
        async with gate.turn():
            inside.append(1)
            most = max(most, len(inside))
            await asyncio.sleep(0.02)
            inside.pop()

    loop = asyncio.get_running_loop()
    t0 = loop.time()
    await asyncio.wait_for(asyncio.gather(*(upload() for _ in range(3))), 2.0)
    assert most == 1
    assert 0.2 <= loop.time() - t0 < 1.0  # held up to the limit, then sent in turn


async def test_a_recent_arrival_holds_uploads_for_the_quiet_window() -> None:
    now = [100.0]
    gate = QuietGate(quiet=0.05, clock=lambda: now[0])
    gate.saw(Pending(3, Response(done=True)))  # an autocomplete, already answered
    assert gate.busy()
    now[0] += 0.06
    assert not gate.busy()


async def test_drawing_waits_for_quiet_but_not_past_the_limit() -> None:
    gate = QuietGate(quiet=0.0, max_hold=0.15, poll=0.005)
    answered = Pending(4)
    gate.saw(answered)  # type: ignore[arg-type]
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    loop.call_later(0.05, lambda: setattr(answered.response, "done", True))
    await asyncio.wait_for(gate.until_quiet(), 1.0)
    assert 0.04 <= loop.time() - t0 < 0.15  # released by the answer, not by the limit
    gate.saw(Pending(5))  # type: ignore[arg-type]  # never answered
    t0 = loop.time()
    await asyncio.wait_for(gate.until_quiet(), 1.0)
    assert loop.time() - t0 >= 0.15


async def test_the_quiet_window_runs_from_the_last_answer_too() -> None:
    now = [100.0]
    gate = QuietGate(quiet=0.05, clock=lambda: now[0])
    slow = Pending(6)
    gate.saw(slow)  # type: ignore[arg-type]
    now[0] += 1.0  # a slow answer: its arrival is long past when it is answered
    slow.response.done = True
    assert gate.busy()  # just answered: the next command may be on its way
    now[0] += 0.06
    assert not gate.busy()
