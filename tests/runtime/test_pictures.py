"""Uploads of coverage pictures wait their turn: an upload (and a drawing) waits while an
interaction waits for its first response, one at a time, and never forever."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.runtime.pictures import NewestCards, QuietGate


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
    type: Any = discord.InteractionType.component


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


async def test_a_waiter_that_no_longer_needs_its_turn_stops_waiting() -> None:
    gate = QuietGate(quiet=0.0, max_hold=5.0, poll=0.005)
    gate.saw(Pending(6))  # type: ignore[arg-type]  # never answered: busy all along
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    superseded = asyncio.Event()
    loop.call_later(0.05, superseded.set)  # a newer card came
    await asyncio.wait_for(gate.until_quiet(unless=superseded.is_set), 1.0)
    assert gate.busy() and 0.04 <= loop.time() - t0 < 1.0  # released by `unless`, not max_hold


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


async def test_a_command_still_working_on_its_answer_holds_uploads_until_it_completes() -> None:
    now = [100.0]
    gate = QuietGate(quiet=0.05, clock=lambda: now[0])
    compare = Pending(7, type=discord.InteractionType.application_command)
    gate.saw(compare)  # type: ignore[arg-type]
    compare.response.done = True  # deferred: the first response is out, the answer is not
    now[0] += 1.0
    assert gate.busy()  # a picture drawn now would take the GIL from the answer being computed
    await gate.on_completion(compare, None)  # type: ignore[arg-type]
    assert gate.busy()  # just completed: the quiet window runs from here
    now[0] += 0.06
    assert not gate.busy()
    stuck = Pending(8, type=discord.InteractionType.application_command)
    gate.saw(stuck)  # type: ignore[arg-type]
    stuck.response.done = True
    assert gate.busy()
    now[0] += QuietGate.RUNNING_CAP + 0.1  # a failed command never completes: not held forever
    assert not gate.busy()


def test_of_the_cards_waiting_for_a_picture_only_the_newest_gets_it_whatever_the_order() -> None:
    cards = NewestCards()
    here, there = (10, 7), (11, 7)  # (channel, story): another channel has its own newest
    for card in (1, 3, 2):  # the answers of one story's cards come in no fixed order
        cards.waiting(here, card)
    cards.waiting(there, 4)
    # The newest may take its turn first (it saw quiet first): the older ones, asking later,
    # are still told no, and so is every card once the newest is done.
    assert cards.is_newest(here, 3) and cards.is_newest(there, 4)
    cards.done(here)
    assert [cards.is_newest(here, c) for c in (1, 2)] == [False, False]
    cards.done(here)
    cards.waiting(here, 5)  # a card after the drawing began waits too, and is now the newest
    assert [cards.is_newest(here, c) for c in (1, 2, 3, 5)] == [False, False, False, True]
    cards.carried(here, 6)  # a card sent with the picture: the waiting ones go without
    assert not cards.is_newest(here, 5)
    cards.carried((12, 7), 7)  # nobody waits there: nothing to remember
    for _ in range(3):
        cards.done(here)
    cards.done(there)
    assert len(cards) == 0  # nothing kept once every waiting card is done
    assert not cards.is_newest(here, 5)
