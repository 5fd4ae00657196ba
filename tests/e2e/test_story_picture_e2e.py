"""/story carries the coverage picture: the card goes out first, then the same message is edited to
upload coverage.png (a `files[0]` part and its `attachments` entry in payload_json, as Discord's
docs describe uploads) and show it as the embed's image. No picture, and no error, for a story of
one article or when drawing fails; `storydesk story --picture` writes the same PNG."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from e2e_support import BotFactory, answer, cli_ok
from fake_discord import FakeDiscord
from PIL import Image

from bot.news.coverage import build_coverage, render_png
from bot.news.desk import NewsDesk
from bot.news.models import Story
from bot.runtime.client import StorydeskBot
from bot.runtime.pictures import PictureDrawer

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ORIGINAL = r"/webhooks/\d+/{token}/messages/@original"


def story_option(story_id: int) -> list[dict[str, object]]:
    return [{"name": "story", "type": 3, "value": str(story_id)}]


async def widest_story(desk: NewsDesk) -> Story:
    return max(await desk.stories(), key=lambda s: (len(s.articles), -s.id))


async def test_story_answers_with_the_coverage_picture(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk
) -> None:
    story = await widest_story(desk)
    assert len(story.articles) >= 2
    inter = await fake.slash("story", story_option(story.id))
    card = await answer(fake, inter)
    await fake.wait_until(lambda: bool(card["attachments"]), timeout=20)
    [attached] = card["attachments"]
    assert attached["filename"] == "coverage.png"
    [embed] = card["embeds"]
    assert embed["image"]["url"] == "attachment://coverage.png"
    assert embed["title"].replace("\\", "") == story.headline[:256]
    assert [b["custom_id"] for b in fake.buttons(card)] == [f"sd:compare:{story.id}", f"sd:quotes:{story.id}"]

    [edit] = fake.calls_to("PATCH", ORIGINAL.format(token=inter.token))
    assert edit.headers["Content-Type"].startswith("multipart/form-data")
    assert [a["filename"] for a in edit.json["attachments"]] == ["coverage.png"]
    assert all("id" in a for a in edit.json["attachments"])
    png = edit.files["coverage.png"]
    assert png.startswith(PNG_SIGNATURE) and len(png) < 200 * 1024
    with Image.open(io.BytesIO(png)) as image:
        assert image.size[0] == 1000 and image.size[1] >= 200
    assert edit.json["allowed_mentions"] == {"parse": []}
    # Drawn from the figures alone, it is the very picture the full comparison gives.
    assert png == render_png(build_coverage(story, await desk.compare(story.id)))


async def test_a_one_article_story_goes_without_a_picture(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk, tmp_path: Path
) -> None:
    page = tmp_path / "lone.txt"
    page.write_text(
        "Glassblowers of Verrin open a winter workshop\n\n"
        "The glassblowers' guild of Verrin opened its first winter workshop on Saturday, "
        "teaching twelve apprentices to shape lanterns from recycled bottles.",
        encoding="utf-8",
    )
    report = await desk.ingest_paths([str(page)])
    [ref] = report.new
    lone = await desk.story(report.story_of[ref])
    assert len(lone.articles) == 1
    await start_bot()
    inter = await fake.slash("story", story_option(lone.id))
    card = await answer(fake, inter)
    # Wait for a second /story's picture: it needs figures and a drawing, while the first
    # had only to see its story has one article, so by then the first has long finished.
    after = await fake.slash("story", story_option((await widest_story(desk)).id))
    await answer(fake, after)
    await fake.wait_until(lambda: bool(fake.calls_to("PATCH", ORIGINAL.format(token=after.token))), 20)
    assert card["attachments"] == [] and "image" not in card["embeds"][0]
    assert fake.calls_to("PATCH", ORIGINAL.format(token=inter.token)) == []


async def test_a_failed_drawing_leaves_the_card_as_it_was(
    bot: StorydeskBot,
    fake: FakeDiscord,
    desk: NewsDesk,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    expected_errors: Any,  # conftest's ExpectedLogs (conftest modules are not imported)
) -> None:
    def broken(*args: object, **kw: object) -> bytes:
        raise RuntimeError("no ink")

    # A fault injected where no real input makes Pillow fail: the error is logged, never shown.
    bot.reading.drawer = PictureDrawer()
    monkeypatch.setattr("bot.runtime.pictures.story_png", broken)
    expected_errors.allow("coverage picture for story")
    story = await widest_story(desk)
    inter = await fake.slash("story", story_option(story.id))
    card = await answer(fake, inter)
    await fake.wait_until(lambda: any("coverage picture for story" in r.getMessage() for r in caplog.records))
    assert card["embeds"][0]["title"].replace("\\", "") == story.headline[:256]
    assert not card["flags"] & 64  # the public card, not an error message
    assert card["attachments"] == [] and "image" not in card["embeds"][0]
    assert fake.calls_to("PATCH", ORIGINAL.format(token=inter.token)) == []


def test_the_cli_writes_the_picture(db_path: Path, tmp_path: Path) -> None:
    stories = cli_ok(db_path, "stories", "--json")
    widest = max(stories, key=lambda s: len(s["articles"]))
    out = tmp_path / "coverage.png"
    shown = cli_ok(db_path, "story", str(widest["id"]), "--picture", str(out), "--json")
    assert shown["picture"] == str(out) and shown["id"] == widest["id"]
    png = out.read_bytes()
    assert png.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(png)) as image:
        assert image.size[0] == 1000
    plain = cli_ok(db_path, "story", str(widest["id"]), "--json")
    assert "picture" not in plain  # the field appears only when a picture was written


async def test_a_story_drawn_before_gets_its_picture_with_the_card(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk
) -> None:
    story = await widest_story(desk)
    first = await fake.slash("story", story_option(story.id))
    card = await answer(fake, first)
    await fake.wait_until(lambda: bool(card["attachments"]), timeout=20)
    [edit] = fake.calls_to("PATCH", ORIGINAL.format(token=first.token))
    # The same story, not grown since: the picture goes out with the card, and nothing is edited.
    again = await fake.slash("story", story_option(story.id))
    second = await answer(fake, again)
    assert [a["filename"] for a in second["attachments"]] == ["coverage.png"]
    assert second["embeds"][0]["image"]["url"] == "attachment://coverage.png"
    [sent] = [c for c in fake.calls if again.token in c.path and c.files]  # the answer (or followup)
    assert sent.files["coverage.png"] == edit.files["coverage.png"]
    await bot.reading.settle()
    assert fake.calls_to("PATCH", ORIGINAL.format(token=again.token)) == []


async def test_of_cards_waiting_for_the_picture_only_the_newest_in_a_channel_gets_it(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk
) -> None:
    # Three /story of one story back to back, before its picture is drawn: one edit, on the last
    # card; the card that comes after the drawing carries the picture at once, with no edit.
    story = await widest_story(desk)
    inters = [await fake.slash("story", story_option(story.id)) for _ in range(3)]
    cards = [await answer(fake, i) for i in inters]
    await fake.wait_until(lambda: bool(cards[-1]["attachments"]), timeout=20)
    await bot.reading.settle()  # the older cards' turns too: none of them may upload afterwards
    edits = [fake.calls_to("PATCH", ORIGINAL.format(token=i.token)) for i in inters]
    assert [len(e) for e in edits] == [0, 0, 1]
    assert [c["attachments"] for c in cards[:2]] == [[], []]
    later = await fake.slash("story", story_option(story.id))
    card = await answer(fake, later)
    assert [a["filename"] for a in card["attachments"]] == ["coverage.png"]
    assert fake.calls_to("PATCH", ORIGINAL.format(token=later.token)) == []
