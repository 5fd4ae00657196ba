"""What every command family shares: exit codes, argument types, the desk per handler, JSON output."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import re
import signal
from collections.abc import Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.config import MAX_HOURS, Settings, resolve_database_url
from bot.news import DatabaseError, NewsDesk

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_DB = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # stopped by Ctrl+C, as a shell reports SIGINT
Handler = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]
DeskHandler = Callable[[argparse.Namespace, Settings, NewsDesk], Coroutine[Any, Any, int]]
# The `add_subparsers()` action; argparse does not export its type.
Subcommands = Any

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "": 3600}


def json_parent() -> argparse.ArgumentParser:
    """The `--json` option, declared once and inherited by every command that prints data."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", help="print JSON for scripts instead of text")
    return parent


def add_command(
    sub: Subcommands, name: str, help_: str, json_option: argparse.ArgumentParser
) -> argparse.ArgumentParser:
    """A sub-command whose help is its description, with the shared `--json` option."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help_, description=help_, parents=[json_option]
    )
    return parser


def parse_duration(text: str) -> timedelta:
    """'90m', '24h', '3d', '1w' or a bare number of hours."""
    m = _DURATION.match(text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 90m, 24h, 3d, 1w)")
    seconds = float(m.group(1)) * _UNIT_SECONDS[m.group(2).lower()]
    if seconds > MAX_HOURS * 3600:
        raise argparse.ArgumentTypeError(f"too long: {text!r} (at most {MAX_HOURS:g} hours)")
    return timedelta(seconds=seconds)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def hours_arg(text: str) -> float:
    """A period in hours: more than 0, at most MAX_HOURS (more overflows date arithmetic)."""
    value = positive_float(text)
    if value > MAX_HOURS:
        raise argparse.ArgumentTypeError(f"too long: {text} hours (at most {MAX_HOURS:g})")
    return value


def emit_json(data: Any) -> None:
    """Print JSON for scripts (datetimes as ISO 8601)."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


async def open_desk(args: argparse.Namespace, settings: Settings, *, create: bool = True) -> NewsDesk:
    """The engine over the configured database; with `create=False`, a SQLite file must exist."""
    url = resolve_database_url(settings, args.db)
    if not create:
        missing = _missing_sqlite_file(url)
        if missing:
            # A typo in --db must not leave a new empty database (and its lock files) behind.
            raise DatabaseError(
                f"cannot open database {missing}: no such file (nothing was created; check --db, "
                "STORYDESK_DB or [database] url, or store articles first with `storydesk ingest PATH`)"
            )
    return await NewsDesk.open(url, settings=settings.engine())


def _missing_sqlite_file(url: str) -> str | None:
    """The path of a SQLite database file that does not exist yet, else None."""
    if not url.startswith("sqlite"):
        return None
    path = url.split(":///", 1)[-1].split("?", 1)[0]
    if not path or path == ":memory:" or Path(path).exists():
        return None
    return path


def with_desk(fn: DeskHandler) -> Handler:
    """Open the desk for a handler (creating the database if need be) and always close it."""
    return _desk_handler(fn, create=True)


def with_existing_desk(fn: DeskHandler) -> Handler:
    """Like `with_desk`, for commands that only read: a database that does not exist is an error."""
    return _desk_handler(fn, create=False)


def _desk_handler(fn: DeskHandler, *, create: bool) -> Handler:
    async def run(args: argparse.Namespace, settings: Settings) -> int:
        desk = await open_desk(args, settings, create=create)
        try:
            return await fn(args, settings, desk)
        finally:
            await desk.close()

    return run


def resolve_path(p: str) -> Path:
    return Path(p).expanduser()


def on_stop_signals(handler: Callable[[], None]) -> None:
    """Call `handler` on SIGTERM or Ctrl+C (SIGINT) instead of raising in whatever runs (a
    database call cancelled midway can leave an aiosqlite connection closing for ever)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C still raises
            loop.add_signal_handler(sig, handler)
