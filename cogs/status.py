"""/status: what is stored, the last ingest, drop-folder and schedule health."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.runtime.client import StorydeskBot
from bot.runtime.cogbase import ServerCog
from bot.runtime.render import status_embed
from bot.runtime.status import status_report


class StatusCog(ServerCog):
    """Health at a glance."""

    def __init__(self, bot: StorydeskBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="status", description="Articles and stories stored, last ingest, drop folder, schedules"
    )
    @app_commands.guild_only()
    async def status(self, interaction: discord.Interaction[StorydeskBot]) -> None:
        report = await status_report(self.bot, interaction.guild_id)
        await interaction.response.send_message(embed=status_embed(report))


async def setup(bot: StorydeskBot) -> None:
    await bot.add_cog(StatusCog(bot))
