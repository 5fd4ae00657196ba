"""The main parser and the entry point: global options, one `register()` per command family."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot import __version__
from bot.cli import _digest, _feeds, _ingest, _reading, _run, _said
from bot.cli._common import EXIT_DB, EXIT_FAIL, EXIT_USAGE, Handler, json_parent
from bot.config import ConfigError, load_settings
from bot.news import DatabaseError, UserFacingError

log = logging.getLogger(__name__)

# Each family adds its sub-commands and sets `handler` on them; the order is the help's order.
FAMILIES = (_ingest, _reading, _digest, _run, _feeds, _said)


def build_parser() -> argparse.ArgumentParser:
    """The whole `storydesk` parser."""
    p = argparse.ArgumentParser(
        prog="storydesk", description="Storydesk: news from many outlets, as stories."
    )
    p.add_argument("--config", help="config file (default ./config.toml, else built-in defaults)")
    p.add_argument("--db", help="database file path or URL (beats STORYDESK_DB and [database] url)")
    p.add_argument("-v", "--verbose", action="store_true", help="log more")
    p.add_argument("--version", action="version", version=f"storydesk {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    json_option = json_parent()
    for family in FAMILIES:
        family.register(sub, json_option)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
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
    handler: Handler = args.handler
    try:
        return asyncio.run(handler(args, settings))
    except DatabaseError as e:
        print(f"storydesk: {e}", file=sys.stderr)
        return EXIT_DB
    except UserFacingError as e:
        print(f"storydesk: {e}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130
