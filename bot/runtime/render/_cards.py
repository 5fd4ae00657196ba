"""Engine objects -> Discord embeds and messages, always within Discord's limits.

Every renderer escapes article text (it is never markdown and never pings: the client also
sends allowed_mentions=none) and budgets characters so any amount of data fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import discord

from bot.news import Digest, DigestItem, DigestLink, Story, outlet_name
from bot.runtime.render import _limits as limits
from bot.runtime.render._deltas import changes_value
from bot.runtime.render._limits import clip, dlen, escape, fit_embed, fit_message, inert, link

COLOUR = discord.Colour(0x2B6CB0)
WARN_COLOUR = discord.Colour(0xC05621)
PAGE_LINES = 10


@dataclass
class Outgoing:
    """A message ready to send: content, embeds and who may be pinged."""

    content: str | None
    embeds: list[discord.Embed]
    allowed_mentions: discord.AllowedMentions = field(default_factory=discord.AllowedMentions.none)


def ts(when: datetime | None, style: str = "f") -> str:
    """A Discord timestamp, shown in each reader's own time zone."""
    return f"<t:{int(when.timestamp())}:{style}>" if when else "—"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def outlet_links(links: Sequence[DigestLink], budget: int, total: int | None = None) -> str:
    """'[A](url) · [B](url) · +58 more' within `budget` characters."""
    total = max(total or 0, len(links))
    parts: list[str] = []
    used = 0
    reserve = len(f" · +{total} more")
    for lk in links:
        piece = link(clip(lk.outlet, 60), lk.url)
        extra = dlen(piece) + (3 if parts else 0)
        if used + extra > budget - reserve:
            break
        parts.append(piece)
        used += extra
    rest = total - len(parts)
    if not parts:
        return clip(plural(total, "outlet"), budget)
    return " · ".join(parts) + (f" · +{rest} more" if rest else "")


def story_links(story: Story) -> list[DigestLink]:
    """One link per outlet (its own article before syndicated copies), in the story's outlet order."""
    found: dict[str, DigestLink] = {}
    for art in sorted(story.articles, key=lambda a: a.syndicated_of is not None):
        name = outlet_name(art.outlet, art.url, art.ref)
        found.setdefault(name.casefold(), DigestLink(outlet=name, title=art.title, url=art.url, ref=art.ref))
    order = {o.casefold(): i for i, o in enumerate(story.outlets)}
    return sorted(found.values(), key=lambda lk: order.get(lk.outlet.casefold(), len(order)))


def voices(outlets: int, reports: int | None) -> str:
    """'7 outlets, 3 independent reports' (the outlets alone when the reports are not counted)."""
    text = plural(outlets, "outlet")
    if reports is not None:
        text += f", {plural(reports, 'independent report')}"
    return text


def how_to_compare(story_id: int) -> str:
    return f"`/compare story:{story_id}` · `/quotes story:{story_id}`"


def digest_item_value(item: DigestItem, limit: int) -> str:
    """A digest entry: two-sentence summary, the outlets with links, how to compare."""
    hint = how_to_compare(item.story_id)
    if item.independent_reports is not None:
        hint = f"{voices(item.outlet_count, item.independent_reports)} · {hint}"
    if item.changes is not None:  # seen before in this channel: only what changed
        return changes_value(item, limit, hint)
    room = max(0, limit - dlen(hint) - 2)
    outlets = outlet_links(item.outlets, max(40, int(room * 0.45)), item.outlet_count)
    summary_room = room - dlen(outlets)
    summary = inert(" ".join(item.summary), summary_room) if summary_room >= 20 else ""
    return clip("\n".join(p for p in (summary, outlets, hint) if p), min(limit, limits.FIELD_VALUE))


def digest_message(
    digest: Digest,
    *,
    heading: str = "News digest",
    marker: str | None = None,
    mention_role_id: int | None = None,
) -> Outgoing:
    """The digest as one message; `marker` (a scheduled post's nonce) lets a restart find the post."""
    items = digest.items
    embed = discord.Embed(title=heading, colour=COLOUR, timestamp=digest.until)
    if items:
        outlets = {lk.outlet.casefold() for it in items for lk in it.outlets}
        embed.description = (
            f"{plural(len(items), 'story', 'stories')} from {plural(len(outlets), 'outlet')}, "
            f"arrived {ts(digest.since)} – {ts(digest.until)}."
        )
    else:
        embed.description = f"No new stories arrived between {ts(digest.since)} and {ts(digest.until)}."
    embed.set_footer(text="Storydesk" + (f" · ref {marker}" if marker else ""))
    budget = limits.EMBED_TOTAL - limits.embed_size(embed) - 40
    # Headlines get at most a third of the room, so summaries and links keep the rest.
    name_cap = max(60, min(200, budget // (3 * max(1, len(items)))))
    names = [
        clip(f"{n}. {'↻ ' if it.changes else ''}{escape(it.headline)}", name_cap)
        for n, it in enumerate(items[: limits.FIELDS], start=1)
    ]
    if names:
        per_item = min(limits.FIELD_VALUE, (budget - sum(dlen(n) for n in names)) // len(names))
        for name, item in zip(names, items, strict=False):
            embed.add_field(name=name, value=digest_item_value(item, per_item), inline=False)
    content = f"<@&{mention_role_id}>" if mention_role_id else None
    content, embeds = fit_message(content, [embed])
    return Outgoing(content, embeds, only_role(mention_role_id))


def only_role(role_id: int | None) -> discord.AllowedMentions:
    """Pings allowed for a post: that one role (when opted in), nobody else."""
    if not role_id:
        return discord.AllowedMentions.none()
    return discord.AllowedMentions(
        everyone=False, users=False, replied_user=False, roles=[discord.Object(role_id)]
    )


def story_card(story: Story, summary: Sequence[str]) -> discord.Embed:
    """The story card: headline, summary, outlets with links, first seen."""
    embed = discord.Embed(title=inert(story.headline, limits.TITLE), colour=COLOUR)
    embed.description = inert(" ".join(summary), 1500) or "No summary available."
    links = story_links(story)
    embed.add_field(
        name=f"Outlets ({len(links)})",
        value=outlet_links(links, limits.FIELD_VALUE, len(links)),
        inline=False,
    )
    embed.add_field(
        name="First seen", value=f"{ts(story.first_seen)} ({ts(story.first_seen, 'R')})", inline=True
    )
    embed.add_field(name="Last update", value=ts(story.last_updated, "R"), inline=True)
    embed.add_field(name="Articles", value=str(len(story.articles)), inline=True)
    if story.independent_reports is not None:
        embed.add_field(
            name="Independent reports",
            value=f"{voices(len(links), story.independent_reports)} (wire copies and republications count once)",
            inline=False,
        )
    embed.set_footer(text=f"Story {story.id} · Compare and Quotes below")
    return fit_embed(embed)


def pack_lines(lines: Sequence[str], limit: int) -> list[str]:
    """Join lines into blocks of at most `limit` characters (a too-long line is clipped)."""
    blocks: list[str] = []
    current = ""
    for line in lines:
        line = clip(line, limit)
        joined = f"{current}\n{line}" if current else line
        if dlen(joined) > limit:
            blocks.append(current)
            current = line
        else:
            current = joined
    if current:
        blocks.append(current)
    return blocks


def number_pages(pages: list[discord.Embed], note: str = "") -> list[discord.Embed]:
    """Footers 'Page i/n' (and a note), then every page clipped to the limits."""
    for i, page in enumerate(pages, start=1):
        text = f"Page {i}/{len(pages)}" if len(pages) > 1 else ""
        text = " · ".join(t for t in (text, note) if t)
        if text:
            page.set_footer(text=text)
        fit_embed(page)
    return pages


def stories_pages(
    stories: Sequence[Story], *, query: str | None, hours: float, rank: str = "newest"
) -> list[discord.Embed]:
    """Recent stories, ten a page."""
    title = "Stories" + (f" about “{clip(query, 60)}”" if query else "") + f" · last {hours:g} h"
    if rank == "reports":
        title += " · most independent reports first"
    lines = [
        f"`{s.id}` **{inert(s.headline, 160)}** — {voices(len(s.outlets), s.independent_reports)}, "
        f"{plural(len(s.articles), 'article')}, updated {ts(s.last_updated, 'R')}"
        for s in stories
    ]
    if not lines:
        empty = discord.Embed(title=clip(title, limits.TITLE), colour=COLOUR)
        empty.description = "No stories found. Try more hours or another word."
        return number_pages([empty])
    pages = []
    for start in range(0, len(lines), PAGE_LINES):
        page = discord.Embed(title=clip(title, limits.TITLE), colour=COLOUR)
        page.description = clip("\n".join(lines[start : start + PAGE_LINES]), limits.DESCRIPTION)
        pages.append(page)
    return number_pages(pages, "`/story story:<id>` opens one")
