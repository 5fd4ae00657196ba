"""Reader commands end to end: /digest /stories /story /compare /quotes /status, normal and error paths."""

from __future__ import annotations

import asyncio

import pytest
from e2e_support import BotFactory, answer, stop
from fake_discord import FakeDiscord, Interaction

from bot.news.desk import NewsDesk
from bot.news.models import Story
from bot.runtime.client import StorydeskBot
from bot.runtime.render._limits import violations

EPHEMERAL = 64


def opt(name: str, value: object, kind: int = 3, **extra: object) -> dict[str, object]:
    return {"name": name, "type": kind, "value": value, **extra}


async def biggest_story(desk: NewsDesk) -> Story:
    stories = await desk.stories()
    return max(stories, key=lambda s: (len(s.outlets), -s.id))


def assert_public_and_fits(msg: dict[str, object]) -> None:
    assert not int(msg["flags"]) & EPHEMERAL  # type: ignore[call-overload]
    assert violations(str(msg.get("content") or ""), list(msg["embeds"])) == []  # type: ignore[call-overload]


async def assert_private_error(fake: FakeDiscord, inter: Interaction, needle: str) -> None:
    msg = await answer(fake, inter)
    assert msg["flags"] & EPHEMERAL, msg
    assert needle in msg["content"], msg["content"]
    if inter.response_type == 5:  # deferred publicly: the public "thinking…" message was removed
        assert inter.original is None


async def test_digest_is_public_and_within_limits(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk
) -> None:
    inter = await fake.slash("digest", [opt("hours", 24.0, 10)])
    msg = await answer(fake, inter)
    assert inter.response_type == 5 and inter.latency is not None and inter.latency < 3.0
    assert_public_and_fits(msg)
    [embed] = msg["embeds"]
    story = await biggest_story(desk)
    field = next(f for f in embed["fields"] if story.headline[:40] in f["name"].replace("\\", ""))
    assert f"/compare story:{story.id}" in field["value"]
    assert "](" in field["value"]  # outlets with links
    calls = fake.calls_to("POST", rf"/webhooks/\d+/{inter.token}")
    assert calls[-1].json["allowed_mentions"] == {"parse": []}


async def test_digest_min_outlets_filters(bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk) -> None:
    most = len((await biggest_story(desk)).outlets)
    msg = await answer(fake, await fake.slash("digest", [opt("min_outlets", most, 4)]))
    names = [f["name"] for f in msg["embeds"][0]["fields"]]
    assert len(names) == 1


async def test_stories_lists_recent_stories(bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk) -> None:
    msg = await answer(fake, await fake.slash("stories", [opt("hours", 48.0, 10)]))
    assert_public_and_fits(msg)
    text = msg["embeds"][0]["description"]
    for s in await desk.stories():
        assert f"`{s.id}`" in text
    empty = await answer(fake, await fake.slash("stories", [opt("query", "zzzz-no-such-thing")]))
    assert "No stories found" in empty["embeds"][0]["description"]


async def test_story_card_and_its_buttons(bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk) -> None:
    story = await biggest_story(desk)
    inter = await fake.slash("story", [opt("story", f"{story.id} · whatever the label said")])
    msg = await answer(fake, inter)
    assert inter.response_type in (4, 5)  # answered at once, or deferred when the card is slow
    assert_public_and_fits(msg)
    [embed] = msg["embeds"]
    assert embed["title"].replace("\\", "") == story.headline[:256]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    with_url = {(a.outlet or "").casefold() for a in story.articles if a.url}
    outlets_field = fields[f"Outlets ({len(story.outlets)})"]
    assert outlets_field.count("](") == len(with_url)
    assert all(o.replace(" ", "") in outlets_field.replace(" ", "") for o in story.outlets)
    assert "<t:" in fields["First seen"]
    ids = [b["custom_id"] for b in fake.buttons(msg)]
    assert ids == [f"sd:compare:{story.id}", f"sd:quotes:{story.id}"]

    click = await fake.click(msg, f"sd:compare:{story.id}", user=fake.reader)  # anyone may press these
    compared = await answer(fake, click)
    assert click.response_type == 5 and compared["embeds"][0]["title"].startswith("Compare")
    click = await fake.click(msg, f"sd:quotes:{story.id}")
    quoted = await answer(fake, click)
    assert quoted["embeds"][0]["title"] == f"Quotes · story {story.id}"


@pytest.mark.parametrize(
    ("command", "value", "needle"),
    [
        ("story", "999999", "There is no story 999999"),
        ("story", "ferry strike", "is not a story"),
        ("compare", "999999", "There is no story 999999"),
        ("quotes", "999999", "There is no story 999999"),
    ],
)
async def test_unknown_story_is_a_private_error(
    bot: StorydeskBot, fake: FakeDiscord, command: str, value: str, needle: str
) -> None:
    inter = await fake.slash(command, [opt("story", value)])
    await assert_private_error(fake, inter, needle)


async def test_compare_pages_only_for_the_asker(bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk) -> None:
    story = await biggest_story(desk)
    inter = await fake.slash("compare", [opt("story", str(story.id))])
    msg = await answer(fake, inter)
    assert_public_and_fits(msg)
    assert msg["embeds"][0]["footer"]["text"].startswith("Page 1/")
    labels = [b["label"] for b in fake.buttons(msg)]
    assert labels[0] == "◀ Back" and labels[-1] == "Next ▶"
    nxt = next(b["custom_id"] for b in fake.buttons(msg) if b["label"] == "Next ▶")

    intruder = await fake.click(msg, nxt, user=fake.reader)
    refused = await answer(fake, intruder)
    assert refused["flags"] & EPHEMERAL and "Only the person who asked" in refused["content"]
    assert fake.find_message(msg["id"])["embeds"][0]["footer"]["text"].startswith("Page 1/")  # type: ignore[index]

    turn = await fake.click(msg, nxt)
    await fake.wait_for_response(turn)
    assert turn.response_type == 7  # the same message, edited in place
    edited = fake.find_message(msg["id"])
    assert edited is not None and edited["embeds"][0]["footer"]["text"].startswith("Page 2/")
    assert_public_and_fits(edited)


async def test_compare_one_outlet_and_unknown_outlet(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk
) -> None:
    story = await biggest_story(desk)
    outlet = story.outlets[-1]
    choices = await fake.autocomplete(
        "compare", [opt("story", str(story.id)), opt("outlet", outlet[:4].lower(), focused=True)]
    )
    assert outlet in [c["value"] for c in choices]
    msg = await answer(
        fake, await fake.slash("compare", [opt("story", str(story.id)), opt("outlet", outlet)])
    )
    assert msg["embeds"][0]["title"].replace("\\", "").startswith(outlet)
    inter = await fake.slash("compare", [opt("story", str(story.id)), opt("outlet", "Nonexistent Times")])
    await assert_private_error(fake, inter, "No outlet 'Nonexistent Times'")


async def test_quotes_and_speaker_autocomplete(bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk) -> None:
    story = await biggest_story(desk)
    choices = await fake.autocomplete(
        "quotes", [opt("story", str(story.id)), opt("speaker", "", focused=True)]
    )
    speakers = await desk.speakers(story.id)
    assert [c["value"] for c in choices] == speakers[:25]
    msg = await answer(fake, await fake.slash("quotes", [opt("story", str(story.id))]))
    assert_public_and_fits(msg)
    assert msg["embeds"][0]["title"] == f"Quotes · story {story.id}"
    if speakers:
        who = speakers[0]
        one = await answer(
            fake, await fake.slash("quotes", [opt("story", str(story.id)), opt("speaker", who)])
        )
        assert who in one["embeds"][0]["title"]


async def test_story_autocomplete(bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk) -> None:
    story = await biggest_story(desk)
    word = max(story.headline.split(), key=len)
    choices = await fake.autocomplete("story", [opt("story", word.lower(), focused=True)])
    assert str(story.id) in [c["value"] for c in choices]
    assert all(len(c["name"]) <= 100 for c in choices)
    by_id = await fake.autocomplete("story", [opt("story", str(story.id), focused=True)])
    assert by_id[0]["value"] == str(story.id)
    none = await fake.autocomplete("quotes", [opt("story", "not-a-story"), opt("speaker", "x", focused=True)])
    assert none == []  # a bad story in another option gives no suggestions, not an error


async def test_status_shows_counts_and_health(bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk) -> None:
    inter = await fake.slash("status")
    msg = await answer(fake, inter)
    assert inter.response_type == 4
    assert_public_and_fits(msg)
    fields = {f["name"]: f["value"] for f in msg["embeds"][0]["fields"]}
    status = await desk.status()
    assert fields["Articles"] == f"{status.articles:,}" and fields["Stories"] == f"{status.stories:,}"
    assert "is missing" in fields["Drop folder"]  # the test's drop folder does not exist
    assert "0 schedules" in fields["Schedules"]


async def test_unexpected_failure_is_logged_and_answered_generically(
    bot: StorydeskBot, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch, expected_errors: object
) -> None:
    async def broken() -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(bot.desk, "status", broken)
    expected_errors.allow("status failed for user")  # type: ignore[attr-defined]
    inter = await fake.slash("status")
    msg = await answer(fake, inter)
    assert msg["flags"] & EPHEMERAL and "Something went wrong" in msg["content"]
    assert "database on fire" not in msg["content"]


async def test_slow_story_card_is_deferred_first(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = await biggest_story(desk)
    real_card = bot.reading.card

    async def slow_card(story_id: int, guild_id: int | None) -> object:
        await asyncio.sleep(0.8)
        return await real_card(story_id, guild_id)

    monkeypatch.setattr(bot.reading, "card", slow_card)
    inter = await fake.slash("story", [opt("story", str(story.id))])
    msg = await answer(fake, inter)
    assert inter.response_type == 5 and inter.latency is not None and inter.latency < 0.8
    assert_public_and_fits(msg)
    assert [b["custom_id"] for b in fake.buttons(msg)] == [f"sd:compare:{story.id}", f"sd:quotes:{story.id}"]


def next_button(fake: FakeDiscord, msg: dict[str, object]) -> dict[str, object]:
    return next(b for b in fake.buttons(msg) if b["label"] == "Next ▶")


async def test_page_buttons_work_after_a_restart(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk
) -> None:
    """A paged answer from before a restart still turns: its buttons carry what they show."""
    bot = await start_bot()
    story = await biggest_story(desk)
    msg = await answer(fake, await fake.slash("quotes", [opt("story", str(story.id))]))
    assert msg["embeds"][0]["footer"]["text"].startswith("Page 1/")
    total = int(msg["embeds"][0]["footer"]["text"].split("/")[1].split()[0])
    assert total >= 2
    await stop(bot)
    await start_bot()

    turn = await fake.click(msg, str(next_button(fake, msg)["custom_id"]))
    await fake.wait_for_response(turn)
    assert turn.response_type == 7
    edited = fake.find_message(msg["id"])
    assert edited is not None and edited["embeds"][0]["footer"]["text"].startswith(f"Page 2/{total}")
    assert edited["embeds"][0]["title"] == f"Quotes · story {story.id}"
    assert_public_and_fits(edited)
    labels = [(b["label"], bool(b.get("disabled"))) for b in fake.buttons(edited)]
    assert labels == [("◀ Back", False), (f"2/{total}", True), ("Next ▶", total == 2)]
    back = next(b for b in fake.buttons(edited) if b["label"] == "◀ Back")
    turn = await fake.click(edited, str(back["custom_id"]))
    await fake.wait_for_response(turn)
    assert fake.find_message(msg["id"])["embeds"][0]["footer"]["text"].startswith("Page 1/")  # type: ignore[index]


async def test_a_filtered_answer_pages_with_its_filter(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk
) -> None:
    story = await biggest_story(desk)
    outlet = story.outlets[-1]
    msg = await answer(
        fake, await fake.slash("compare", [opt("story", str(story.id)), opt("outlet", outlet)])
    )
    assert msg["embeds"][0]["title"].replace("\\", "").startswith(outlet)  # its page first
    turn = await fake.click(msg, str(next_button(fake, msg)["custom_id"]))
    await fake.wait_for_response(turn)
    page2 = fake.find_message(msg["id"])
    assert page2 is not None and page2["embeds"][0]["footer"]["text"].startswith("Page 2/")
    back = next(b for b in fake.buttons(page2) if b["label"] == "◀ Back")
    turn = await fake.click(page2, str(back["custom_id"]))
    await fake.wait_for_response(turn)
    page1 = fake.find_message(msg["id"])
    assert page1 is not None and page1["embeds"][0] == msg["embeds"][0]  # the outlet's page again
