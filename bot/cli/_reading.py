"""Reading commands: `articles`, `stories`, `story`, `quotes`, `compare`: one engine call, printed."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli import _output as out
from bot.cli._common import (
    EXIT_OK,
    Subcommands,
    add_command,
    emit_json,
    parse_duration,
    resolve_path,
    with_existing_desk,
)
from bot.config import Settings
from bot.news import (
    BadArgument,
    NewsDesk,
    Story,
    build_coverage,
    may_develop,
    outlet_label,
    outlets_matching,
    render_png,
)


def register(sub: Subcommands, json_option: argparse.ArgumentParser) -> None:
    """Add the reading commands to the main parser."""
    sp = add_command(sub, "articles", "list stored articles", json_option)
    sp.set_defaults(handler=articles)
    sp.add_argument(
        "--outlet", help="only this outlet (any case; a prefix or whole words of its name will do)"
    )
    sp.add_argument("--since", type=parse_duration, help="arrived in the last DURATION (e.g. 24h)")

    sp = add_command(sub, "stories", "list stories", json_option)
    sp.set_defaults(handler=stories)
    sp.add_argument("--since", type=parse_duration, help="with articles arrived in the last DURATION")
    sp.add_argument("--query", help="only stories mentioning this")
    sp.add_argument(
        "--rank",
        choices=("newest", "reports"),
        default="newest",
        help="newest first (default) or most independent reports first",
    )

    sp = add_command(sub, "story", "show one story", json_option)
    sp.set_defaults(handler=story)
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument(
        "--picture",
        metavar="FILE.png",
        help="also write the coverage picture (when each outlet published, developing figures) as PNG",
    )

    sp = add_command(sub, "quotes", "who said what in a story, across outlets", json_option)
    sp.set_defaults(handler=quotes)
    sp.add_argument("story", type=int, metavar="STORY")
    sp.add_argument("--speaker", metavar="NAME")

    sp = add_command(sub, "compare", "how each outlet told a story", json_option)
    sp.set_defaults(handler=compare)
    sp.add_argument("story", type=int, metavar="STORY")
    sp.add_argument("--outlet")


@with_existing_desk
async def articles(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    found = await desk.articles(since=args.since)
    in_period = len(found)
    if args.outlet:
        names = outlets_matching(args.outlet, (outlet_label(a) for a in found))
        found = [a for a in found if outlet_label(a) in names]
    if args.json:
        emit_json([out.article_json(a) for a in found])
    elif found:
        print(out.articles_table(found))
    else:
        stored = (await desk.status()).articles
        print(out.no_articles(args.outlet, args.since, in_period, stored))
    return EXIT_OK


@with_existing_desk
async def stories(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    found = await desk.stories(since=args.since, query=args.query, rank=args.rank)
    if args.json:
        emit_json([s.model_dump(mode="json") for s in found])
    elif found:
        print(out.stories_list(found))
    else:
        print(out.no_stories(args.query, args.since, (await desk.status()).stories))
    return EXIT_OK


@with_existing_desk
async def story(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    found = await desk.story(args.id)
    picture = await write_picture(desk, found, resolve_path(args.picture)) if args.picture else None
    if args.json:
        shown = found.model_dump(mode="json")
        if picture is not None:
            shown["picture"] = str(picture)
        emit_json(shown)
    else:
        print(out.story_detail(found))
    if picture is not None and not args.json:
        print(f"Coverage picture written to {picture}.", file=sys.stderr)
    return EXIT_OK


async def write_picture(desk: NewsDesk, story: Story, path: Path) -> Path:
    """Draw the story's coverage picture (with its developing figures) into `path`."""
    comparison = await desk.compare(story.id) if may_develop(story) else None
    png = await asyncio.to_thread(render_png, build_coverage(story, comparison))
    try:
        path.write_bytes(png)
    except OSError as e:
        raise BadArgument(f"Cannot write the picture to {path}: {e.strerror or e}.") from e
    return path


@with_existing_desk
async def quotes(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    groups = await desk.quotes(args.story, speaker=args.speaker)
    if args.json:
        emit_json([g.model_dump(mode="json") for g in groups])
    else:
        print(out.quote_groups(groups))
    return EXIT_OK


@with_existing_desk
async def compare(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    result = await desk.compare(args.story, outlet=args.outlet)
    if args.json:
        emit_json(result.model_dump(mode="json"))
    else:
        print(out.comparison(result))
    return EXIT_OK
