"""/compare: how each outlet told a story (shared points, what only one has, numbers that differ)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.runtime.client import StorydeskBot
from bot.runtime.cogbase import ServerCog
from bot.runtime.interactions import answer_compare, outlet_choices, parse_story_id, story_choices


class CompareCog(ServerCog):
    """Outlet-by-outlet comparison."""

    def __init__(self, bot: StorydeskBot) -> None:
        self.bot = bot

    @app_commands.command(name="compare", description="How each outlet told a story")
    @app_commands.describe(
        story="The story: start typing words of its headline, or give its number",
        outlet="Show only this outlet's side (default: all outlets)",
    )
    @app_commands.autocomplete(story=story_choices, outlet=outlet_choices)
    @app_commands.guild_only()
    async def compare(
        self,
        interaction: discord.Interaction[StorydeskBot],
        story: str,
        outlet: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        await answer_compare(interaction, parse_story_id(story), outlet)


async def setup(bot: StorydeskBot) -> None:
    await bot.add_cog(CompareCog(bot))
