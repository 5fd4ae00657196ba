"""`storydesk run`: the Discord bot, imported only when it really runs."""

from __future__ import annotations

import argparse

from bot.cli._common import Subcommands
from bot.config import Settings


def register(sub: Subcommands, json_option: argparse.ArgumentParser) -> None:
    """Add `run` to the main parser (it prints logs, not data: no --json)."""
    help_ = "run the Discord bot (DISCORD_TOKEN from the environment)"
    sp = sub.add_parser("run", help=help_, description=help_)
    sp.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime.main import run_bot  # Discord is only imported when the bot really runs

    return await run_bot(settings, db=args.db)
