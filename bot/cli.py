"""The command line: `storydesk ...` and `python -m bot ...` (same thing)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import sys
from collections.abc import Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot import __version__
from bot.config import ConfigError, Settings, load_settings, resolve_database_url
from bot.news import DatabaseError, NewsDesk, UserFacingError

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_DB = 0, 1, 2, 3
Handler = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]
COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    """Register a sub-command handler."""

    def deco(fn: Handler) -> Handler:
        COMMANDS[name] = fn
        return fn

    return deco


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "": 3600}


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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="storydesk", description="Storydesk: news from many outlets, as stories."
    )
    p.add_argument("--config", help="config file (default ./config.toml, else built-in defaults)")
    p.add_argument("--db", help="database file path or URL (beats STORYDESK_DB and [database] url)")
    p.add_argument("-v", "--verbose", action="store_true", help="log more")
    p.add_argument("--version", action="version", version=f"storydesk {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        return sp

    sp = add("extract", "clean one file and print the article (no database)")
    sp.add_argument("file")
    sp.add_argument("--json", action="store_true")

    sp = add("ingest", "read files or folders into the database")
    sp.add_argument("paths", nargs="+", metavar="PATH")
    sp.add_argument("--json", action="store_true")

    sp = add("articles", "list stored articles")
    sp.add_argument("--outlet")
    sp.add_argument("--since", type=parse_duration, help="arrived in the last DURATION (e.g. 24h)")
    sp.add_argument("--json", action="store_true")

    sp = add("stories", "list stories")
    sp.add_argument("--since", type=parse_duration, help="with articles arrived in the last DURATION")
    sp.add_argument("--query", help="only stories mentioning this")
    sp.add_argument("--json", action="store_true")

    sp = add("story", "show one story")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("--json", action="store_true")

    sp = add("quotes", "who said what in a story, across outlets")
    sp.add_argument("story", type=int, metavar="STORY")
    sp.add_argument("--speaker", metavar="NAME")
    sp.add_argument("--json", action="store_true")

    sp = add("compare", "how each outlet told a story")
    sp.add_argument("story", type=int, metavar="STORY")
    sp.add_argument("--outlet")
    sp.add_argument("--json", action="store_true")

    sp = add("digest", "the top stories that arrived recently")
    sp.add_argument(
        "--hours", type=positive_float, help="period, counting back from now (default from config)"
    )
    sp.add_argument("--min-outlets", type=positive_int)
    sp.add_argument("--max-stories", type=positive_int)
    sp.add_argument(
        "--keyword", action="append", default=[], help="only stories mentioning this (repeatable)"
    )
    sp.add_argument("--json", action="store_true")

    sp = add("status", "what is stored and how ingestion is doing")
    sp.add_argument("--json", action="store_true")

    add("run", "run the Discord bot (DISCORD_TOKEN from the environment)")
    from bot.cli_feeds import add_feed_commands  # feed commands live with their own handlers

    add_feed_commands(sub)
    return p


def emit_json(data: Any) -> None:
    """Print JSON for scripts (datetimes as ISO 8601)."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


async def open_desk(args: argparse.Namespace, settings: Settings) -> NewsDesk:
    """The engine over the configured database."""
    return await NewsDesk.open(resolve_database_url(settings, args.db), settings=settings.engine())


def with_desk(fn: Callable[[argparse.Namespace, Settings, NewsDesk], Coroutine[Any, Any, int]]) -> Handler:
    """Open the desk for a handler and always close it."""

    async def run(args: argparse.Namespace, settings: Settings) -> int:
        desk = await open_desk(args, settings)
        try:
            return await fn(args, settings, desk)
        finally:
            await desk.close()

    return run


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        settings = load_settings(args.config)
    except ConfigError as e:
        print(f"storydesk: {e}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "run" and not args.verbose:
        logging.getLogger().setLevel(settings.logging.level.upper())
    if not args.verbose:
        logging.getLogger("trafilatura").setLevel(logging.ERROR)
    import bot.cli_commands  # noqa: F401  (registers the handlers)

    try:
        return asyncio.run(COMMANDS[args.command](args, settings))
    except DatabaseError as e:
        print(f"storydesk: {e}", file=sys.stderr)
        return EXIT_DB
    except UserFacingError as e:
        print(f"storydesk: {e}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130


def resolve_path(p: str) -> Path:
    return Path(p).expanduser()
