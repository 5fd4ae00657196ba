"""`storydesk digest` and `storydesk status`: what moved, and how the desk is doing."""

from __future__ import annotations

import argparse
from datetime import timedelta

from bot.cli import _output as out
from bot.cli._common import (
    EXIT_OK,
    Subcommands,
    emit_json,
    hours_arg,
    positive_int,
    with_existing_desk,
)
from bot.config import Settings
from bot.news import Digest, NewsDesk, parse_filter


def register(sub: Subcommands, json_option: argparse.ArgumentParser) -> None:
    """Add `digest` and `status` to the main parser."""
    help_ = "the top stories that arrived recently"
    sp = sub.add_parser("digest", help=help_, description=help_, parents=[json_option])
    sp.set_defaults(handler=digest)
    sp.add_argument("--hours", type=hours_arg, help="period, counting back from now (default from config)")
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
    sp.add_argument(
        "--since-last",
        type=positive_int,
        metavar="CHANNEL_ID",
        help="what this Discord channel's next scheduled digest would show: stories it saw, only their changes",
    )
    help_ = "what is stored and how ingestion is doing"
    sp = sub.add_parser("status", help=help_, description=help_, parents=[json_option])
    sp.set_defaults(handler=status)


@with_existing_desk
async def digest(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    hours = args.hours or settings.digest.hours
    min_outlets = args.min_outlets or settings.digest.min_outlets
    max_stories = args.max_stories or settings.digest.max_stories
    if args.since_last:
        result = await desk.channel_digest(
            args.since_last,
            hours=hours,
            max_stories=max_stories,
            min_outlets=min_outlets,
            keywords=args.keyword,
        )
    else:
        result = await desk.digest(
            hours=hours,
            max_stories=max_stories,
            min_outlets=min_outlets,
            keywords=args.keyword,
            story_filter=parse_filter(args.include, args.exclude),
        )
    if args.json:
        emit_json(result.model_dump(mode="json"))
    else:
        why = await _why_empty(desk, result, hours, min_outlets, args.keyword) if not result.items else None
        print(out.digest_text(result, why))
    return EXIT_OK


async def _why_empty(
    desk: NewsDesk, result: Digest, hours: float, min_outlets: int, keywords: list[str]
) -> str:
    """What was asked of an empty digest, and what did arrive in its period."""
    arrived = await desk.stories(since=timedelta(hours=hours))
    if not arrived:
        return f"Nothing new arrived in the last {hours:g} h ({(await desk.status()).articles} article(s) stored in all)."
    widest = max(len(s.outlets) for s in arrived)
    asked = []
    if min_outlets > 1:
        asked.append(f"carried by at least {min_outlets} outlets")
    if keywords:
        asked.append("mentioning " + " or ".join(repr(k) for k in keywords))
    wanted = " and ".join(asked) or "that qualifies"
    return (
        f"No story {wanted}: {len(arrived)} stor{'y' if len(arrived) == 1 else 'ies'} took articles "
        f"in the last {hours:g} h, the widest carried by {widest} outlet(s)."
    )


@with_existing_desk
async def status(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    st = await desk.status()
    data = {
        "articles": st.articles,
        "stories": st.stories,
        "last_ingest": st.last_ingest.isoformat() if st.last_ingest else None,
        "recent_rejections": [out.rejection_json(p, r, at) for p, r, at in st.recent_rejections],
        # The CLI is the owner's view: every feed, shared and every server's.
        "feeds": out.feed_health_json(await desk.feeds.health(everything=True)),
        "allow_private_addresses": settings.network.allow_private_addresses,
    }
    if args.json:
        emit_json(data)
    else:
        print(out.status_text(data))
    return EXIT_OK
