"""The five real seed pages through Discord: their story compared and quoted, every page within
Discord's limits, nothing in them able to ping anyone."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_support import SEEDS, BotFactory, answer
from fake_discord import FakeDiscord

from bot.news.desk import NewsDesk
from bot.runtime.render._limits import violations


async def _all_pages(fake: FakeDiscord, msg: dict[str, Any]) -> list[dict[str, Any]]:
    """Press Next until it is disabled; every page the message showed, in order."""
    pages = [msg["embeds"][0]]
    for _ in range(50):
        nxt = next((b for b in fake.buttons(msg) if b["label"] == "Next ▶"), None)
        if nxt is None or nxt.get("disabled"):
            return pages
        turn = await fake.click(msg, str(nxt["custom_id"]))
        await fake.wait_for_response(turn)
        found = fake.find_message(msg["id"])
        assert found is not None
        msg = found
        assert violations(str(msg.get("content") or ""), list(msg["embeds"])) == []
        pages.append(msg["embeds"][0])
    raise AssertionError("more than 50 pages")


@pytest.mark.parametrize("command", ["compare", "quotes"])
async def test_the_seed_story_pages_through_discord(
    start_bot: BotFactory, fake: FakeDiscord, desk: NewsDesk, command: str
) -> None:
    report = await desk.ingest_paths([str(SEEDS)])
    assert len(report.new) == 5
    (story_id,) = {report.story_of[ref] for ref in report.new}  # one story
    await start_bot()
    inter = await fake.slash(command, [{"name": "story", "type": 3, "value": str(story_id)}])
    msg = await answer(fake, inter)
    assert violations(str(msg.get("content") or ""), list(msg["embeds"])) == []
    pages = await _all_pages(fake, msg)
    text = "\n".join(
        " ".join(
            [p.get("title", ""), p.get("description", "")]
            + [f["name"] + f["value"] for f in p.get("fields", [])]
        )
        for p in pages
    ).replace("\\", "")
    assert len(pages) >= 2
    if command == "compare":
        for outlet in ("The Washington Times", "Reuters", "Benjamin Franklin Institute"):
            assert outlet in text
        assert "$65.9 billion" in text and "more than $66.5 billion" in text
    else:
        assert "Pete Hegseth" in text and "Pursuing" in text and "Volodymyr Zelensky" in text
    posted = fake.calls_to("POST", rf"/webhooks/\d+/{inter.token}")
    assert posted and all(c.json["allowed_mentions"] == {"parse": []} for c in posted)
