"""The main parser and the entry point: global options, one `register()` per command family."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

from bot import ENGINE_MODE, __version__
from bot.cli import _digest, _feeds, _ingest, _reading, _run, _said, _work
from bot.cli._common import EXIT_DB, EXIT_FAIL, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, Handler, json_parent
from bot.cli._output import terminal_safe
from bot.config import ConfigError, Settings, load_settings, private_address_warning
from bot.news import DatabaseError, UserFacingError, collect_less

log = logging.getLogger(__name__)

# Each family adds its sub-commands and sets `handler` on them; the order is the help's order.
FAMILIES = (_ingest, _reading, _digest, _run, _work, _feeds, _said)
# Commands that fetch from the network: they warn when private addresses are allowed.
FETCHING = ("run", "work", "feeds", "poll")


class _TerminalFormatter(logging.Formatter):
    """Log lines name files, feeds and titles from outside: never let them act on the terminal."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(super().format(record))


def build_parser() -> argparse.ArgumentParser:
    """The whole `storydesk` parser."""
    p = argparse.ArgumentParser(
        prog="storydesk", description="Storydesk: news from many outlets, as stories."
    )
    p.add_argument("--config", help="config file (default ./config.toml, else built-in defaults)")
    p.add_argument("--db", help="database file path or URL (beats STORYDESK_DB and [database] url)")
    p.add_argument("-v", "--verbose", action="store_true", help="log more")
    p.add_argument("--version", action="version", version=f"storydesk {__version__}, engine {ENGINE_MODE}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    json_option = json_parent()
    for family in FAMILIES:
        family.register(sub, json_option)
    return p


def main(argv: list[str] | None = None, *, own_process: bool = False) -> int:
    """Entry point of the console script (`own_process`: this process is the command's alone, as
    it is for `storydesk`/`python -m bot`, not a test's that calls this)."""
    args = build_parser().parse_args(argv)
    if own_process and args.command == "ingest":
        # A batch import: its imported code is left out of the garbage collector's passes, which
        # run less often (`collect_less`: 1.45 -> 0.18 s of a 10,000-article run's 32 s). Not for
        # the long-running commands, whose idle hours would then hold cyclic garbage (and
        # whatever it keeps open) until the next pass.
        collect_less()
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setFormatter(_TerminalFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, handlers=[to_stderr])
    try:
        settings = load_settings(args.config)
    except ConfigError as e:
        print(f"storydesk: {terminal_safe(str(e))}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "run" and not args.verbose:
        logging.getLogger().setLevel(settings.logging.level.upper())
    if not args.verbose:
        logging.getLogger("trafilatura").setLevel(logging.ERROR)
    _warn_private_addresses(args.command, settings)
    handler: Handler = args.handler
    try:
        code = asyncio.run(handler(args, settings))
        sys.stdout.flush()  # here, where a closed pipe is caught, not at interpreter exit
        return code
    except BrokenPipeError:
        return _reader_went_away()
    except DatabaseError as e:
        print(f"storydesk: {terminal_safe(str(e))}", file=sys.stderr)
        return EXIT_DB
    except UserFacingError as e:
        print(f"storydesk: {terminal_safe(str(e))}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _warn_private_addresses(command: str, settings: Settings) -> None:
    # Loud on purpose: the setting lets any server admin's /feeds add reach the host's own services.
    warning = private_address_warning(settings)
    if warning and command in FETCHING:
        log.warning("%s", warning)


def _reader_went_away() -> int:
    """`storydesk stories | head`: the reader closed the pipe. Not an error of ours: stop quietly.

    stdout is pointed at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return EXIT_OK
