"""/digest: the top stories of the last hours, posted here for everyone."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.runtime.client import StorydeskBot
from bot.runtime.cogbase import ServerCog
from bot.runtime.interactions import defer_public, reply
from bot.runtime.render import digest_message


class DigestCog(ServerCog):
    """The on-demand digest."""

    def __init__(self, bot: StorydeskBot) -> None:
        self.bot = bot

    @app_commands.command(name="digest", description="The top stories of the last hours, posted here")
    @app_commands.describe(
        hours="How many hours back to look (default: the configured digest period)",
        min_outlets="Only stories covered by at least this many outlets",
    )
    @app_commands.guild_only()
    async def digest(
        self,
        interaction: discord.Interaction[StorydeskBot],
        hours: app_commands.Range[float, 0.25, 720.0] | None = None,
        min_outlets: app_commands.Range[int, 1, 50] | None = None,
    ) -> None:
        conf = self.bot.settings.digest
        await defer_public(interaction)
        result = await self.bot.desk.digest(
            hours=hours or conf.hours,
            max_stories=conf.max_stories,
            min_outlets=min_outlets or conf.min_outlets,
            guild_id=interaction.guild_id,
        )
        await reply(interaction, digest_message(result))


async def setup(bot: StorydeskBot) -> None:
    await bot.add_cog(DigestCog(bot))
