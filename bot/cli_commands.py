"""Handlers of the engine's CLI commands: parse, one engine call, print."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot import cli_feeds  # noqa: F401  (registers the feed handlers)
from bot import cli_output as out
from bot.cli import EXIT_FAIL, EXIT_OK, EXIT_USAGE, command, emit_json, with_desk
from bot.config import Settings
from bot.news import NewsDesk, add_quotes, read_file


@command("extract")
async def extract(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"storydesk: no such file: {args.file}", file=sys.stderr)
        return EXIT_USAGE
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


@command("ingest")
@with_desk
async def ingest(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"storydesk: no such file or folder: {p}", file=sys.stderr)
    paths = [p for p in args.paths if p not in missing]
    progress = _Progress()
    drop = Path(settings.drop_folder.path)
    report = await desk.ingest_paths(paths, drop_folder=drop if drop.is_dir() else None, progress=progress)
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
    return EXIT_USAGE if missing and not paths else EXIT_OK


@command("articles")
@with_desk
async def articles(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    found = await desk.articles(outlet=args.outlet, since=args.since)
    if args.json:
        emit_json([out.article_json(a) for a in found])
    else:
        print(out.articles_table(found))
    return EXIT_OK


@command("stories")
@with_desk
async def stories(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    found = await desk.stories(since=args.since, query=args.query)
    if args.json:
        emit_json([s.model_dump(mode="json") for s in found])
    else:
        print(out.stories_list(found))
    return EXIT_OK


@command("story")
@with_desk
async def story(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    found = await desk.story(args.id)
    if args.json:
        emit_json(found.model_dump(mode="json"))
    else:
        print(out.story_detail(found))
    return EXIT_OK


@command("quotes")
@with_desk
async def quotes(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    groups = await desk.quotes(args.story, speaker=args.speaker)
    if args.json:
        emit_json([g.model_dump(mode="json") for g in groups])
    else:
        print(out.quote_groups(groups))
    return EXIT_OK


@command("compare")
@with_desk
async def compare(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    result = await desk.compare(args.story, outlet=args.outlet)
    if args.json:
        emit_json(result.model_dump(mode="json"))
    else:
        print(out.comparison(result))
    return EXIT_OK


@command("digest")
@with_desk
async def digest(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    result = await desk.digest(
        hours=args.hours or settings.digest.hours,
        max_stories=args.max_stories or settings.digest.max_stories,
        min_outlets=args.min_outlets or settings.digest.min_outlets,
        keywords=args.keyword,
    )
    if args.json:
        emit_json(result.model_dump(mode="json"))
    else:
        print(out.digest_text(result))
    return EXIT_OK


@command("status")
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


@command("run")
async def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime.main import run_bot  # Discord is only imported when the bot really runs

    return await run_bot(settings, db=args.db)
