"""`storydesk digest` and `storydesk status`: what moved, and how the desk is doing."""

from __future__ import annotations

import argparse

from bot.cli import _output as out
from bot.cli._common import (
    EXIT_OK,
    Subcommands,
    emit_json,
    positive_float,
    positive_int,
    with_desk,
)
from bot.config import Settings
from bot.news import NewsDesk, parse_filter


def register(sub: Subcommands, json_option: argparse.ArgumentParser) -> None:
    """Add `digest` and `status` to the main parser."""
    help_ = "the top stories that arrived recently"
    sp = sub.add_parser("digest", help=help_, description=help_, parents=[json_option])
    sp.set_defaults(handler=digest)
    sp.add_argument(
        "--hours", type=positive_float, help="period, counting back from now (default from config)"
    )
    sp.add_argument("--min-outlets", type=positive_int)
    sp.add_argument("--max-stories", type=positive_int)
    sp.add_argument(
        "--keyword", action="append", default=[], help="only stories mentioning this (repeatable)"
    )
    sp.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="ENTRIES",
        help="only stories mentioning one of these, comma-separated; outlet:NAME for an outlet (repeatable)",
    )
    sp.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="ENTRIES",
        help="leave out stories leading with one of these; outlet:NAME ignores an outlet (repeatable)",
    )
    help_ = "what is stored and how ingestion is doing"
    sp = sub.add_parser("status", help=help_, description=help_, parents=[json_option])
    sp.set_defaults(handler=status)


@with_desk
async def digest(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    result = await desk.digest(
        hours=args.hours or settings.digest.hours,
        max_stories=args.max_stories or settings.digest.max_stories,
        min_outlets=args.min_outlets or settings.digest.min_outlets,
        keywords=args.keyword,
        story_filter=parse_filter(args.include, args.exclude),
    )
    if args.json:
        emit_json(result.model_dump(mode="json"))
    else:
        print(out.digest_text(result))
    return EXIT_OK


@with_desk
async def status(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    st = await desk.status()
    data = {
        "articles": st.articles,
        "stories": st.stories,
        "last_ingest": st.last_ingest.isoformat() if st.last_ingest else None,
        "recent_rejections": [
            {"path": p, "reason": r, "at": at.isoformat()} for p, r, at in st.recent_rejections
        ],
        # The CLI is the owner's view: every feed, shared and every server's.
        "feeds": out.feed_health_json(await desk.feeds.health(everything=True)),
    }
    if args.json:
        emit_json(data)
    else:
        print(out.status_text(data))
    return EXIT_OK
