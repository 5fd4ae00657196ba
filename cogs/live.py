"""/live start|stop: one card per story in a channel once enough outlets cover it (Manage Server)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.runtime.client import StorydeskBot
from bot.runtime.jobs import LIVE_JOB, LivePoster, run_soon
from bot.runtime.permissions import require_manage_guild, require_postable

WHAT = "Live stories"


class LiveCog(commands.Cog):
    """Live story cards; also runs the job that posts and edits them."""

    live = app_commands.Group(
        name="live",
        description="Live story cards in a channel (Manage Server)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: StorydeskBot) -> None:
        self.bot = bot
        self.poster = LivePoster(bot)

    async def cog_load(self) -> None:
        self.poster.schedule()

    @live.command(name="start", description="Post a card per story once enough outlets cover it")
    @app_commands.describe(
        channel="Where the cards go (one live channel per server)",
        min_outlets="Outlets a story needs before its card is posted (default 3)",
    )
    async def start(
        self,
        interaction: discord.Interaction[StorydeskBot],
        channel: discord.TextChannel,
        min_outlets: app_commands.Range[int, 1, 50] = 3,
    ) -> None:
        guild_id = require_manage_guild(interaction, WHAT)
        require_postable(channel)
        started = await self.poster.board.start(guild_id, channel.id, min_outlets)
        run_soon(self.bot, LIVE_JOB)
        await interaction.response.send_message(
            f"Live stories on in {channel.mention}: a card for each new story covered by at least "
            f"{started.min_outlets} outlets, updated as more outlets join.",
            ephemeral=True,
        )

    @live.command(name="stop", description="Stop posting live story cards in this server")
    async def stop(self, interaction: discord.Interaction[StorydeskBot]) -> None:
        guild_id = require_manage_guild(interaction, WHAT)
        stopped = await self.poster.board.stop(guild_id)
        await interaction.response.send_message(
            f"Live stories stopped in <#{stopped.channel_id}>; the cards already there stay.", ephemeral=True
        )


async def setup(bot: StorydeskBot) -> None:
    await bot.add_cog(LiveCog(bot))
