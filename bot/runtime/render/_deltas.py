"""Delta digests and figure watch as Discord text: only what changed, within Discord's limits.

Imports only `_limits` (the digest renderer in `_cards` calls in here, so nothing goes back).
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.news import DigestItem, QuoteGroup
from bot.runtime.render._limits import CONTENT, FIELD_VALUE, clip, dlen, inert, link

FIGURES_FIELD = "Figures"
MAX_NOTE_LINES = 5


def _quote(group: QuoteGroup) -> str:
    who = f"{inert(group.speaker, 60)}: " if group.speaker else ""
    outlets = ", ".join(group.outlets[:3]) + (f" +{len(group.outlets) - 3}" if len(group.outlets) > 3 else "")
    return f"💬 {who}“{inert(group.text, 220)}” ({inert(outlets, 120)})"


def change_lines(item: DigestItem) -> list[str]:
    """The item's changes as lines, most telling first: figures, outlets, quotes, exclusive points."""
    changes = item.changes
    if changes is None:
        return []
    since = f"<t:{int(changes.seen_at.timestamp())}:R>"
    grown = item.article_count - changes.articles_before
    lines = [f"**Update since you saw it {since}** (+{grown} article{'s' if grown != 1 else ''})"]
    lines += [f"📈 {inert(f, 200)}" for f in changes.figures]
    if changes.new_outlets:
        urls = {lk.outlet.casefold(): lk.url for lk in item.outlets}
        named = " · ".join(link(clip(o, 60), urls.get(o.casefold())) for o in changes.new_outlets[:6])
        more = len(changes.new_outlets) - 6
        lines.append(f"➕ New outlets: {named}" + (f" · +{more} more" if more > 0 else ""))
    lines += [_quote(q) for q in changes.new_quotes]
    lines += [
        f"🔎 Only {inert(p.outlets[0] if p.outlets else '?', 60)}: {inert(p.text, 220)}"
        for p in changes.new_points
    ]
    return lines


def changes_value(item: DigestItem, limit: int, hint: str) -> str:
    """One compact block: the changes that fit in `limit`, then how to compare."""
    limit = min(limit, FIELD_VALUE)
    room = limit - dlen(hint) - 1
    kept: list[str] = []
    for line in change_lines(item):
        line = clip(line, max(40, room // 2)) if kept else clip(line, room)
        if dlen("\n".join([*kept, line])) > room:
            break
        kept.append(line)
    return clip("\n".join([*kept, hint]), limit)


def figure_note(lines: Sequence[str]) -> str:
    """The reply under a live card when figures moved: one line each, inert, within one message."""
    shown = [f"📊 {inert(line, 300)}" for line in lines[:MAX_NOTE_LINES]]
    return clip("\n".join(shown), CONTENT)


def figures_field(embed: discord.Embed, figures: Sequence[str]) -> None:
    """The card's developing and disputed figures, when it has any."""
    if figures:
        value = "\n".join(f"• {inert(f, 200)}" for f in figures)
        embed.add_field(name=FIGURES_FIELD, value=clip(value, FIELD_VALUE), inline=False)
