"""Feeds and live cards as Discord messages, within Discord's limits (article text stays inert)."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.news import CardView, Feed, FeedErrors, FeedHealth, OpmlImport
from bot.runtime.render._cards import COLOUR, WARN_COLOUR, Outgoing, only_role, plural, ts, voices
from bot.runtime.render._deltas import figures_field
from bot.runtime.render._limits import FIELD_VALUE, TITLE, clip, dlen, fit_embed, inert, link, safe_url

DESCRIPTION_BUDGET = 3900
LIVE_COLOUR = discord.Colour(0xC53030)


def feed_line(f: Feed) -> str:
    """One feed: id, name, URL, interval, health."""
    head = f"**{f.id}** · {inert(f.display_name, 80)} · <{clip(f.url, 200)}> · every {f.interval / 60:g} min"
    if f.failing:
        return head + f"\n  ⚠ **failing** ({f.failures} in a row): {inert(f.last_error, 200)}"
    if f.last_error:
        return head + f"\n  last try failed: {inert(f.last_error, 200)}"
    return head + f"\n  last read {ts(f.last_ok_at, 'R')}"


def _lines_into(embed: discord.Embed, lines: Sequence[str], empty: str) -> discord.Embed:
    text, shown = "", 0
    for line in lines:
        if dlen(text) + dlen(line) + 2 > DESCRIPTION_BUDGET:
            break
        text += ("\n" if text else "") + line
        shown += 1
    if shown < len(lines):
        text += f"\n… and {len(lines) - shown} more"
    embed.description = text or empty
    return fit_embed(embed)


def feeds_embed(own: Sequence[Feed], shared_count: int) -> discord.Embed:
    """/feeds list: this server's feeds and their health."""
    embed = discord.Embed(title=f"This server's feeds ({len(own)})", colour=COLOUR)
    embed.set_footer(text=f"Plus {plural(shared_count, 'shared feed')} set up by the bot's owner.")
    return _lines_into(embed, [feed_line(f) for f in own], "No feeds yet: add one with `/feeds add`.")


def feed_errors_embed(errors: FeedErrors) -> discord.Embed:
    """/feeds errors: why feeds fail and which entries wait for their page."""
    bad = [feed_line(f) for f in errors.feeds]
    entries = [
        f"feed **{e.feed_id}** · {inert(e.key, 120)} · {e.state} after {plural(e.attempts, 'try', 'tries')}: "
        f"{inert(e.error, 200)}"
        for e in errors.entries
    ]
    colour = WARN_COLOUR if bad or entries else COLOUR
    embed = discord.Embed(title="Feed problems", colour=colour)
    lines = bad + (["", "**Entries whose page could not be read:**", *entries] if entries else [])
    return _lines_into(embed, lines, "No problems: every feed read fine last time.")


def feeds_status(health: FeedHealth) -> str:
    """The /status line for feeds: how many, how they read, and why the worst ones fail."""
    if not health.troubled:
        text = plural(health.total, "feed") + " · all reading fine"
        if health.not_polled:
            text += f" ({health.not_polled} not read yet)"
        return text
    parts = [plural(health.total, "feed"), f"{health.healthy} ok"]
    if health.backing_off:
        parts.append(f"{health.backing_off} backing off")
    if health.failing:
        parts.append(f"⚠ {health.failing} failing")
    text = " · ".join(parts)
    for f in health.worst:
        mark = "⚠" if f.failing else "↻"
        text += (
            f"\n{mark} {f.id} {inert(f.display_name, 60)}: {inert(f.last_error, 150)}"
            f" · next try {ts(f.next_poll_at, 'R')}"
        )
    if health.troubled > len(health.worst):
        text += f"\n… and {health.troubled - len(health.worst)} more"
    return clip(text, FIELD_VALUE)


def feed_alert_text(f: Feed) -> str:
    """The one message an alert channel gets when a feed starts failing."""
    return (
        f"⚠ Feed **{f.id}** ({inert(f.display_name, 80)}) has failed {f.failures} times in a row: "
        f"{inert(f.last_error, 300)}\nStorydesk keeps retrying with growing pauses and says nothing more "
        "until it recovers; `/feeds errors` shows the details."
    )


def live_card(view: CardView, marker: str, *, mention_role_id: int | None = None) -> Outgoing:
    """A live story card: headline, the outlets covering it, the newest headline; a new card
    mentions `mention_role_id` (opt-in), and nobody else can be pinged."""
    embed = discord.Embed(
        title=clip(f"🔴 {inert(view.headline, TITLE)}", TITLE),
        url=safe_url(view.newest_url),
        colour=LIVE_COLOUR,
        timestamp=view.updated,
    )
    outlets = " · ".join(link(clip(o, 60), u) for o, _t, u in view.links[:20])
    more = view.outlet_count - min(len(view.links), 20)
    if more > 0:
        outlets += f" · +{more} more"
    embed.description = f"**Covered by {voices(view.outlet_count, view.independent_reports)}:** {outlets}"
    if view.newest_title:
        newest = f"{inert(view.newest_outlet, 60)}: {inert(view.newest_title, 300)}"
        embed.add_field(name="Newest", value=clip(newest, FIELD_VALUE), inline=False)
    figures_field(embed, view.figures)
    embed.add_field(
        name="More", value=f"`/compare story:{view.story_id}` · `/quotes story:{view.story_id}`", inline=False
    )
    embed.set_footer(text=f"Live story {view.story_id} · {marker}")
    return Outgoing(
        content=f"<@&{mention_role_id}>" if mention_role_id else None,
        embeds=[fit_embed(embed)],
        allowed_mentions=only_role(mention_role_id),
    )


def opml_import_text(result: OpmlImport, limit: int = 1900) -> str:
    """What an OPML import did: the feeds added, each refused entry and why (within one message)."""
    head = f"Imported {plural(len(result.added), 'feed')} from the OPML file"
    head += f"; {len(result.refused)} refused:" if result.refused else "."
    lines = [head]
    lines += [f"✗ entry {e.line} <{clip(e.url, 200)}>: {inert(why, 200)}" for e, why in result.refused]
    lines += [f"✓ **{f.id}** {inert(f.display_name, 80)} <{clip(f.url, 200)}>" for f in result.added]
    out = ""
    for n, line in enumerate(lines):
        more = f"\n… and {len(lines) - n} more"
        if dlen(out) + dlen(line) + dlen(more) + 1 > limit:
            return out + more
        out = f"{out}\n{line}" if out else line
    return out
