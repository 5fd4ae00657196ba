"""Delta digest blocks, figure notes and card figures within Discord's limits whatever the data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.news.live import CardView
from bot.news.models import Point, QuoteGroup, StoryChanges
from bot.runtime.render import digest_message, figure_note, live_card
from bot.runtime.render._limits import CONTENT, dlen, violations
from tests.runtime.render_samples import LONG, NOW, digest


def changes(n: int) -> StoryChanges:
    return StoryChanges(
        seen_at=NOW - timedelta(days=1),
        articles_before=3,
        new_outlets=[f"Outlet {i} {LONG[:80]}" for i in range(n)],
        new_quotes=[
            QuoteGroup(speaker=LONG[:90], text=LONG + " @everyone", outlets=[LONG] * n) for _ in range(3)
        ],
        figures=[f"killed: {i} → {i + 7}; {LONG}" for i in range(n)],
        new_points=[Point(text=LONG + " <@&123>", outlets=[LONG]) for _ in range(3)],
    )


@pytest.mark.parametrize(("items", "n"), [(1, 1), (1, 60), (8, 60), (20, 5)])
def test_a_delta_digest_fits_and_shows_only_changes(items: int, n: int) -> None:
    d = digest(items, 60)
    for item in d.items:
        item.changes = changes(n)
    out = digest_message(d, marker="sd1.1767603600")
    assert violations(out.content, out.embeds) == []
    assert out.allowed_mentions.to_dict() == {"parse": []}
    field = out.embeds[0].fields[0]
    assert (field.name or "").startswith("1. ↻ ")
    value = field.value or ""
    assert value.startswith("**Update since you saw it <t:")  # the block, not the summary
    assert "Second sentence" not in value and "/compare story:0" in value
    assert "📈 killed: 0 → 7" in value


def test_figure_notes_and_card_figures_fit() -> None:
    note = figure_note([f"killed: 8 → 15; {LONG} @everyone"] * 40)
    assert dlen(note) <= CONTENT and note.count("\n") < 5 and "\\*stars\\*" in note
    view = CardView(story_id=7, headline=LONG, outlets=["A", "B"], figures=[LONG] * 50)
    card = live_card(view, marker="abcd1234")
    assert violations(card.content, card.embeds) == []
    assert any(f.name == "Figures" for f in card.embeds[0].fields)
