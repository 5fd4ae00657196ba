"""/feeds add|list|remove|errors: a server's own RSS/Atom feeds (Manage Server only; answers are private)."""

from __future__ import annotations

import io
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.news import BadArgument, export_opml, import_opml
from bot.runtime.client import StorydeskBot
from bot.runtime.interactions import bounded
from bot.runtime.jobs import FEED_JOB, FeedRunner, run_soon
from bot.runtime.permissions import require_manage_guild
from bot.runtime.render import clip, feed_errors_embed, feeds_embed, opml_import_text

WHAT = "Feeds"
MAX_OPML_BYTES = 1_000_000


async def feed_choices(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[int]]:
    """This server's feeds whose name or URL has every typed word."""

    async def make() -> list[app_commands.Choice[int]]:
        bot: StorydeskBot = interaction.client
        feeds = await bot.desk.feeds.list_feeds(guild_id=interaction.guild_id) if interaction.guild_id else []
        words = current.casefold().split()
        found = [f for f in feeds if all(w in f"{f.id} {f.display_name} {f.url}".casefold() for w in words)]
        return [app_commands.Choice(name=clip(f"{f.id} · {f.display_name}", 100), value=f.id) for f in found]

    return await bounded("feed", make)


class FeedsCog(commands.Cog):
    """A server's feeds; also runs the polling job for every feed."""

    # default_permissions is only what Discord shows by default; each handler checks too.
    feeds = app_commands.Group(
        name="feeds",
        description="This server's RSS/Atom feeds (Manage Server)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: StorydeskBot) -> None:
        self.bot = bot
        self.runner = FeedRunner(bot)

    async def cog_load(self) -> None:
        self.runner.schedule()

    @feeds.command(name="add", description="Follow an RSS/Atom feed (or a site that links its feed)")
    @app_commands.describe(
        url="The feed's URL, or a web page that names its feed",
        name="The outlet name to show (default: the feed's own title)",
        alerts="Where to say so if the feed keeps failing (default: this channel)",
    )
    async def add(
        self,
        interaction: discord.Interaction[StorydeskBot],
        url: app_commands.Range[str, 8, 2000],
        name: app_commands.Range[str, 1, 100] | None = None,
        alerts: discord.TextChannel | None = None,
    ) -> None:
        guild_id = require_manage_guild(interaction, WHAT)
        await interaction.response.defer(ephemeral=True, thinking=True)  # reading the feed takes a moment
        added = await self.bot.desk.feeds.add(
            url,
            name=name,
            guild_id=guild_id,
            origin="discord",
            added_by=interaction.user.id,
            alert_channel_id=alerts.id if alerts else interaction.channel_id,
        )
        run_soon(self.bot, FEED_JOB)
        feed = added.feed
        found = f" (found on {clip(added.discovered_from, 200)})" if added.discovered_from else ""
        await interaction.followup.send(
            f"Feed **{feed.id}** added: {discord.utils.escape_markdown(feed.display_name)} <{feed.url}>{found}. "
            f"Its {added.entries} current entries are read now; only recent ones are announced.",
            ephemeral=True,
        )

    @feeds.command(name="list", description="This server's feeds and their health")
    async def list_(self, interaction: discord.Interaction[StorydeskBot]) -> None:
        guild_id = require_manage_guild(interaction, WHAT)
        own = await self.bot.desk.feeds.list_feeds(guild_id=guild_id)
        shared = await self.bot.desk.feeds.list_feeds(guild_id=None)
        await interaction.response.send_message(embed=feeds_embed(own, len(shared)), ephemeral=True)

    @feeds.command(name="remove", description="Stop following a feed (its articles stay)")
    @app_commands.describe(feed="The feed to remove (see /feeds list)")
    @app_commands.autocomplete(feed=feed_choices)
    async def remove(self, interaction: discord.Interaction[StorydeskBot], feed: int) -> None:
        guild_id = require_manage_guild(interaction, WHAT)
        removed = await self.bot.desk.feeds.remove(feed, guild_id=guild_id)
        await interaction.response.send_message(
            f"Feed **{removed.id}** <{removed.url}> removed.", ephemeral=True
        )

    @feeds.command(name="errors", description="Why this server's feeds fail, and entries waiting for a retry")
    async def errors(self, interaction: discord.Interaction[StorydeskBot]) -> None:
        guild_id = require_manage_guild(interaction, WHAT)
        found = await self.bot.desk.feeds.errors(guild_id=guild_id)
        await interaction.response.send_message(embed=feed_errors_embed(found), ephemeral=True)

    @feeds.command(name="import", description="Follow every feed of an OPML file (bad entries are reported)")
    @app_commands.describe(
        file="An OPML file exported from a feed reader",
        alerts="Where to say so if one of the feeds keeps failing (default: this channel)",
    )
    async def import_(
        self,
        interaction: discord.Interaction[StorydeskBot],
        file: discord.Attachment,
        alerts: discord.TextChannel | None = None,
    ) -> None:
        guild_id = require_manage_guild(interaction, WHAT)
        if file.size > MAX_OPML_BYTES:
            raise BadArgument(
                f"That file is over {MAX_OPML_BYTES // 1000} kB; an OPML feed list is far smaller."
            )
        await interaction.response.defer(ephemeral=True, thinking=True)  # each feed is read once
        result = await import_opml(
            self.bot.desk.feeds,
            await file.read(),
            guild_id=guild_id,
            origin="discord",
            added_by=interaction.user.id,
            alert_channel_id=alerts.id if alerts else interaction.channel_id,
        )
        if result.added:
            run_soon(self.bot, FEED_JOB)
        await interaction.followup.send(opml_import_text(result), ephemeral=True)

    @feeds.command(name="export", description="This server's feeds as an OPML file for other feed readers")
    async def export(self, interaction: discord.Interaction[StorydeskBot]) -> None:
        guild_id = require_manage_guild(interaction, WHAT)
        own = await self.bot.desk.feeds.list_feeds(guild_id=guild_id)
        data = export_opml(own, title="Storydesk feeds", now=self.bot.clock()).encode("utf-8")
        await interaction.response.send_message(
            f"{len(own)} feed(s) of this server, as OPML.",
            file=discord.File(io.BytesIO(data), filename="storydesk-feeds.opml"),
            ephemeral=True,
        )


async def setup(bot: StorydeskBot) -> None:
    await bot.add_cog(FeedsCog(bot))
