"""Coverage pictures off the bot's loop and uploads that wait their turn: the (optional) worker
process draws the very PNG a thread draws, at a lower priority than the bot, and a dead worker costs no
picture; an upload waits while an interaction waits for its first response, never forever."""

from __future__ import annotations

import asyncio
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.news import NewsDesk, StoredArticle, Story, story_png
from bot.runtime.pictures import PictureDrawer, QuietGate


@pytest.fixture
async def widest(desk: NewsDesk, shared_dir: Path) -> tuple[Story, list[StoredArticle]]:
    """The seeds' widest story and its articles."""
    await desk.ingest_paths([str(shared_dir / "seeds")])
    story = max(await desk.stories(), key=lambda s: (len(s.articles), -s.id))
    return story, await desk.story_articles(story.id)


async def test_the_worker_draws_the_same_picture_at_a_lower_priority_and_stops_when_idle(
    widest: tuple[Story, list[StoredArticle]],
) -> None:
    story, articles = widest
    drawer = PictureDrawer(worker_process=True, idle_seconds=0.3)
    try:
        png = await drawer.draw(story, articles)
        [pid] = drawer.worker_pids
        assert pid != os.getpid()
        assert os.getpriority(os.PRIO_PROCESS, pid) > os.getpriority(os.PRIO_PROCESS, 0)
        assert png == story_png(story, articles)  # identical to the one drawn in this process
        await asyncio.sleep(0.6)
        assert drawer.worker_pids == []  # idle: its memory given back
    finally:
        drawer.close()


async def test_a_dead_worker_costs_no_picture(widest: tuple[Story, list[StoredArticle]]) -> None:
    story, articles = widest
    drawer = PictureDrawer(worker_process=True)
    try:
        first = await drawer.draw(story, articles)
        [pid] = drawer.worker_pids
        os.kill(pid, signal.SIGKILL)
        await asyncio.sleep(0.2)  # the pool notices its worker died
        assert await drawer.draw(story, articles) == first  # drawn in a thread this time
        assert drawer.worker_pids == []  # the next picture starts a new worker
    finally:
        drawer.close()


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
