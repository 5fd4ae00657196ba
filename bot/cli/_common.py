"""What every command family shares: exit codes, argument types, the desk per handler, JSON output."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings, resolve_database_url
from bot.news import NewsDesk

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_DB = 0, 1, 2, 3
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
    return timedelta(seconds=float(m.group(1)) * _UNIT_SECONDS[m.group(2).lower()])


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
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def emit_json(data: Any) -> None:
    """Print JSON for scripts (datetimes as ISO 8601)."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


async def open_desk(args: argparse.Namespace, settings: Settings) -> NewsDesk:
    """The engine over the configured database."""
    return await NewsDesk.open(resolve_database_url(settings, args.db), settings=settings.engine())


def with_desk(fn: DeskHandler) -> Handler:
    """Open the desk for a handler and always close it."""

    async def run(args: argparse.Namespace, settings: Settings) -> int:
        desk = await open_desk(args, settings)
        try:
            return await fn(args, settings, desk)
        finally:
            await desk.close()

    return run


def resolve_path(p: str) -> Path:
    return Path(p).expanduser()
