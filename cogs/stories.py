"""/stories (recent stories, paged) and /story (one story's card with Compare / Quotes buttons)."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

import discord
from discord import app_commands

from bot.runtime.client import StorydeskBot
from bot.runtime.cogbase import ServerCog
from bot.runtime.interactions import (
    MAX_LISTED,
    StoryListPages,
    answer_story,
    defer_public,
    parse_story_id,
    send_pages,
    story_choices,
)
from bot.runtime.render import stories_pages


class StoriesCog(ServerCog):
    """Browsing stories."""

    def __init__(self, bot: StorydeskBot) -> None:
        self.bot = bot

    @app_commands.command(name="stories", description="Recent stories, newest first, with page buttons")
    @app_commands.describe(
        query="Only stories mentioning this word or phrase",
        hours="How many hours back to look (default: the configured digest period)",
        rank="Newest first (default), or most independent reports first (wire copies count once)",
    )
    @app_commands.choices(
        rank=[
            app_commands.Choice(name="newest first", value="newest"),
            app_commands.Choice(name="most independent reports first", value="reports"),
        ]
    )
    @app_commands.guild_only()
    async def stories(
        self,
        interaction: discord.Interaction[StorydeskBot],
        query: app_commands.Range[str, 1, 100] | None = None,
        hours: app_commands.Range[float, 0.25, 2160.0] | None = None,
        rank: str = "newest",
    ) -> None:
        period = hours or self.bot.settings.digest.hours
        order: Literal["newest", "reports"] = "reports" if rank == "reports" else "newest"
        await defer_public(interaction)
        found = await self.bot.desk.stories(
            since=timedelta(hours=period),
            query=query,
            guild_id=interaction.guild_id,
            limit=MAX_LISTED,
            rank=order,
        )
        await send_pages(
            interaction,
            stories_pages(found, query=query, hours=period, rank=order),
            StoryListPages(period, query or None, order),
        )

    @app_commands.command(name="story", description="One story: headline, summary, outlets, first seen")
    @app_commands.describe(story="The story: start typing words of its headline, or give its number")
    @app_commands.autocomplete(story=story_choices)
    @app_commands.guild_only()
    async def story(self, interaction: discord.Interaction[StorydeskBot], story: str) -> None:
        await answer_story(interaction, parse_story_id(story))


async def setup(bot: StorydeskBot) -> None:
    await bot.add_cog(StoriesCog(bot))
