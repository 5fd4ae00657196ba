"""Worker processes for reading files: an Executor over plain child processes and their pipes.

Not `ProcessPoolExecutor`: a spawned multiprocessing worker first runs the parent's main script
again, multiprocessing starts a resource-tracker process beside the pool (~13 MB) for the named
semaphores of its queues, and a result travels pickled twice (a file's articles, then the message
holding them), so a worker held a 500-article file three times over at its peak. Here a worker is
`python -c` running `_worker_start.py` with two pipes: calls go down its stdin, answers come up its
stdout frame by frame (`_frames.py`), a generator's items one at a time. One thread per worker in
this process writes its calls and reads its answers.

Crash safety as with `ProcessPoolExecutor`: a worker that dies (killed, out of memory, a crash in
a C parser) breaks the pool: its call and every queued one fail with `WorkerDied` (a
`BrokenExecutor`), and the reader reads them in-process. A worker exits when its stdin closes
(the pool shut down, or this process gone) and watches its parent besides (`_worker.py`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.news.ingest import _frames

# A worker's first code: run `_worker_start.py` by path (not imported: see its docstring).
_BOOT = "import runpy, sys; runpy.run_path(sys.argv[1], run_name='__ingest_worker__')"


class WorkerDied(BrokenExecutor):
    """An ingest worker process died: the pool is done, and its calls are to be made elsewhere."""


@dataclass
class _Call:
    future: Future[Any]
    function: Callable[..., Any]
    args: tuple[Any, ...]
    # A generator's items, each as it arrives (in the pool's thread); None: kept with its value.
    on_item: Callable[[bytes], None] | None = None


class WorkerPool(Executor):
    """`workers` processes running `start` (a `_worker_start.py`), each answering one call at a time.

    A call to a generator function returns `(its return value, [its items, pickled])`, or hands
    each item on as it arrives (`submit_streaming`)."""

    def __init__(self, workers: int, start: Path) -> None:
        self._calls: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._broken = False
        self._closed = False
        self._processes = [_spawn(start) for _ in range(workers)]
        self._threads = [
            threading.Thread(target=self._serve, args=(p,), name=f"ingest-worker-{p.pid}", daemon=True)
            for p in self._processes
        ]
        for thread in self._threads:
            thread.start()

    @property
    def pids(self) -> list[int]:
        """The worker processes' ids."""
        return [p.pid for p in self._processes]

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Queue a call for the next free worker (`fn` by reference: importable in a worker)."""
        if kwargs:
            raise TypeError("ingest worker calls take positional arguments only")
        return self._queue(_Call(Future(), fn, args))

    def submit_streaming(
        self, on_item: Callable[[bytes], None], fn: Callable[..., Any], /, *args: Any
    ) -> Future[Any]:
        """Queue a call to a generator function whose items go to `on_item` as they arrive (in the
        pool's thread, in order; a worker's packed bytes); its future's value is then
        `(return value, [])`. A worker dying partway has handed on the items before its death."""
        return self._queue(_Call(Future(), fn, args, on_item))

    def _queue(self, call: _Call) -> Future[Any]:
        with self._lock:
            if self._broken:
                raise WorkerDied("an ingest worker process died; the pool is done")
            if self._closed:
                raise RuntimeError("cannot schedule new calls after shutdown")
            self._calls.put(call)
            return call.future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop taking calls; each worker finishes the call in hand, then exits."""
        with self._lock:
            self._closed = True
            if cancel_futures:
                for call in self._drain():
                    call.future.cancel()
            for _ in self._threads:
                self._calls.put(None)
        if wait:
            for thread in self._threads:
                if thread is not threading.current_thread():
                    thread.join()

    def _drain(self) -> list[_Call]:
        """The queued calls, taken out (under the lock)."""
        calls: list[_Call] = []
        while True:
            try:
                call = self._calls.get_nowait()
            except queue.Empty:
                return calls
            if call is not None:
                calls.append(call)

    def _serve(self, process: subprocess.Popen[bytes]) -> None:
        """One worker's thread: its calls down, its answers up, until shut down or broken."""
        try:
            while (call := self._calls.get()) is not None:
                if call.future.set_running_or_notify_cancel():
                    self._run(process, call)
        finally:
            _stop(process)

    def _run(self, process: subprocess.Popen[bytes], call: _Call) -> None:
        try:
            request = _frames.dumps((call.function, call.args))
        except Exception as e:  # an argument that does not pickle: this call's failure only
            call.future.set_exception(e)
            return
        try:
            kind, value = _answer(process, request, call.on_item)
        except WorkerDied as e:
            # The queued calls fail first: this call's failure wakes its caller, who may shut
            # the pool down (cancelling what is queued) before they would have failed too.
            self._break()
            call.future.set_exception(e)
            return
        except Exception as e:  # an answer that does not unpickle here: this call's failure only
            call.future.set_exception(e)
            return
        if kind == _frames.RAISE:
            error, text = value
            error.add_note(f"(raised in ingest worker {process.pid})\n{text}")
            call.future.set_exception(error)
        else:
            call.future.set_result(value)

    def _break(self) -> None:
        """A worker died: fail every queued call, stop the other workers (their calls fail too)."""
        with self._lock:
            if self._broken:
                return
            self._broken = True
            for call in self._drain():
                if call.future.set_running_or_notify_cancel():
                    call.future.set_exception(WorkerDied("an ingest worker process died"))
            for _ in self._threads:
                self._calls.put(None)
        for process in self._processes:
            process.kill()


def _spawn(start: Path) -> subprocess.Popen[bytes]:
    """A worker process, given this process's id and import path (as multiprocessing gives its own).

    `-P`: the current folder is not put ahead of the import path before the parent's is taken."""
    args = [sys.executable, "-P", "-c", _BOOT, str(start), str(os.getpid()), *sys.path]
    return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def _answer(
    process: subprocess.Popen[bytes], request: bytes, on_item: Callable[[bytes], None] | None = None
) -> tuple[int, Any]:
    """Make one call in a worker: the answer's kind and value (a generator's: with its items, or
    with none when each went to `on_item`)."""
    assert process.stdin is not None and process.stdout is not None
    try:
        _frames.write_frame(process.stdin, _frames.CALL, request)
        process.stdin.flush()
    except OSError as e:  # the pipe is closed: the worker is gone
        raise WorkerDied(f"ingest worker {process.pid} is gone ({e})") from e
    items: list[bytes] = []
    while (frame := _frames.read_frame(process.stdout)) is not None:
        kind, payload = frame
        if kind == _frames.ITEM:
            if on_item is None:
                items.append(payload)
            else:
                on_item(payload)
            continue
        value = pickle.loads(payload)
        return kind, ((value, items) if kind == _frames.STREAMED else value)
    raise WorkerDied(f"ingest worker {process.pid} died (exit status {process.wait()})")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Close a worker's pipes (it exits on the end of its input) and wait for it."""
    for pipe in (process.stdin, process.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):  # unflushed bytes to a worker that is gone
                pipe.close()
    process.wait()
