"""/status and /schedule list as embeds."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.runtime.render._cards import COLOUR, WARN_COLOUR, plural, ts
from bot.runtime.render._feeds import feeds_status
from bot.runtime.render._limits import clip, dlen, fit_embed, inert
from bot.runtime.render._threads import TARGET_LABELS
from bot.runtime.status import ScheduleLine, StatusReport

DESCRIPTION_BUDGET = 3900


def schedule_line(line: ScheduleLine) -> str:
    """One schedule: where, when, filters, health."""
    s = line.schedule
    parts = [f"**{s.id}** · <#{s.channel_id}> · `{s.cron}` ({s.timezone})"]
    if s.target != "channel":
        parts.append(TARGET_LABELS[s.target])
    if s.min_outlets > 1:
        parts.append(f"min {s.min_outlets} outlets")
    if s.keywords:
        parts.append("keywords: " + inert(", ".join(s.keywords), 120))
    if not s.filters.empty:
        parts.append(inert(s.filters.describe(), 200))
    if s.mention_role_id:
        parts.append(f"mentions <@&{s.mention_role_id}>")
    text = " · ".join(parts)
    if s.paused_reason:
        text += f"\n  ⏸ **paused**: {inert(s.paused_reason, 200)} — fix it, then `/schedule resume {s.id}`"
    else:
        text += f"\n  next {ts(line.next_run)}"
    if line.last is not None:
        last = line.last
        text += f" · last {last.state} {ts(last.fire_time, 'R')}"
        if last.state == "claimed" and last.error:
            text += f" (retrying: {inert(last.error, 80)})"
    return text


def schedules_embed(lines: Sequence[ScheduleLine]) -> discord.Embed:
    """The server's digest schedules."""
    paused = sum(1 for ln in lines if ln.schedule.paused)
    embed = discord.Embed(title="Digest schedules", colour=WARN_COLOUR if paused else COLOUR)
    if not lines:
        embed.description = "No schedules yet. Add one with `/schedule add`."
        return embed
    shown: list[str] = []
    used = 0
    for ln in lines:
        text = schedule_line(ln)
        if used + dlen(text) + 1 > DESCRIPTION_BUDGET:
            break
        shown.append(text)
        used += dlen(text) + 1
    embed.description = "\n".join(shown)
    footer = plural(len(lines), "schedule") + (f", {paused} paused" if paused else "")
    if len(shown) < len(lines):
        footer += f" · {len(lines) - len(shown)} not shown"
    embed.set_footer(text=footer)
    return fit_embed(embed)


def status_embed(report: StatusReport) -> discord.Embed:
    """Counts, last ingest, drop folder and schedules at a glance."""
    problems = (
        not report.drop.exists
        or report.drop.last_error is not None
        or any(ln.schedule.paused for ln in report.schedules)
        or report.feeds.failing > 0
        or report.private_addresses
    )
    embed = discord.Embed(title="Storydesk status", colour=WARN_COLOUR if problems else COLOUR)
    desk = report.desk
    embed.add_field(name="Articles", value=f"{desk.articles:,}", inline=True)
    embed.add_field(name="Stories", value=f"{desk.stories:,}", inline=True)
    embed.add_field(name="Last ingest", value=ts(desk.last_ingest, "R"), inline=True)
    drop = report.drop
    if not drop.exists:
        state = f"⚠ folder `{clip(drop.path, 200)}` is missing"
    elif drop.last_error:
        state = f"⚠ last scan failed: {inert(drop.last_error, 200)}"
    else:
        state = f"✅ watching `{clip(drop.path, 200)}` every {report.poll_seconds:g} s"
    state += f"\nlast scan {ts(drop.last_scan, 'R')} · {drop.new_total} new since start"
    if drop.rejected_total:
        state += f" · {drop.rejected_total} rejected"
    embed.add_field(name="Drop folder", value=state, inline=False)
    paused = [ln for ln in report.schedules if ln.schedule.paused]
    sched = f"{plural(len(report.schedules), 'schedule')} on this server"
    if not report.scheduler_running:
        sched += " · ⚠ scheduler not running"
    for ln in paused[:5]:
        reason = inert(ln.schedule.paused_reason or "", 150)
        sched += f"\n⏸ {ln.schedule.id} in <#{ln.schedule.channel_id}> paused: {reason}"
    embed.add_field(name="Schedules", value=sched, inline=False)
    if report.feeds.total:
        embed.add_field(name="Feeds", value=feeds_status(report.feeds), inline=False)
    if report.private_addresses:
        embed.add_field(
            name="Network",
            value="⚠ `allow_private_addresses = true`: feeds added here may reach the host's own services",
            inline=False,
        )
    if desk.recent_rejections:
        # The engine records "path[:line]: reason" as the path: say the reason once.
        lines = [
            f"• {inert(p.removesuffix(f': {r}'), 80)}: {inert(r, 120)}"
            for p, r, _at in desk.recent_rejections[:3]
        ]
        embed.add_field(name="Recently rejected files", value="\n".join(lines), inline=False)
    return fit_embed(embed)
