"""/schedule add|list|remove|resume end to end: Manage Server only, validated input, private answers."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_support import answer
from fake_discord import FakeDiscord
from fake_payloads import FakeUser

from bot.news.desk import NewsDesk
from bot.runtime.client import StorydeskBot

EPHEMERAL = 64


def sub(name: str, **options: Any) -> list[dict[str, Any]]:
    """A /schedule sub-command with typed options (channel: 7, role: 8, int: 4, str: 3)."""
    kinds = {"channel": 7, "mention_role": 8, "min_outlets": 4, "schedule": 4}
    opts = [{"name": k, "type": kinds.get(k, 3), "value": v} for k, v in options.items()]
    return [{"name": name, "type": 1, "options": opts}]


async def run(
    fake: FakeDiscord, name: str, *, user: FakeUser | None = None, **options: Any
) -> dict[str, Any]:
    inter = await fake.slash("schedule", sub(name, **options), user=user)
    msg = await answer(fake, inter)
    assert inter.response_type == 4 and msg["flags"] & EPHEMERAL, "admin answers are private"
    return msg


async def test_add_list_remove(bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk) -> None:
    news = fake.channel("news").id
    msg = await run(
        fake,
        "add",
        channel=news,
        cron="30 7 * * 1-5",
        timezone="Europe/Berlin",
        min_outlets=2,
        keywords="ferry, fire",
        mention_role=fake.role_id,
    )
    assert (
        "Schedule **1** added" in msg["content"]
        and f"<#{news}>" in msg["content"]
        and "<t:" in msg["content"]
    )
    [schedule] = await desk.schedules.all(int(fake.guild_id))
    assert (schedule.channel_id, schedule.cron, schedule.timezone) == (
        int(news),
        "30 7 * * 1-5",
        "Europe/Berlin",
    )
    assert (schedule.min_outlets, schedule.keywords, schedule.mention_role_id) == (
        2,
        ["ferry", "fire"],
        int(fake.role_id),
    )
    assert schedule.created_by == int(fake.admin.id)
    assert "digest:1" in bot.jobs.job_ids()

    listed = await run(fake, "list")
    text = listed["embeds"][0]["description"]
    assert "`30 7 * * 1-5` (Europe/Berlin)" in text and "next <t:" in text and f"<@&{fake.role_id}>" in text

    choices = await fake.autocomplete(
        "schedule",
        [
            {
                "name": "remove",
                "type": 1,
                "options": [{"name": "schedule", "type": 4, "value": "", "focused": True}],
            }
        ],
    )
    assert [c["value"] for c in choices] == [1] and "#news" in choices[0]["name"]

    gone = await run(fake, "remove", schedule=1)
    assert "Schedule **1**" in gone["content"] and "removed" in gone["content"]
    assert await desk.schedules.all() == [] and "digest:1" not in bot.jobs.job_ids()
    again = await run(fake, "remove", schedule=1)
    assert "There is no schedule 1" in again["content"]


async def test_only_manage_server_may_schedule(bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk) -> None:
    for name, options in [
        ("add", {"channel": fake.channel("news").id, "cron": "0 8 * * *", "timezone": "UTC"}),
        ("list", {}),
        ("remove", {"schedule": 1}),
    ]:
        msg = await run(fake, name, user=fake.reader, **options)
        assert "Manage Server" in msg["content"], name
    assert await desk.schedules.all() == []


@pytest.mark.parametrize(
    ("cron", "zone", "needle"),
    [
        ("every morning", "UTC", "5 fields"),
        ("0 25 * * *", "UTC", "does not work"),
        ("0 8 * * *", "Moon/Base", "Unknown time zone"),
        ("* * * * *", "UTC", "at most every 10 minutes"),
    ],
)
async def test_bad_cron_or_timezone(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk, cron: str, zone: str, needle: str
) -> None:
    msg = await run(fake, "add", channel=fake.channel("news").id, cron=cron, timezone=zone)
    assert needle in msg["content"]
    assert await desk.schedules.all() == []


async def test_refuses_unpostable_channel_and_everyone(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk
) -> None:
    msg = await run(fake, "add", channel=fake.channel("locked").id, cron="0 8 * * *", timezone="UTC")
    assert "I cannot post digests in" in msg["content"] and "Send Messages" in msg["content"]
    msg = await run(
        fake,
        "add",
        channel=fake.channel("news").id,
        cron="0 8 * * *",
        timezone="UTC",
        mention_role=fake.guild_id,
    )
    assert "cannot mention @everyone" in msg["content"]
    assert await desk.schedules.all() == []


async def test_timezone_autocomplete(bot: StorydeskBot, fake: FakeDiscord) -> None:
    focused = [
        {
            "name": "add",
            "type": 1,
            "options": [{"name": "timezone", "type": 3, "value": "berl", "focused": True}],
        }
    ]
    choices = await fake.autocomplete("schedule", focused)
    assert "Europe/Berlin" in [c["value"] for c in choices]
