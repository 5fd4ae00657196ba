"""Figure watch through the real live-cards job and the fake Discord: the card shows the story's
developing and disputed figures, is edited when they move, and gets one reply line per move."""

from __future__ import annotations

from typing import Any

from e2e_support import FakeClock
from fake_discord import FakeDiscord

from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle, add_quotes
from bot.runtime.client import StorydeskBot
from bot.runtime.jobs import LivePoster
from bot.runtime.render._limits import violations
from tests.news.watch.plant import report


def poster_of(bot: StorydeskBot) -> LivePoster:
    cog: Any = bot.get_cog("LiveCog")
    return cog.poster  # type: ignore[no-any-return]


async def arrive(desk: NewsDesk, clock: FakeClock, *reports: int) -> None:
    clock.advance(minutes=3)
    items = []
    for n in reports:
        article = report(n)
        add_quotes(article)  # as the feed poller does
        items.append(IncomingArticle(f"plant-{n}", article))
    await desk.ingest_items(items)


def figures_of(message: dict[str, Any]) -> str:
    assert violations(message.get("content"), message["embeds"]) == []
    return next(f["value"] for f in message["embeds"][0]["fields"] if f["name"] == "Figures")


async def test_a_live_card_follows_its_figures_and_says_when_one_moves(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    guild, news = int(fake.guild_id), fake.channel("news").id
    await desk.live.start(guild, int(news), min_outlets=2)
    poster = poster_of(bot)
    patches = rf"/channels/{news}/messages/\d+"

    # Two outlets: the toll rose from 3 to 8. The card is posted with it; no note (nothing moved yet).
    await arrive(desk, clock, 0, 1)
    await poster.update()
    (card,) = fake.posts_to(news)
    before = figures_of(card)  # the fake edits its stored message in place: keep the text
    assert "killed: 8 (rising as reports come in)" in before

    # A third outlet says 15: the card is edited and one line goes out as a reply to it.
    await arrive(desk, clock, 2)
    await poster.update()
    card_now = fake.find_message(card["id"])
    assert card_now is not None and card_now["edited_timestamp"]
    assert "killed: 15 (rising as reports come in)" in figures_of(card_now)
    cards_and_notes = fake.posts_to(news)
    assert len(cards_and_notes) == 2
    note = cards_and_notes[1]
    assert note["content"] == "📊 killed: 8 → 15; one outlet still says 8"
    assert note["type"] == 19 and note["message_reference"]["message_id"] == card["id"]
    (sent,) = fake.calls_to("POST", rf"/channels/{news}/messages")[-1:]
    assert sent.json["allowed_mentions"] == {"parse": []}  # replied_user absent: Discord reads false
    assert violations(note["content"], []) == []

    # A fourth outlet agreeing with 15: the card is edited (a new outlet), but no figure moved.
    edits = len(fake.calls_to("PATCH", patches))
    await arrive(desk, clock, 3)
    await poster.update()
    assert len(fake.calls_to("PATCH", patches)) == edits + 1
    assert len(fake.posts_to(news)) == 2

    # Nothing arrived: no edit, no line.
    clock.advance(minutes=3)
    await poster.update()
    assert len(fake.calls_to("PATCH", patches)) == edits + 1
    assert len(fake.posts_to(news)) == 2
    # Shown with -s: what a reader sees before and after the edit.
    print("CARD FIGURES BEFORE:\n" + before + "\nAFTER THE EDIT:\n" + figures_of(card_now))
    print("FIGURE NOTE: " + note["content"])
