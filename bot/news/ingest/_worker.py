"""What an ingest worker process does: read one file, clean it, extract its quotes and clustering
features, and hand the result back pickled; and the worker's own set-up.

Apart from the pool (`_pool.py`, in the ingesting process) so that a worker imports only this and
what reading needs (see `_worker_start.py`): no asyncio, no executor, no store.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import threading
import time
from collections.abc import Generator
from pathlib import Path

from bot.news.ingest._dropfolder import FileResult, IncomingArticle, read_file, stream_file
from bot.news.ingest._frames import pack_item
from bot.news.models import ExtractedArticle
from bot.news.quotes import extract_quotes
from bot.news.settings import ClusteringSettings
from bot.news.stories import FeatureMaker


def add_quotes(article: ExtractedArticle) -> None:
    """Fill the article's quotes from its cleaned text."""
    article.quotes = extract_quotes(article.text)


def read_with_quotes(
    ref_path: str, path: Path, max_bytes: int, clustering: ClusteringSettings | None = None
) -> FileResult:
    """Read, clean and extract the quotes of one file: the work a worker process does.

    With `clustering`, each article's clustering features too: they depend on its text alone, so
    computing them here takes them off the one ordered writer, the serial part that sets the pace.
    """
    result = read_file(ref_path, path, max_bytes, follow_links=False)  # links were resolved by iter_files
    maker = FeatureMaker(clustering) if clustering is not None else None
    for item in result.items:
        _finish(item, maker)
    return result


def _finish(item: IncomingArticle, maker: FeatureMaker | None) -> None:
    add_quotes(item.article)
    if maker is not None:
        # As JSON: a few kB an article while it waits for the writer, not ~20 kB of objects.
        item.features = maker.features(item.article.title, item.article.text).to_json()


# What a worker hands back: the file's FileResult without its articles, and each article packed
# (pickled as plain values: `_frames.pack_item`, `_wire.py`).
PickledResult = tuple[FileResult, list[bytes]]


def read_streamed(
    ref_path: str, path: Path, max_bytes: int, clustering: ClusteringSettings | None = None
) -> Generator[IncomingArticle, None, FileResult]:
    """`read_with_quotes` one article at a time, for a worker process: each record is parsed,
    cleaned, given its quotes and features, and handed on (the pool pickles and sends it, then
    drops it) before the next is parsed. So a worker holds one article's objects, not a whole
    file's (a JSON Lines file of 500 articles: ~14 MB of objects, and as much again pickled).

    Returns the FileResult without its items; when it refuses the file as a whole, the items
    already handed on are not to be used (`with_items` drops them)."""
    stream = stream_file(ref_path, path, max_bytes, follow_links=False)  # links were resolved by iter_files
    maker = FeatureMaker(clustering) if clustering is not None else None
    while True:
        try:
            item = next(stream)
        except StopIteration as done:
            give_back_memory()
            result: FileResult = done.value
            return result
        _finish(item, maker)
        yield item


def read_pickled(
    ref_path: str, path: Path, max_bytes: int, clustering: ClusteringSettings | None = None
) -> PickledResult:
    """`read_streamed` in this process, its articles packed as a worker's pool sends them."""
    stream = read_streamed(ref_path, path, max_bytes, clustering)
    done: list[bytes] = []
    while True:
        try:
            done.append(pack_item(next(stream)))
        except StopIteration as end:
            return end.value, done


def give_back_memory() -> None:
    """Return the C heap's free pages to the system (glibc's `malloc_trim`; elsewhere nothing).

    A file's articles are hundreds of strings and buffers of a few kB, which Python takes from the
    C allocator and frees together once a file is done; glibc keeps such freed pages mapped, so a
    process's memory creeps up by what the churn leaves behind (~11 MB over a few 500-article
    files, measured). Once a file, ~1.5 ms."""
    # Not glibc (musl, macOS): nothing to give back this way.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _watch_parent(parent_pid: int) -> None:
    """In each worker: exit as soon as the ingesting process is gone, even killed outright
    (SIGKILL, out of memory), so no orphan keeps a core and its memory."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


# Workers yield the CPU to the ingesting process: it runs the one ordered writer, which sets a
# run's pace, and in the bot the event loop that answers Discord. With the writer and two workers
# on two cores, an equal share left the writer a backlog (read articles waiting) that it stored
# alone at the end while a core idled, and kept the bot's answers waiting for a time slice.
_NICENESS = 10


def start_worker(parent_pid: int) -> None:
    """Each worker's set-up, once `_worker_start.py` imported its code: watch the parent, make the
    garbage collector cheaper (`collect_less`), and run at a lower priority than the parent
    (`_NICENESS`)."""
    _watch_parent(parent_pid)
    with contextlib.suppress(OSError):  # not permitted: the same priority as before
        os.nice(_NICENESS)
    collect_less()


def collect_less() -> None:
    """Make this process's garbage collector cheaper for ingesting; call once its code is imported.

    Reading an article makes tens of thousands of short-lived objects (tokens, spans), so the
    default collector (every 700 allocations, scanning the imported modules each full pass) took
    10-20% of a worker's CPU; in the ingesting process, whose full passes also walk the story
    index, 1.45 s of a 10,000-article run's 32 s (0.18 s after). What exists now (the modules) is
    frozen out of its scans and young objects are collected less often; reference counting still
    frees almost everything at once. Process-wide: for a process that ingests (a worker, the
    `storydesk` command), not for a test process that starts many desks.
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
