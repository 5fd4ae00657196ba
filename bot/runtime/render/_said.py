"""`/said`: one person's statements across stories, newest first, within Discord's limits."""

from __future__ import annotations

import discord

from bot.news import QuoteGroup, SaidReport, Statement
from bot.runtime.render._cards import plural, ts
from bot.runtime.render._detail import PageBuilder, quote_lines
from bot.runtime.render._limits import clip, escape, inert


def _as_group(st: Statement) -> QuoteGroup:
    return QuoteGroup(
        speaker=st.speaker,
        text=st.text,
        outlets=st.outlets,
        occurrences=st.occurrences,
        wording_differs=st.wording_differs,
    )


def said_pages(report: SaidReport, *, days: float | None) -> list[discord.Embed]:
    """Statements by one person: when, which story, the words, who carried them, how they differ."""
    who = report.speakers[0] if report.speakers else report.query
    period = f" · last {days:g} days" if days else ""
    builder = PageBuilder(f"Said by {clip(who, 80)}{period}")
    if not report.statements:
        builder.page.description = f"No statements by {escape(clip(report.query, 100))} found{period}."
        return builder.done()
    also = f" (also written {', '.join(report.speakers[1:4])})" if len(report.speakers) > 1 else ""
    builder.page.description = inert(
        f"{plural(len(report.statements), 'statement')} from {plural(report.stories, 'story', 'stories')}, "
        f"newest first{also}.",
        400,
    )
    for n, st in enumerate(report.statements, start=1):
        name = f"{n}. {st.story_headline}"
        story = f"{ts(st.when, 'd')} · story {st.story_id} · `/quotes story:{st.story_id}`"
        builder.section(inert(name, 200), [story, *quote_lines(_as_group(st))])
    note = "more found: narrow with days" if report.truncated else ""
    return builder.done(note)
