"""The picture worker's start-up, in a module that imports nothing heavy: a spawned worker imports
its initializer's module first, and lowers its priority only once that has run, so the imports
of the engine (a second of CPU) happen after it, at the lower priority."""

from __future__ import annotations

import contextlib
import os
import threading
import time

# Below the bot (about 40% of its share of a busy core): a picture waits, an answer does not.
WORKER_NICENESS = 4


def start_worker(parent_pid: int) -> None:
    """In the worker: lower its priority, and exit as soon as the bot is gone (even killed)."""
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
