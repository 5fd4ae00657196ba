"""Comparisons and quote groups as pages of embeds (paged with buttons when long)."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.news import Comparison, NumberComparison, OutletReport, Point, QuoteGroup, QuoteOccurrence
from bot.runtime.render import _limits as limits
from bot.runtime.render._cards import COLOUR, number_pages, pack_lines, plural, ts
from bot.runtime.render._limits import clip, dlen, escape, inert

PAGE_BUDGET = 3800  # characters per page: readable, and far from the 6000 limit
QUOTE_CHARS = 350
MAX_FIELDS_PER_PAGE = 6


def _names(outlets: Sequence[str], limit: int = 5) -> str:
    shown = [escape(o) for o in outlets[:limit]]
    more = len(outlets) - len(shown)
    return ", ".join(shown) + (f" +{more}" if more > 0 else "")


def point_line(point: Point) -> str:
    who = f" — {_names(point.outlets)}" if point.outlets else ""
    return f"• {inert(point.text, 400)}{who}"


def number_line(nc: NumberComparison) -> str:
    values = " · ".join(f"{escape(v.outlet)}: **{escape(v.value)}**" for v in nc.values[:8])
    more = f" · +{len(nc.values) - 8}" if len(nc.values) > 8 else ""
    return f"• {inert(nc.about, 120)}: {values}{more}"


class PageBuilder:
    """Fills pages with titled sections; a new page starts when one is full."""

    def __init__(self, title: str) -> None:
        self.title = clip(title, limits.TITLE)
        self.pages: list[discord.Embed] = []
        self._new_page()

    def _new_page(self, description: str | None = None) -> None:
        self.page = discord.Embed(title=self.title, colour=COLOUR, description=description)
        self.pages.append(self.page)

    def _used(self) -> int:
        return limits.embed_size(self.page)

    def section(self, name: str, lines: Sequence[str]) -> None:
        """Add lines under `name`, as many fields (and pages) as they need."""
        blocks = pack_lines(list(lines), limits.FIELD_VALUE)
        for n, block in enumerate(blocks):
            label = clip(name if n == 0 else f"{name} (cont.)", limits.FIELD_NAME)
            if (
                self._used() + dlen(label) + dlen(block) > PAGE_BUDGET
                or len(self.page.fields) >= MAX_FIELDS_PER_PAGE
            ):
                self._new_page()
            self.page.add_field(name=label, value=block, inline=False)

    def start_page(self, title: str, description: str | None) -> None:
        self.title = clip(title, limits.TITLE)
        if self.page.fields or self.page.description:
            self._new_page(description)
        else:
            self.page.title, self.page.description = self.title, description

    def done(self, note: str = "") -> list[discord.Embed]:
        return number_pages([p for p in self.pages if p.fields or p.description] or self.pages[:1], note)


def outlet_section(builder: PageBuilder, report: OutletReport, story_headline: str) -> None:
    headline = report.headline or story_headline
    desc_lines = [
        f"**{escape(report.outlet)}**: {inert(headline, 300)}",
        f"{report.words} words · published {ts(report.published)}",
    ]
    if report.speakers:
        desc_lines.append("Quotes: " + _names(report.speakers, 8))
    builder.start_page(f"{report.outlet} — how it told the story", "\n".join(desc_lines))
    if report.unique_points:
        builder.section("Only in this outlet", [point_line(p) for p in report.unique_points])
    else:
        builder.section("Only in this outlet", ["Nothing this outlet alone reported."])


def comparison_pages(result: Comparison, *, outlet_first: bool = False) -> list[discord.Embed]:
    """Overview (shared points, numbers that disagree / agree), then one page per outlet.

    `outlet_first` (one outlet asked for): that outlet's page comes first, the overview after.
    """
    story = result.story
    builder = PageBuilder(f"Compare: {escape(story.headline)}")
    if outlet_first:
        for report in result.outlets:
            outlet_section(builder, report, story.headline)
        builder.start_page(f"Compare: {escape(story.headline)}", None)
    intro = [f"{plural(len(result.outlets), 'outlet')} · story `{story.id}`"]
    if result.first_published:
        fp = result.first_published
        intro.append(f"First out: **{escape(fp.outlet)}** {ts(fp.published)}")
    builder.page.description = "\n".join(intro)
    if result.shared_points:
        builder.section("What the outlets share", [point_line(p) for p in result.shared_points])
    if result.discrepancies:
        builder.section("Numbers that disagree", [number_line(n) for n in result.discrepancies])
    if result.agreements:
        builder.section("Numbers that agree", [number_line(n) for n in result.agreements])
    if not (result.shared_points or result.discrepancies or result.agreements):
        builder.section("Overview", ["The outlets share no common statements yet."])
    if not outlet_first:
        for report in result.outlets:
            outlet_section(builder, report, story.headline)
    return builder.done(f"story {story.id}")


def diff_markup(diff: Sequence[tuple[str, str]], limit: int) -> str:
    """Wording differences: ~~removed~~ **added**, the rest as written."""
    parts: list[str] = []
    used = 0
    for op, words in diff:
        if used > limit:
            break
        text = inert(words, limit)
        used += dlen(text) + 1
        if not text:
            continue
        if op == "-":
            parts.append(f"~~{text}~~")
        elif op == "+":
            parts.append(f"**{text}**")
        else:
            parts.append(text)
    return clip(" ".join(parts), limit)


def occurrence_line(occ: QuoteOccurrence) -> str:
    wording = diff_markup(occ.diff, QUOTE_CHARS) if occ.diff else inert(occ.text, QUOTE_CHARS)
    who = escape(occ.outlet or "Unknown outlet")
    said = f" (as “{inert(occ.speaker_as_written, 60)}”)" if occ.speaker_as_written else ""
    return f"• {who}{said}: {wording}"


def quote_lines(group: QuoteGroup) -> list[str]:
    lines = [f"“{inert(group.text, QUOTE_CHARS)}”", f"Quoted by {_names(group.outlets, 8)}"]
    if group.translation_of is not None:
        lines.append(f"Translation of quote {group.translation_of + 1}")
    if group.wording_differs:
        lines.append("Wording differs (~~left out~~ **added**):")
        lines.extend(occurrence_line(o) for o in group.occurrences)
    return lines


def quote_pages(groups: Sequence[QuoteGroup], *, story_id: int, speaker: str | None) -> list[discord.Embed]:
    """Quote groups, several a page; the wording of each outlet when it differs."""
    title = f"Quotes · story {story_id}" + (f" · {clip(speaker, 80)}" if speaker else "")
    builder = PageBuilder(title)
    if not groups:
        who = f" from {escape(speaker)}" if speaker else ""
        builder.page.description = f"No quotes{who} found in story {story_id}."
        return builder.done()
    builder.page.description = f"{plural(len(groups), 'statement')} quoted across outlets."
    for n, group in enumerate(groups, start=1):
        name = f"{n}. {group.speaker or 'Unattributed'} — {plural(len(group.outlets), 'outlet')}"
        builder.section(escape(name), quote_lines(group))
    return builder.done()
