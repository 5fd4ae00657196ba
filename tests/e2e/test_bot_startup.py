"""Connecting, syncing commands only when they change, endpoints and mentions from config."""

from __future__ import annotations

import discord
import discord.http
from discord.gateway import DiscordWebSocket
from e2e_support import BotFactory, stop
from fake_discord import FakeDiscord
from fake_payloads import MANAGE_GUILD

from bot.config import Settings
from bot.runtime.client import EXTENSIONS
from bot.runtime.main import apply_endpoints

COMMANDS = {"digest", "schedule", "stories", "story", "compare", "quotes", "said", "status", "feeds", "live"}


def _all_options(cmd: dict) -> list[dict]:  # type: ignore[type-arg]
    out = []
    for opt in cmd.get("options", []):
        out.append(opt)
        out.extend(_all_options(opt))
    return out


async def test_connects_syncs_to_the_guild_and_not_again(
    start_bot: BotFactory, fake: FakeDiscord, settings: Settings
) -> None:
    bot = await start_bot()
    assert bot.user is not None and str(bot.user.id) == fake.bot_id
    assert fake.identify is not None and fake.identify["token"] == "fake-token"
    # endpoints come from [discord] config, set by the runtime itself
    assert settings.discord.api_base == discord.http.Route.BASE
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == settings.discord.gateway_url
    assert bot.allowed_mentions is not None and bot.allowed_mentions.to_dict() == {"parse": []}

    guild_puts = fake.calls_to("PUT", rf"/applications/{fake.app_id}/guilds/{fake.guild_id}/commands")
    assert len(guild_puts) == 1 and bot.synced is True
    registered = {c["name"]: c for c in guild_puts[0].json}
    assert set(registered) == COMMANDS
    assert fake.calls_to("PUT", rf"/applications/{fake.app_id}/commands")[0].json == []  # no stale globals
    schedule = registered["schedule"]
    assert int(schedule["default_member_permissions"]) == MANAGE_GUILD
    assert {o["name"] for o in schedule["options"]} == {"add", "list", "remove", "resume"}
    for cmd in registered.values():
        assert cmd["description"]
        for opt in _all_options(cmd):
            assert opt["description"] and opt["description"] != "…", (cmd["name"], opt["name"])
    story_opt = next(o for o in registered["story"]["options"] if o["name"] == "story")
    assert story_opt["autocomplete"] is True
    quotes_opts = {o["name"]: o for o in registered["quotes"]["options"]}
    assert quotes_opts["speaker"]["autocomplete"] is True

    await stop(bot)
    again = await start_bot()
    assert again.synced is False
    assert len(fake.calls_to("PUT", r"/applications/\d+(/guilds/\d+)?/commands")) == 2  # still the first two
    assert fake.connections == 2


async def test_a_changed_command_set_is_synced(
    start_bot: BotFactory, fake: FakeDiscord, settings: Settings
) -> None:
    first = await start_bot()
    await stop(first)
    fewer = Settings.model_validate(settings.model_dump())
    from bot.runtime.client import StorydeskBot

    apply_endpoints(settings.discord)
    bot = StorydeskBot(
        fewer, first.desk, extensions=[e for e in EXTENSIONS if e != "cogs.status"], guild_ready_timeout=0.05
    )
    await bot.login("fake-token")  # login runs setup_hook: load cogs, sync if changed
    try:
        assert bot.synced is True
        last = fake.calls_to("PUT", rf"/applications/{fake.app_id}/guilds/{fake.guild_id}/commands")[-1]
        assert {c["name"] for c in last.json} == COMMANDS - {"status"}
    finally:
        await bot.close()


async def test_global_sync_when_no_guilds_are_configured(
    start_bot: BotFactory, fake: FakeDiscord, settings: Settings
) -> None:
    global_settings = settings.model_copy(
        update={"discord": settings.discord.model_copy(update={"guild_ids": []})}
    )
    bot = await start_bot(settings_=global_settings)
    puts = fake.calls_to("PUT", rf"/applications/{fake.app_id}/commands")
    assert {c["name"] for c in puts[-1].json} == COMMANDS
    assert not fake.calls_to("PUT", rf"/applications/{fake.app_id}/guilds/\d+/commands")
    # a DM reaching a global command is refused privately: server data stays in its server
    inter = await fake.slash("digest", dm=True, guild_scoped=False)
    await fake.wait_for_response(inter)
    assert inter.original is not None and inter.original["flags"] == 64
    assert "only works in a server" in inter.original["content"]
    assert isinstance(bot, discord.Client)
