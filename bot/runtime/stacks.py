"""What a running bot is doing, on request: its threads' and its coroutines' stacks on stderr.

`kill -USR1 <pid>` prints every thread's stack (faulthandler: works even when the event loop is
blocked). `kill -USR2 <pid>` prints every asyncio task and where it waits: when the loop is not
blocked but something never finishes (a digest that never posts, a stop that never ends), the
threads' stacks only show the loop waiting for I/O, and the tasks' stacks show what waits.
Neither stops the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import signal
import sys
import traceback
from types import FrameType

FRAMES_PER_TASK = 12


def dump_stacks_on_request(loop: asyncio.AbstractEventLoop) -> list[signal.Signals]:
    """Register both signals (where the platform has them); returns those set on the loop."""
    handled: list[signal.Signals] = []
    if hasattr(signal, "SIGUSR1"):  # not on Windows
        faulthandler.register(signal.SIGUSR1, file=sys.stderr, all_threads=True)
    if hasattr(signal, "SIGUSR2"):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGUSR2, lambda: print_task_stacks(loop))
            handled.append(signal.SIGUSR2)
    return handled


def print_task_stacks(loop: asyncio.AbstractEventLoop) -> None:
    sys.stderr.write(task_stacks(loop))
    sys.stderr.flush()


def task_stacks(loop: asyncio.AbstractEventLoop) -> str:
    """Every task of `loop` with the chain of coroutines it is suspended in, outermost first,
    and what the innermost awaits (a future, a lock, a sleep)."""
    tasks = sorted(asyncio.all_tasks(loop), key=lambda t: t.get_name())
    out = [f"--- {len(tasks)} asyncio task(s) ---\n"]
    for task in tasks:
        out.append(f"task {task.get_name()!r}:\n")
        frames, awaited = awaiting_chain(task.get_coro())
        summary = traceback.StackSummary.extract((f, f.f_lineno) for f in frames)
        out.extend("  " + line for line in summary.format())
        if awaited is not None:
            out.append(f"  awaiting {awaited!r}\n"[:300])
    out.append("--- end of tasks ---\n")
    return "".join(out)


def awaiting_chain(coro: object) -> tuple[list[FrameType], object | None]:
    """The frames of `coro` and of what it awaits, down to the innermost coroutine (a task's own
    get_stack() gives only the outermost frame of a suspended coroutine), and what that awaits."""
    frames: list[FrameType] = []
    while coro is not None and len(frames) < FRAMES_PER_TASK:
        frame = _attr(coro, "cr_frame", "gi_frame", "ag_frame")
        if not isinstance(frame, FrameType):
            return frames, coro  # a future or another awaitable without frames of its own
        frames.append(frame)
        coro = _attr(coro, "cr_await", "gi_yieldfrom", "ag_await")
    return frames, coro


def _attr(obj: object, *names: str) -> object | None:
    for name in names:
        value: object | None = getattr(obj, name, None)
        if value is not None:
            return value
    return None
