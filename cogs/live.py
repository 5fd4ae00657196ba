"""/live start|stop: one card per story in a channel once enough outlets cover it (Manage Server)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.news import channel_filter
from bot.runtime.client import StorydeskBot
from bot.runtime.jobs import LIVE_JOB, LivePoster, run_soon
from bot.runtime.permissions import check_mention_role, require_manage_guild, require_postable, target_of
from bot.runtime.render import TARGET_LABELS, inert

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
        channel="Where the cards go (one live channel per server): a text channel, or a forum (a post per card)",
        min_outlets="Outlets a story needs before its card is posted (default 3)",
        include="Only stories mentioning one of these, comma-separated; outlet:NAME for an outlet",
        exclude="Leave out stories leading with one of these, comma-separated; outlet:NAME ignores an outlet",
        mention_role="A role to mention on each new card (opt-in; nobody else is ever pinged)",
        threads="In a text channel: each card starts a thread, where its updates (outlets, figures) go",
    )
    async def start(
        self,
        interaction: discord.Interaction[StorydeskBot],
        channel: discord.TextChannel | discord.ForumChannel,
        min_outlets: app_commands.Range[int, 1, 50] = 3,
        include: app_commands.Range[str, 1, 500] | None = None,
        exclude: app_commands.Range[str, 1, 500] | None = None,
        mention_role: discord.Role | None = None,
        threads: bool = False,
    ) -> None:
        guild_id = require_manage_guild(interaction, WHAT)
        target = target_of(channel, threads)
        require_postable(channel, target, what="live cards")
        check_mention_role(mention_role)
        started = await self.poster.board.start(
            guild_id,
            channel.id,
            min_outlets,
            include=include,
            exclude=exclude,
            mention_role_id=mention_role.id if mention_role else None,
            target=target,
        )
        run_soon(self.bot, LIVE_JOB)
        text = (
            f"Live stories on in {channel.mention}: a card for each new story covered by at least "
            f"{started.min_outlets} outlets, updated as more outlets join."
        )
        if target != "channel":
            text += f"\nEach card gets {TARGET_LABELS[target].replace(' per story', '')}; its updates go there as replies."
        described = channel_filter(started).describe()
        if described:
            text += f"\nFilter: {inert(described, 500)}."
        if mention_role:
            text += f"\nEach new card mentions {mention_role.mention}."
            if not mention_role.mentionable:
                text += " It is not mentionable; allow it in the role settings to ping it."
        await interaction.response.send_message(text, ephemeral=True)

    @live.command(name="stop", description="Stop posting live story cards in this server")
    async def stop(self, interaction: discord.Interaction[StorydeskBot]) -> None:
        guild_id = require_manage_guild(interaction, WHAT)
        stopped = await self.poster.board.stop(guild_id)
        await interaction.response.send_message(
            f"Live stories stopped in <#{stopped.channel_id}>; the cards already there stay.", ephemeral=True
        )


async def setup(bot: StorydeskBot) -> None:
    await bot.add_cog(LiveCog(bot))
