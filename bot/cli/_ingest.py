"""`storydesk extract` and `storydesk ingest`: reading files, with or without the database."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.cli import _output as out
from bot.cli._common import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_USAGE,
    Subcommands,
    add_command,
    emit_json,
    with_desk,
)
from bot.config import Settings
from bot.news import NewsDesk, add_quotes, read_file


def register(sub: Subcommands, json_option: argparse.ArgumentParser) -> None:
    """Add `extract` and `ingest` to the main parser."""
    sp = add_command(sub, "extract", "clean one file and print the article (no database)", json_option)
    sp.set_defaults(handler=extract)
    sp.add_argument("file")
    sp = add_command(sub, "ingest", "read files or folders into the database", json_option)
    sp.set_defaults(handler=ingest)
    sp.add_argument("paths", nargs="+", metavar="PATH")


async def extract(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"storydesk: no such file: {args.file}", file=sys.stderr)
        return EXIT_FAIL if not path.exists() else EXIT_USAGE
    result = await asyncio.to_thread(read_file, args.file, path, settings.ingest.max_file_bytes)
    for rejection in result.rejections:
        print(f"storydesk: {rejection.describe()}", file=sys.stderr)
    if not result.items:
        return EXIT_FAIL
    for item in result.items:
        await asyncio.to_thread(add_quotes, item.article)
    articles = [item.article.model_dump(mode="json") for item in result.items]
    if args.json:
        emit_json(articles[0] if len(articles) == 1 else articles)
    else:
        for item in result.items:
            print(out.article_text(item.article))
    return EXIT_OK


class _Progress:
    """A one-line progress bar on a terminal, for big folders; silent otherwise."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def __call__(self, n: int, total: int, path: str) -> None:
        if not self.enabled or total < 20:
            return
        width = 30
        filled = int(width * n / total)
        name = path if len(path) < 40 else "…" + path[-39:]
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {n}/{total} {name:<40}")
        sys.stderr.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


class _RejectionLogFilter(logging.Filter):
    """Drops the engine's "rejected ..." log lines: `ingest` prints every rejection in its report."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name.startswith("bot.news.ingest") and record.msg == "rejected %s")


@contextmanager
def _rejections_reported_once() -> Iterator[None]:
    handlers = logging.getLogger().handlers
    quiet = _RejectionLogFilter()
    for h in handlers:
        h.addFilter(quiet)
    try:
        yield
    finally:
        for h in handlers:
            h.removeFilter(quiet)


async def ingest(args: argparse.Namespace, settings: Settings) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"storydesk: no such file or folder: {p}", file=sys.stderr)
    if len(missing) == len(args.paths):
        return EXIT_FAIL  # nothing to read: leave no new database behind either
    return await _ingest_into_desk(args, settings)


@with_desk
async def _ingest_into_desk(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    missing: list[str] = [p for p in args.paths if not Path(p).exists()]
    paths = [p for p in args.paths if p not in missing]
    progress = _Progress()
    drop = settings.drop_folder_path()
    with _rejections_reported_once():
        report = await desk.ingest_paths(
            paths, drop_folder=drop if drop.is_dir() else None, progress=progress
        )
    progress.done()
    if args.json:
        emit_json(
            {
                **report.summary(),
                "missing": missing,
                "articles": {"new": report.new, "duplicate": report.duplicate, "updated": report.updated},
                "rejected_files": [
                    {"path": r.path, "line": r.line, "reason": r.reason} for r in report.rejected
                ],
                "stories": report.story_of,
            }
        )
    else:
        print(out.ingest_summary(report, missing))
    # What was asked for and does not exist is a failure, even when the rest was read (README).
    return EXIT_FAIL if missing else EXIT_OK
