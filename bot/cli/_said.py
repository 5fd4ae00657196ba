"""`storydesk said NAME`: every statement by one person across stories and outlets, newest first."""

from __future__ import annotations

import argparse
import textwrap

from bot.cli._common import EXIT_OK, Subcommands, emit_json, positive_float, positive_int, with_desk
from bot.cli._output import _diff_text as diff_text  # one way to mark changed words
from bot.config import Settings
from bot.news import NewsDesk, SaidReport


def register(sub: Subcommands, json_option: argparse.ArgumentParser) -> None:
    """Add `said` to the main parser."""
    help_ = "every statement by one person, across stories and outlets, newest first"
    sp = sub.add_parser("said", help=help_, description=help_, parents=[json_option])
    sp.set_defaults(handler=said)
    sp.add_argument("name", nargs="+", metavar="NAME", help="the person, e.g. Hegseth or 'Pete Hegseth'")
    sp.add_argument("--days", type=positive_float, help="only the last N days (default: any time)")
    sp.add_argument("--limit", type=positive_int, default=25, help="at most this many statements (25)")


def said_text(report: SaidReport) -> str:
    """The statements as text: date, story, the words, the outlets, and how their wordings differ."""
    who = ", ".join(report.speakers) or report.query
    if not report.statements:
        return f"No statements by {report.query} found."
    head = f"{who}: {len(report.statements)} statement(s) from {report.stories} story(ies), newest first"
    lines = [head, "=" * min(len(head), 100)]
    for st in report.statements:
        lines.append(f"\n{st.when:%Y-%m-%d %H:%M} · story #{st.story_id}: {st.story_headline}")
        lines.append(textwrap.fill(f"“{st.text}”", 100, initial_indent="  ", subsequent_indent="  "))
        differs = " · wording differs" if st.wording_differs else ""
        lines.append(f"  {st.speaker} · carried by {', '.join(st.outlets)}{differs}")
        if st.wording_differs:
            for occ in st.occurrences:
                lines.append(f"    {occ.outlet}: {diff_text(occ.diff) if occ.diff else occ.text}")
    if report.truncated:
        lines.append("\n(more statements exist: use --limit or --days)")
    return "\n".join(lines)


@with_desk
async def said(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    report = await desk.said(" ".join(args.name), days=args.days, limit=args.limit)
    if args.json:
        emit_json(report.model_dump(mode="json"))
    else:
        print(said_text(report))
    return EXIT_OK
