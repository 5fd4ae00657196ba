"""Feed commands of the CLI: `storydesk feeds add|list|remove` and `storydesk poll [--once]`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from datetime import datetime
from typing import Any

from bot.cli._common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    Subcommands,
    emit_json,
    on_stop_signals,
    open_desk,
    parse_duration,
    resolve_path,
    with_desk,
)
from bot.cli._output import for_terminal
from bot.config import Settings
from bot.news import Feed, NewsDesk, NotFound, PollReport, export_opml, import_opml

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
    sp = fsub.add_parser(
        "import", help="add every feed of an OPML file (bad entries reported)", parents=[json_option]
    )
    sp.add_argument("file", metavar="FILE.opml")
    sp = fsub.add_parser("export", help="print the shared feeds as OPML")
    sp.add_argument("--out", metavar="FILE", help="write to FILE instead of printing")

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
    desk = await open_desk(args, settings, create=args.feeds_command in ("add", "import"))
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
    elif args.feeds_command == "import":
        return await _import(args, desk)
    elif args.feeds_command == "export":
        _export(args, await desk.feeds.list_feeds(guild_id=None))
    else:
        removed = await desk.feeds.remove(args.feed, everything=True)
        print(f"Removed feed {removed.id}: {removed.url} (its articles stay).")
    return EXIT_OK


async def _import(args: argparse.Namespace, desk: NewsDesk) -> int:
    """`feeds import FILE.opml`: every entry tried; refused ones are reported, as an ingest's rejected
    files are (exit 0)."""
    try:
        data = resolve_path(args.file).read_bytes()
    except OSError as e:
        raise NotFound(f"cannot read {args.file}: {e.strerror or e}") from None
    result = await import_opml(desk.feeds, data, origin="cli")
    refused = [{"url": e.url, "name": e.name, "entry": e.line, "reason": why} for e, why in result.refused]
    if args.json:
        emit_json({"added": [feed_json(f) for f in result.added], "refused": refused})
    else:
        print(f"Imported {len(result.added)} feed(s); {len(refused)} refused.")
        for f in result.added:
            print(f"  + {f.id:>4}  {f.display_name}  <{f.url}>")
        for r in refused:
            print(f"  ! entry {r['entry']} {r['url'] or '(no URL)'}: {r['reason']}")
    return EXIT_OK


def _export(args: argparse.Namespace, listed: list[Feed]) -> None:
    text = export_opml(listed)
    if args.out:
        resolve_path(args.out).write_text(text, encoding="utf-8")
        print(f"Wrote {len(listed)} feed(s) to {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(text)


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
    stop = _stop_on_interrupt()
    while not stop.is_set():
        report = await desk.feeds.poll()
        if report.results:
            print(poll_text(report), flush=True)
        due = await desk.feeds.next_due_at()
        wait = MAX_SLEEP if due is None else (due - desk.clock()).total_seconds()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), min(MAX_SLEEP, max(1.0, wait)))
    return EXIT_INTERRUPTED


def _stop_on_interrupt() -> asyncio.Event:
    """An event set by Ctrl+C (or SIGTERM): the poll in hand finishes, then the loop stops.

    Not the default (a KeyboardInterrupt cancelling whatever runs): a database call cancelled
    midway could leave its SQLite connection closing for ever (aiosqlite), and the command never
    exited. A second Ctrl+C stops at once, as the default does."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def interrupted() -> None:
        stop.set()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)  # the next Ctrl+C: KeyboardInterrupt

    on_stop_signals(interrupted)
    return stop
