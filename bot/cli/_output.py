"""Human-readable terminal output of the CLI."""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, ParamSpec

from bot.news import (
    Comparison,
    Digest,
    ExtractedArticle,
    FeedHealth,
    IngestReport,
    QuoteGroup,
    StoredArticle,
    Story,
    StoryChanges,
    outlet_label,
    outlet_name,
)

WIDTH = 92

P = ParamSpec("P")

# What a terminal would act on rather than show: C0 controls but tab and newline (ESC starts
# escape sequences that retitle windows, clear screens or forge output; BEL; CR overwrites a line),
# DEL, C1 controls (0x9b is a one-character CSI), and the bidirectional overrides that reorder text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every control character shown as an escape (`\\x1b`) instead of acted on."""
    return _UNSAFE.sub(_visible, text)


def for_terminal(render: Callable[P, str]) -> Callable[P, str]:
    """Text for a terminal: article titles, outlets, file names and feed errors come from
    outside, and must not reach the terminal as escape sequences."""

    @functools.wraps(render)
    def safe(*args: P.args, **kwargs: P.kwargs) -> str:
        return terminal_safe(render(*args, **kwargs))

    return safe


def _when(dt: datetime | None) -> str:
    return dt.strftime("%Y-%m-%d %H:%M UTC") if dt else "undated"


def _wrap(text: str, indent: str = "  ") -> str:
    # A bullet starts the first line only; the rest line up under the text.
    rest = " " * len(indent)
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=rest)


@for_terminal
def article_text(a: ExtractedArticle) -> str:
    lines = [
        f"Title:     {a.title or '(none)'}",
        f"Outlet:    {a.outlet or '(unknown)'}",
        f"Byline:    {', '.join(a.byline) or '(none)'}",
        f"Published: {a.published.isoformat() if a.published else '(unknown)'}",
        f"URL:       {a.url or '(none)'}",
        f"Language:  {a.language or '(unknown)'}",
        f"Quotes:    {len(a.quotes)}",
        "",
        a.text,
    ]
    return "\n".join(lines)


def article_json(a: StoredArticle) -> dict[str, Any]:
    data = a.model_dump(mode="json", exclude={"quotes"})
    data["quotes"] = len(a.quotes)
    return data


@for_terminal
def ingest_summary(report: IngestReport, missing: Sequence[str]) -> str:
    s = report.summary()
    lines = [
        f"Ingested: {s['new']} new, {s['duplicate']} duplicate, {s['updated']} updated, {s['rejected']} rejected"
        + (f", {report.skipped_unchanged} unchanged" if report.skipped_unchanged else "")
    ]
    for r in report.rejected:
        lines.append(f"  rejected {r.describe()}")
    for p in missing:
        lines.append(f"  missing  {p}")
    stories = sorted(set(report.story_of.values()))
    if stories:
        lines.append(f"Stories touched: {len(stories)} (see `storydesk stories`)")
    return "\n".join(lines)


@for_terminal
def articles_table(items: Sequence[StoredArticle]) -> str:
    if not items:
        return "No articles stored yet. Try `storydesk ingest inbox`."
    lines = [f"{'story':>5}  {'published':<16}  {'outlet':<24}  title"]
    for a in items:
        pub = a.published.strftime("%Y-%m-%d %H:%M") if a.published else "-"
        lines.append(f"{a.story_id or '-':>5}  {pub:<16}  {outlet_label(a)[:24]:<24}  {a.title or a.ref}")
        lines.append(f"{'':>5}  ref: {a.ref}")
    lines.append(f"{len(items)} article(s)")
    return "\n".join(lines)


def _period(since: timedelta | None) -> str:
    if since is None:
        return ""
    hours = since.total_seconds() / 3600
    return f" in the last {hours:g} h" if hours < 48 else f" in the last {hours / 24:g} days"


@for_terminal
def no_articles(outlet: str | None, since: timedelta | None, in_period: int, stored: int) -> str:
    """Why `articles` lists nothing: what was asked, and what is there."""
    if not stored:
        return "No articles stored yet. Try `storydesk ingest inbox`."
    if outlet:
        where = f" of the {in_period} that arrived{_period(since)}" if since else ""
        return (
            f"No articles from an outlet matching {outlet!r}{where} ({stored} article(s) stored in all; "
            "`storydesk articles` lists their outlets)."
        )
    return f"No articles arrived{_period(since)} ({stored} article(s) stored in all)."


@for_terminal
def no_stories(query: str | None, since: timedelta | None, stored: int) -> str:
    """Why `stories` lists nothing: what was asked, and what is there."""
    if not stored:
        return "No stories yet: nothing has been ingested. Try `storydesk ingest inbox`."
    if query:
        within = f" among stories with articles arrived{_period(since)}" if since else ""
        return f"No stories mention {query!r}{within} ({stored} stor{'y' if stored == 1 else 'ies'} in all)."
    return f"No stories with articles arrived{_period(since)} ({stored} stor{'y' if stored == 1 else 'ies'} in all)."


def _reports(n: int | None) -> str:
    """', 3 independent report(s)' (nothing when not counted)."""
    return "" if n is None else f", {n} independent report(s)"


@for_terminal
def stories_list(items: Sequence[Story]) -> str:
    if not items:
        return "No stories in that period."
    lines = []
    for s in items:
        lines.append(f"#{s.id}  {s.headline}")
        lines.append(
            f"      {len(s.outlets)} outlet(s){_reports(s.independent_reports)}, {len(s.articles)} article(s); "
            f"{_when(s.first_seen)} – {_when(s.last_updated)}"
        )
        lines.append(f"      {', '.join(s.outlets) or '(unknown outlets)'}")
    return "\n".join(lines)


@for_terminal
def story_detail(s: Story) -> str:
    lines = [
        f"Story #{s.id}: {s.headline}",
        f"First seen {_when(s.first_seen)}, last updated {_when(s.last_updated)}",
        f"{len(s.outlets)} outlet(s){_reports(s.independent_reports)}: {', '.join(s.outlets) or '(unknown)'}",
        "",
    ]
    for a in s.articles:
        copy = f"  (copy of {a.syndicated_of})" if a.syndicated_of else ""
        if a.copy_of and not a.syndicated_of:
            copy = f"  (repeats {a.copy_of})"
        lines.append(f"- {outlet_name(a.outlet, a.url, a.ref)}: {a.title or '(untitled)'}{copy}")
        lines.append(f"    {_when(a.published)}  {a.url or a.ref}")
    lines.append("")
    lines.append(f"Compare: storydesk compare {s.id}    Quotes: storydesk quotes {s.id}")
    return "\n".join(lines)


def _diff_text(diff: Sequence[tuple[str, str]]) -> str:
    parts = []
    for op, words in diff:
        parts.append(words if op == "=" else f"[+{words}]" if op == "+" else f"[-{words}]")
    return " ".join(parts)


@for_terminal
def quote_groups(groups: Sequence[QuoteGroup]) -> str:
    if not groups:
        return "No direct quotes found in this story."
    lines = []
    for i, g in enumerate(groups, start=1):
        who = g.speaker or "Unknown speaker"
        lines.append(f"{i}. {who} — in {len(g.outlets)} outlet(s): {', '.join(g.outlets)}")
        lines.append(_wrap(f"“{g.text}”", "   "))
        if g.credits_differ:
            credits = "; ".join(f"{', '.join(outs)} credit(s) {who}" for who, outs in g.credits.items())
            lines.append(_wrap(f"credited differently: {credits}", "   "))
        if g.translation_of is not None:
            # Two outlets' translations of one statement: linked, never merged (their words differ).
            lines.append(f"   another translation of quote {g.translation_of + 1}")
        if g.wording_differs or len(g.occurrences) > 1:
            for occ in g.occurrences:
                shown = _diff_text(occ.diff) if occ.diff else occ.text
                lines.append(_wrap(f"{occ.outlet or occ.ref}: {shown}", "     · "))
        lines.append("")
    return "\n".join(lines).rstrip()


@for_terminal
def comparison(c: Comparison) -> str:
    lines = [f"Story #{c.story.id}: {c.story.headline}", ""]
    if c.first_published:
        lines.append(f"First published: {c.first_published.outlet} ({_when(c.first_published.published)})")
    lines.append("Outlets:")
    for o in c.outlets:
        lines.append(f"- {o.outlet}: “{o.headline or '(untitled)'}” — {o.words} words")
        if o.speakers:
            lines.append(_wrap("quoted: " + ", ".join(o.speakers), "    "))
        for p in o.unique_points[:5]:
            lines.append(_wrap("only here: " + p.text, "    "))
    if c.shared_points:
        lines.append("")
        lines.append("Reported by several outlets:")
        for p in c.shared_points[:10]:
            lines.append(_wrap(f"{p.text}  [{', '.join(p.outlets)}]", "  · "))
    if c.discrepancies:
        lines.append("")
        lines.append("Numbers that disagree:")
        for d in c.discrepancies:
            lines.append(f"  {d.about}:" + (f" developing — {d.development}" if d.development else ""))
            for v in d.values:
                lines.append(_wrap(f"{v.outlet}: {v.value} — {v.text}", "     "))
    if c.agreements:
        lines.append("")
        lines.append("Numbers that agree (written differently):")
        for d in c.agreements:
            vals = "; ".join(f"{v.outlet}: {v.value}" for v in d.values)
            lines.append(_wrap(f"{d.about}: {vals}", "  "))
    return "\n".join(lines)


def change_lines(c: StoryChanges) -> list[str]:
    """A delta digest entry as plain lines."""
    lines = [f"Update since {_when(c.seen_at)} (was {c.articles_before} article(s)):"]
    lines += [f"* figure: {f}" for f in c.figures]
    if c.new_outlets:
        lines.append("* new outlets: " + ", ".join(c.new_outlets))
    lines += [f"* new quote: {q.speaker + ': ' if q.speaker else ''}“{q.text}”" for q in c.new_quotes]
    lines += [f"* only {', '.join(p.outlets) or '?'}: {p.text}" for p in c.new_points]
    return lines


@for_terminal
def digest_text(d: Digest, empty_because: str | None = None) -> str:
    """The digest; `empty_because` says why an empty one is empty (what was asked, what arrived)."""
    head = f"Storydesk digest — {_when(d.since)} to {_when(d.until)}"
    lines = [head, "=" * len(head)]
    if not d.items:
        lines.append(empty_because or "Nothing new arrived in this period.")
        return "\n".join(lines)
    for n, item in enumerate(d.items, start=1):
        lines.append("")
        lines.append(f"{n}. {item.headline}")
        lines.append(
            f"   {item.outlet_count} outlet(s){_reports(item.independent_reports)} · "
            f"{item.article_count} article(s) · story #{item.story_id}"
        )
        if item.changes is not None:  # the channel saw it before: only what changed
            lines += [_wrap(line, "   ") for line in change_lines(item.changes)]
        else:
            lines += [_wrap(sentence, "   ") for sentence in item.summary]
        for link in item.outlets:
            lines.append(f"   - {link.outlet}: {link.url or link.ref}")
        lines.append(
            f"   compare: storydesk compare {item.story_id} · quotes: storydesk quotes {item.story_id}"
        )
    return "\n".join(lines)


@for_terminal
def status_text(data: dict[str, Any]) -> str:
    lines = [
        f"Articles stored: {data['articles']}",
        f"Stories:         {data['stories']}",
        f"Last ingest:     {data['last_ingest'] or 'never'}",
    ]
    if data.get("allow_private_addresses"):
        lines.append(
            "WARNING:         [network] allow_private_addresses = true: feeds may reach this host's "
            "private and loopback addresses"
        )
    if data["recent_rejections"]:
        lines.append("Recent rejections:")
        for r in data["recent_rejections"]:
            lines.append(f"  {r['where']}: {r['reason']}")
    lines += feed_health_lines(data["feeds"])
    return "\n".join(lines)


_LINE_SUFFIX = re.compile(r"^(?P<path>.+):(?P<line>\d+)$")


def rejection_json(stored_path: str, reason: str, at: datetime) -> dict[str, Any]:
    """A recorded rejection for `status`: where (file and line, apart) and why, said once.

    The ingest log records `path[:line]: reason` as its path; the reason is cut off it here, so
    rows written before and after read the same."""
    where = stored_path.removesuffix(f": {reason}") if reason else stored_path
    m = _LINE_SUFFIX.match(where)
    path, line = (m.group("path"), int(m.group("line"))) if m else (where, None)
    return {"path": path, "line": line, "where": where, "reason": reason, "at": at.isoformat()}


def feed_health_json(health: FeedHealth) -> dict[str, Any]:
    """Feed counts and the worst feeds, for `status --json` (times as ISO 8601)."""

    def iso(dt: datetime | None) -> str | None:
        return dt.isoformat() if dt else None

    return {
        "total": health.total,
        "healthy": health.healthy,
        "not_polled": health.not_polled,
        "backing_off": health.backing_off,
        "failing": health.failing,
        "worst": [
            {
                "id": f.id,
                "name": f.display_name,
                "url": f.url,
                "guild_id": f.guild_id,
                "failing": f.failing,
                "failures": f.failures,
                "last_error": f.last_error,
                "last_ok_at": iso(f.last_ok_at),
                "next_retry_at": iso(f.next_poll_at),
            }
            for f in health.worst
        ],
    }


def feed_health_lines(feeds: dict[str, Any]) -> list[str]:
    """'Feeds: 4 (2 healthy, 1 backing off, 1 failing)' and a line or two per troubled feed."""
    if not feeds["total"]:
        return ["Feeds:           none (add one with `storydesk feeds add URL`)"]
    parts = [f"{feeds['healthy']} healthy"]
    if feeds["not_polled"]:
        parts.append(f"{feeds['not_polled']} not polled yet")
    parts += [f"{feeds['backing_off']} backing off", f"{feeds['failing']} failing"]
    lines = [f"Feeds:           {feeds['total']} ({', '.join(parts)})"]
    for f in feeds["worst"]:
        state = "FAILING" if f["failing"] else "backing off"
        scope = "shared" if f["guild_id"] is None else f"server {f['guild_id']}"
        retry = (
            f["next_retry_at"][:16].replace("T", " ") + " UTC" if f["next_retry_at"] else "at the next poll"
        )
        lines.append(f"  {f['id']:>4} {f['name']} ({scope}): {state}, {f['failures']} failure(s) in a row")
        lines.append(_wrap(f"last error: {f['last_error'] or '?'}; next try {retry}", "       "))
    return lines
