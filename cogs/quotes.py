"""/quotes: who said what in a story, matched across outlets, with wording differences shown."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.runtime.client import StorydeskBot
from bot.runtime.cogbase import ServerCog
from bot.runtime.interactions import answer_quotes, parse_story_id, speaker_choices, story_choices


class QuotesCog(ServerCog):
    """Quotes across outlets."""

    def __init__(self, bot: StorydeskBot) -> None:
        self.bot = bot

    @app_commands.command(name="quotes", description="Who said what in a story, across outlets")
    @app_commands.describe(
        story="The story: start typing words of its headline, or give its number",
        speaker="Only quotes from this person (suggestions come from the chosen story)",
    )
    @app_commands.autocomplete(story=story_choices, speaker=speaker_choices)
    @app_commands.guild_only()
    async def quotes(
        self,
        interaction: discord.Interaction[StorydeskBot],
        story: str,
        speaker: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        await answer_quotes(interaction, parse_story_id(story), speaker)


async def setup(bot: StorydeskBot) -> None:
    await bot.add_cog(QuotesCog(bot))
