"""Feed commands of the CLI: `storydesk feeds add|list|remove` and `storydesk poll [--once]`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from typing import Any

from bot.cli._common import EXIT_OK, Subcommands, emit_json, open_desk, parse_duration, with_desk
from bot.cli._output import for_terminal
from bot.config import Settings
from bot.news import Feed, NewsDesk, PollReport

MAX_SLEEP = 60.0  # seconds between looks at the database, so feeds added meanwhile are picked up


def register(sub: Subcommands, json_option: argparse.ArgumentParser) -> None:
    """Add `feeds add|list|remove` and `poll` to the main parser."""
    feeds_parser = sub.add_parser(
        "feeds", help="manage shared RSS/Atom feeds", description="Manage shared RSS/Atom feeds."
    )
    feeds_parser.set_defaults(handler=feeds)
    fsub = feeds_parser.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    sp = fsub.add_parser("add", help="add a feed (or a web page that links its feed)", parents=[json_option])
    sp.add_argument("url", metavar="URL")
    sp.add_argument("--name", help="the outlet name to show (default: the feed's title)")
    sp.add_argument(
        "--interval", type=parse_duration, help="time between polls, e.g. 15m (default from config)"
    )
    fsub.add_parser("list", help="list feeds and their health", parents=[json_option])
    sp = fsub.add_parser("remove", help="remove a feed by id or URL (its articles stay)")
    sp.add_argument("feed", metavar="ID_OR_URL")

    poll_parser = sub.add_parser(
        "poll",
        help="poll feeds by their interval",
        description="Poll feeds into the database. With --once and --json, print the report as JSON.",
        parents=[json_option],
    )
    poll_parser.set_defaults(handler=poll)
    poll_parser.add_argument(
        "--once", action="store_true", help="poll every feed now, whatever its interval, then exit"
    )


def _when(dt: datetime | None) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt else "never"


def feed_json(f: Feed) -> dict[str, Any]:
    return f.model_dump(mode="json") | {"needs_alert": f.needs_alert}


@for_terminal
def feeds_table(feeds: list[Feed]) -> str:
    if not feeds:
        return "No feeds. Add one with: storydesk feeds add URL"
    lines = []
    for f in feeds:
        scope = "shared" if f.guild_id is None else f"server {f.guild_id}"
        health = (
            f"FAILING ({f.failures}x): {f.last_error}"
            if f.failing
            else (f"error: {f.last_error}" if f.last_error else "ok")
        )
        lines.append(f"{f.id:>4}  {f.display_name}  <{f.url}>")
        lines.append(
            f"      {scope}, {f.origin}, every {f.interval / 60:g} min, last ok {_when(f.last_ok_at)}; {health}"
        )
    return "\n".join(lines)


@for_terminal
def poll_text(report: PollReport) -> str:
    s = report.summary()
    head = (
        f"Polled {s['feeds']} feeds: {s['ok']} read, {s['not_modified']} unchanged (304), {s['errors']} failed. "
        f"Articles: {s['new']} new, {s['updated']} updated; entries waiting: {s['pending']}."
    )
    errors = [f"  feed {r.feed_id} <{r.url}>: {r.error}" for r in report.results if r.status == "error"]
    moves = [
        f"  feed {r.feed_id} moved permanently to <{r.moved_to}>"
        + (
            f": feed {r.merged_into} already reads it, so feed {r.feed_id} was removed"
            if r.merged_into
            else ""
        )
        for r in report.results
        if r.moved_to
    ]
    return "\n".join([head, *errors, *moves])


def poll_json(report: PollReport) -> dict[str, Any]:
    return report.summary() | {
        "results": [
            {
                "feed_id": r.feed_id,
                "url": r.url,
                "status": r.status,
                "error": r.error,
                "new": r.new,
                "updated": r.updated,
                "pending": r.pending,
                "failed": r.failed,
                "announce": r.announce,
                "moved_to": r.moved_to,
                "merged_into": r.merged_into,
            }
            for r in report.results
        ]
    }


async def feeds(args: argparse.Namespace, settings: Settings) -> int:
    # Only `add` may create the database; `list` and `remove` on a mistyped --db must not.
    desk = await open_desk(args, settings, create=args.feeds_command == "add")
    try:
        return await _feeds_action(args, desk)
    finally:
        await desk.close()


async def _feeds_action(args: argparse.Namespace, desk: NewsDesk) -> int:
    if args.feeds_command == "add":
        interval = args.interval.total_seconds() if args.interval else None
        added = await desk.feeds.add(args.url, name=args.name, interval=interval, origin="cli")
        if args.json:
            emit_json(
                feed_json(added.feed) | {"discovered_from": added.discovered_from, "entries": added.entries}
            )
        else:
            found = f" (found on {added.discovered_from})" if added.discovered_from else ""
            print(
                f"Added feed {added.feed.id}: {added.feed.display_name} <{added.feed.url}>{found}, {added.entries} entries now."
            )
    elif args.feeds_command == "list":
        listed = await desk.feeds.list_feeds(everything=True)
        if args.json:
            emit_json([feed_json(f) for f in listed])
        else:
            print(feeds_table(listed))
    else:
        removed = await desk.feeds.remove(args.feed, everything=True)
        print(f"Removed feed {removed.id}: {removed.url} (its articles stay).")
    return EXIT_OK


@with_desk
async def poll(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    sync = await desk.feeds.sync_config(settings.feeds)
    for url in sync.refused:
        print(f"storydesk: config feed refused: {url}", file=sys.stderr)
    if args.once:
        report = await desk.feeds.poll(force=True)
        if args.json:
            emit_json(poll_json(report))
        else:
            print(poll_text(report))
        return EXIT_OK
    print("Polling feeds by their interval; Ctrl+C stops.", file=sys.stderr)
    while True:
        report = await desk.feeds.poll()
        if report.results:
            print(poll_text(report), flush=True)
        due = await desk.feeds.next_due_at()
        wait = MAX_SLEEP if due is None else (due - desk.clock()).total_seconds()
        await asyncio.sleep(min(MAX_SLEEP, max(1.0, wait)))
