"""Thread names and a story's own message (forum posts, threads): inert and within Discord's limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.news import DigestItem, DigestLink
from bot.news.live import CardView
from bot.news.models import StoryChanges
from bot.runtime.render import card_update_note, story_message, thread_name
from bot.runtime.render._limits import CONTENT, dlen, violations

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
WORDS = "Flood waters rise in the valley as rescuers reach the stranded villages "


def item(headline: str, n_outlets: int = 3, changes: StoryChanges | None = None) -> DigestItem:
    return DigestItem(
        story_id=7,
        headline=headline,
        summary=[WORDS * 5, "Second sentence @everyone <@&123> " * 20],
        outlets=[
            DigestLink(outlet=f"Outlet {i}", title=WORDS, url=f"https://o{i}.example/a", ref=f"r{i}")
            for i in range(n_outlets)
        ],
        outlet_count=n_outlets,
        article_count=2 * n_outlets,
        first_seen=NOW,
        last_updated=NOW,
        score=1.0,
        changes=changes,
    )


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Quake hits the coast", "Quake hits the coast"),
        ("Quake <@123> hits <@&456> the <#789> coast", "Quake hits the coast"),
        ("  Two\nlines\tand   spaces ", "Two lines and spaces"),
        ("<@123>", "Story 7"),
        ("", "Story 7"),
    ],
)
def test_thread_names_carry_no_mentions(headline: str, expected: str) -> None:
    assert thread_name(headline, 7) == expected


def test_thread_names_never_broadcast_and_fit_100_units() -> None:
    name = thread_name("@everyone and @here: " + "🔥" * 200, 7)
    assert "@everyone" not in name and "@here" not in name and "everyone" in name
    assert 1 <= dlen(name) <= 100 and name.endswith("…")


@pytest.mark.parametrize("n_outlets", [1, 40])
def test_a_storys_message_fits_and_pings_only_the_opted_in_role(n_outlets: int) -> None:
    out = story_message(
        item("Floods " + WORDS * 10, n_outlets), until=NOW, marker="sd1.1", mention_role_id=42
    )
    assert violations(out.content, out.embeds) == []
    assert out.content == "<@&42>"
    assert out.allowed_mentions.to_dict() == {"parse": [], "roles": [42]}
    embed = out.embeds[0]
    assert "story 7" in (embed.footer.text or "") and "sd1.1" in (embed.footer.text or "")
    assert "/compare story:7" in (embed.description or "")


def test_a_grown_storys_message_is_only_its_changes() -> None:
    grown = StoryChanges(
        seen_at=NOW - timedelta(days=1),
        articles_before=2,
        new_outlets=["Outlet 2"],
        figures=["killed: 8 → 15"],
    )
    out = story_message(item("Floods", changes=grown), until=NOW)
    embed = out.embeds[0]
    assert (embed.title or "").startswith("↻ ")
    assert (embed.description or "").startswith("**Update since you saw it")
    assert "killed: 8 → 15" in (embed.description or "")
    assert WORDS.strip() not in (embed.description or "")  # not the summary again
    assert out.content is None and out.allowed_mentions.to_dict() == {"parse": []}


def view(n_outlets: int) -> CardView:
    links = [
        (f"Outlet {i} <@&1>", f"{WORDS} @everyone " * 3, f"https://o{i}.example/") for i in range(n_outlets)
    ]
    return CardView(story_id=7, headline="Floods", outlets=[o for o, _t, _u in links], links=links)


def test_a_card_update_names_the_outlets_that_joined_then_the_figures() -> None:
    note = card_update_note(view(4), 2, ["killed: 8 → 15"])
    assert note is not None
    lines = note.split("\n")
    assert lines[0] == "Now covered by 4 outlets:"
    assert [line.split(":")[0] for line in lines[1:3]] == ["➕ Outlet 2 <@&1>", "➕ Outlet 3 <@&1>"]
    assert lines[-1] == "📊 killed: 8 → 15"
    assert card_update_note(view(4), 4, []) is None  # nothing joined, nothing moved: no reply


def test_a_card_update_fits_one_message_whatever_joined() -> None:
    note = card_update_note(view(60), 0, [f"figure {i} {WORDS * 4}" for i in range(9)])
    assert note is not None and dlen(note) <= CONTENT
    assert "➕ +55 more outlets" in note
    assert violations(note, []) == []
