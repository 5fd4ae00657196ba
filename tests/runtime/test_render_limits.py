"""Rendering within Discord's limits whatever the data (synthetic engine objects, no Discord)."""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest

from bot.news.desk import DeskStatus
from bot.news.models import (
    Comparison,
    Digest,
    NumberComparison,
    NumberValue,
    OutletReport,
    Point,
    QuoteGroup,
    QuoteOccurrence,
)
from bot.news.schedules import Schedule
from bot.runtime.render import digest_message, schedules_embed, status_embed, stories_pages, story_card
from bot.runtime.render._detail import comparison_pages, diff_markup, quote_pages
from bot.runtime.render._limits import clip, dlen, escape, fit_message, link, safe_url, violations
from bot.runtime.status import ScheduleLine, StatusReport
from bot.runtime.watcher import DropFolderHealth
from tests.runtime.render_samples import LONG, NOW, digest, outlets, story


def assert_fits(content: str | None, embeds: list[discord.Embed]) -> None:
    assert violations(content, embeds) == []
    for e in embeds:
        # discord.py's own counter agrees (it counts code points, we count UTF-16 units: stricter)
        assert len(e) <= 6000


@pytest.mark.parametrize(("items", "n_outlets"), [(1, 60), (8, 60), (20, 60), (20, 1), (3, 0)])
def test_digest_fits_whatever_the_data(items: int, n_outlets: int) -> None:
    out = digest_message(digest(items, n_outlets), marker="sd1.1767603600", mention_role_id=42)
    assert_fits(out.content, out.embeds)
    embed = out.embeds[0]
    assert len(embed.fields) == items
    value = embed.fields[0].value or ""
    assert "/compare story:0" in value  # how to compare survives the budget
    if n_outlets and items <= 8:
        assert "](https://example.com/a%20path/%28x%29%3Cy%3E" in value and "more" in value
    elif n_outlets:
        assert "outlet" in value or "](https://" in value
    assert "ref sd1.1767603600" in (embed.footer.text or "")
    assert out.content == "<@&42>" and out.allowed_mentions.to_dict() == {"parse": [], "roles": [42]}


def test_digest_without_role_pings_nobody_and_escapes_article_text() -> None:
    out = digest_message(digest(1, 2))
    assert out.content is None and out.allowed_mentions.to_dict() == {"parse": []}
    name = out.embeds[0].fields[0].name or ""
    assert "\\*stars\\*" in name and "\\_under\\_" in name


def test_empty_digest_says_so() -> None:
    out = digest_message(Digest(generated_at=NOW, since=NOW - timedelta(hours=1), until=NOW, items=[]))
    assert "No new stories" in (out.embeds[0].description or "") and not out.embeds[0].fields


def test_story_card_with_60_outlets() -> None:
    embed = story_card(story(60), [LONG, LONG])
    assert_fits(None, [embed])
    outlets_field = next(f for f in embed.fields if (f.name or "").startswith("Outlets"))
    assert outlets_field.name == "Outlets (60)" and "more" in (outlets_field.value or "")
    assert any(f.name == "First seen" and "<t:" in (f.value or "") for f in embed.fields)


def test_stories_pages_and_comparison_and_quotes_fit() -> None:
    stories = [story(60).model_copy(update={"id": i}) for i in range(37)]
    pages = stories_pages(stories, query="x" * 300, hours=24)
    assert len(pages) == 4 and "Page 4/4" in (pages[-1].footer.text or "")
    for p in pages:
        assert_fits(None, [p])

    points = [Point(text=LONG, outlets=outlets(60), refs=[]) for _ in range(30)]
    numbers = [
        NumberComparison(
            about=LONG, values=[NumberValue(outlet=o, value="12,000" * 20, text=LONG) for o in outlets(12)]
        )
        for _ in range(10)
    ]
    reports = [
        OutletReport(
            outlet=o,
            ref=f"r{i}",
            headline=LONG,
            words=900,
            published=NOW,
            speakers=outlets(20),
            unique_points=points,
        )
        for i, o in enumerate(outlets(60))
    ]
    result = Comparison(
        story=story(60),
        outlets=reports,
        shared_points=points,
        discrepancies=numbers,
        agreements=numbers,
        first_published=reports[0],
    )
    pages = comparison_pages(result)
    assert len(pages) > 60
    for p in pages:
        assert_fits(None, [p])
    assert "Numbers that disagree" in [f.name for p in pages for f in p.fields]

    occ = [
        QuoteOccurrence(
            ref="r1",
            outlet="A",
            text=LONG,
            speaker_as_written="Gov.",
            diff=[("=", "we will"), ("-", "never"), ("+", "not"), ("=", "give up *now*")],
        ),
        QuoteOccurrence(ref="r2", outlet="B", text=LONG),
    ]
    groups = [
        QuoteGroup(
            speaker="Maria Lopez", text=LONG, outlets=outlets(60), occurrences=occ * 20, wording_differs=True
        )
        for _ in range(25)
    ]
    pages = quote_pages(groups, story_id=7, speaker=None)
    for p in pages:
        assert_fits(None, [p])
    text = "\n".join(f.value or "" for p in pages for f in p.fields)
    assert "~~never~~ **not**" in text and "\\*now\\*" in text
    empty = quote_pages([], story_id=7, speaker="Nobody")
    assert "No quotes from Nobody" in (empty[0].description or "")


def test_status_and_schedule_list_fit() -> None:
    schedules = [
        ScheduleLine(
            Schedule(
                id=i,
                guild_id=1,
                channel_id=2,
                cron="0 8 * * *",
                timezone="Europe/Berlin",
                keywords=[LONG[:60]] * 10,
                mention_role_id=5,
                created_at=NOW,
                paused_reason=LONG if i % 2 else None,
            ),
            NOW,
            None,
        )
        for i in range(40)
    ]
    embed = schedules_embed(schedules)
    assert_fits(None, [embed])
    assert "paused" in (embed.description or "") and "20 paused" in (embed.footer.text or "")
    report = StatusReport(
        desk=DeskStatus(
            articles=10_000, stories=2_500, last_ingest=NOW, recent_rejections=[(LONG, LONG, NOW)] * 5
        ),
        drop=DropFolderHealth(path="/srv/" + "x" * 500, exists=True, last_error=LONG),
        poll_seconds=30,
        schedules=schedules,
        scheduler_running=True,
    )
    embed = status_embed(report)
    assert_fits(None, [embed])
    assert [f.name for f in embed.fields][:3] == ["Articles", "Stories", "Last ingest"]
    assert "10,000" in (embed.fields[0].value or "")


def test_helpers() -> None:
    assert dlen("🚢") == 2 and clip("🚢🚢🚢", 4) == "🚢…"
    assert clip("abc", 3) == "abc" and dlen(clip("x" * 5000, 1024)) == 1024
    assert escape("> quoted [link](http://x)") == "\\> quoted \\[link\\](http://x)"
    assert safe_url("javascript:alert(1)") is None and safe_url("ftp://x") is None
    assert link("A [B]", None) == "A \\[B\\]"
    content, embeds = fit_message("x" * 3000, [discord.Embed(description="y" * 5000) for _ in range(12)])
    assert_fits(content, embeds)
    assert len(embeds) <= 10 and dlen(content) == 2000


def test_diff_markup_is_clipped() -> None:
    text = diff_markup([("=", "a " * 500), ("+", "b")], 100)
    assert dlen(text) <= 100
