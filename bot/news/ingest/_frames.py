"""The ingest workers' wire: pickled frames on a pair of pipes, and a worker's answering loop.

The ingesting process writes a call (a function, by reference, and its arguments); the worker
answers with its value, or its exception. A generator function's items are sent one frame each,
as the worker packs them (`pack_item`), and come back as `(return value, [packed items])`: a worker then
holds one article at a time, and the ingesting process keeps them as bytes until the writer takes
them (`PendingRead.result`).

Standard library only: a worker imports this beside what reading needs (see `_worker_start.py`).
"""

from __future__ import annotations

import pickle
import struct
import traceback
import types
from typing import IO, Any

# A frame: its kind (one byte) and its length (eight), then that many bytes of pickle.
_HEAD = struct.Struct("!BQ")
CALL = 1  # to a worker: (function, args)
ITEM = 2  # from a worker: one item of a generator, pickled as itself
RETURN = 3  # from a worker: the call's value
STREAMED = 4  # from a worker: a generator's return value, after its items
RAISE = 5  # from a worker: (exception, traceback text)


def write_frame(out: IO[bytes], kind: int, payload: bytes) -> None:
    """One frame (not flushed)."""
    out.write(_HEAD.pack(kind, len(payload)))
    out.write(payload)


def read_frame(src: IO[bytes]) -> tuple[int, bytes] | None:
    """The next frame, or None when the other side has gone (end of the pipe, even mid-frame)."""
    head = src.read(_HEAD.size)
    if len(head) < _HEAD.size:
        return None
    kind, size = _HEAD.unpack(head)
    payload = src.read(size)
    return (kind, payload) if len(payload) == size else None


def dumps(value: object) -> bytes:
    """A value as a frame carries it."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def pack_item(item: object) -> bytes:
    """A generator's item as a frame carries it and the ingesting process keeps it until it is
    used: pickled (an article: ~7.7 kB, ~0.03 ms here and about as much to undo, on the
    writer's core; `_wire.py`). Not compressed: zlib's fastest level took an article to ~4.4 kB
    (~1.7 MB less for a 500-article file read ahead of the writer) but cost ~0.1 ms an article
    here and ~0.04 ms there, while the ingest is short of CPU, not of memory."""
    return dumps(item)


def unpack_item(packed: bytes) -> Any:
    """An item from `pack_item` (our own worker's bytes)."""
    return pickle.loads(packed)


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """A worker's loop: answer each call until the ingesting process closes the pipe."""
    while (frame := read_frame(requests)) is not None:
        try:
            function, args = pickle.loads(frame[1])
            value = function(*args)
            if isinstance(value, types.GeneratorType):
                kind, payload = STREAMED, dumps(_stream(value, replies))
            else:
                kind, payload = RETURN, dumps(value)
        except Exception as e:  # the caller's to handle, as if the call had run there
            kind, payload = RAISE, _dumps_error(e)
        write_frame(replies, kind, payload)
        replies.flush()


def _stream(items: types.GeneratorType[Any, None, Any], replies: IO[bytes]) -> Any:
    """Send a generator's items as they come (each dropped once sent); its return value."""
    while True:
        try:
            item = next(items)
        except StopIteration as done:
            return done.value
        write_frame(replies, ITEM, pack_item(item))
        del item


def _dumps_error(error: Exception) -> bytes:
    text = "".join(traceback.format_exception(error))
    try:
        return dumps((error, text))
    except Exception:  # an exception that does not pickle: its text all the same
        return dumps((RuntimeError(f"{error.__class__.__name__}: {error}"), text))
