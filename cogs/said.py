"""/said: every statement by one person across stories and outlets, newest first."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.runtime.client import StorydeskBot
from bot.runtime.cogbase import ServerCog
from bot.runtime.interactions import SAID_LISTED, SaidPages, defer_public, known_speaker_choices, send_pages
from bot.runtime.render import said_pages


class SaidCog(ServerCog):
    """Who said it, across stories."""

    def __init__(self, bot: StorydeskBot) -> None:
        self.bot = bot

    @app_commands.command(name="said", description="Everything one person said, across stories and outlets")
    @app_commands.describe(
        person="Who: start typing a name (suggestions are the people quoted so far)",
        days="Only the last N days (default: any time)",
    )
    @app_commands.autocomplete(person=known_speaker_choices)
    @app_commands.guild_only()
    async def said(
        self,
        interaction: discord.Interaction[StorydeskBot],
        person: app_commands.Range[str, 2, 100],
        days: app_commands.Range[int, 1, 3650] | None = None,
    ) -> None:
        await defer_public(interaction)
        report = await self.bot.desk.said(person, days=days, guild_id=interaction.guild_id, limit=SAID_LISTED)
        await send_pages(interaction, said_pages(report, days=days), SaidPages(person, days or 0))


async def setup(bot: StorydeskBot) -> None:
    await bot.add_cog(SaidCog(bot))
