"""/schedule add|list|remove|resume: scheduled digests (Manage Server only; answers are private)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.runtime.client import StorydeskBot
from bot.runtime.cogbase import ServerCog
from bot.runtime.cron import check_interval, crontab_trigger, next_fire
from bot.runtime.interactions import schedule_choices, timezone_choices
from bot.runtime.permissions import check_mention_role, require_manage_guild, require_postable, target_of
from bot.runtime.render import TARGET_LABELS, inert, schedules_embed, ts
from bot.runtime.status import schedule_lines


class SchedulesCog(ServerCog):
    """Digest schedules of a server."""

    # default_permissions only sets what Discord shows by default (admins can change it per
    # server), so every handler also checks Manage Server itself.
    schedule = app_commands.Group(
        name="schedule",
        description="Scheduled digests for this server (Manage Server)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: StorydeskBot) -> None:
        self.bot = bot

    @schedule.command(name="add", description="Post a digest in a channel on a cron schedule")
    @app_commands.describe(
        channel="Where the digest is posted: a text channel, or a forum (one post per story)",
        cron="When, as cron: minute hour day month weekday, e.g. 0 8 * * * (daily 08:00), 30 7 * * 1-5",
        timezone="Time zone of the cron times, e.g. Europe/Berlin or UTC",
        min_outlets="Only stories covered by at least this many outlets (default 1)",
        keywords="Only stories mentioning one of these words, comma-separated",
        mention_role="A role to mention with each digest (nobody else is ever pinged)",
        include="Only stories mentioning one of these, comma-separated; outlet:NAME for an outlet",
        exclude="Leave out stories leading with one of these, comma-separated; outlet:NAME ignores an outlet",
        threads="In a text channel: each story starts a thread, and its later updates go there",
    )
    @app_commands.autocomplete(timezone=timezone_choices)
    async def add(
        self,
        interaction: discord.Interaction[StorydeskBot],
        channel: discord.TextChannel | discord.ForumChannel,
        cron: str,
        timezone: str,
        min_outlets: app_commands.Range[int, 1, 50] = 1,
        keywords: str | None = None,
        mention_role: discord.Role | None = None,
        include: app_commands.Range[str, 1, 500] | None = None,
        exclude: app_commands.Range[str, 1, 500] | None = None,
        threads: bool = False,
    ) -> None:
        require_manage_guild(interaction, "Digest schedules")
        trigger = crontab_trigger(cron, timezone)
        check_interval(trigger, self.bot.clock())
        target = target_of(channel, threads)
        require_postable(channel, target)
        check_mention_role(mention_role)
        assert interaction.guild_id is not None
        schedule = await self.bot.desk.schedules.add(
            interaction.guild_id,
            channel.id,
            cron,
            timezone,
            min_outlets=min_outlets,
            keywords=keywords,
            mention_role_id=mention_role.id if mention_role else None,
            created_by=interaction.user.id,
            include=include,
            exclude=exclude,
            target=target,
        )
        self.bot.jobs.add_digest(schedule, self.bot.digests.run_job)
        nxt = next_fire(trigger, self.bot.clock())
        text = (
            f"Schedule **{schedule.id}** added: a digest in {channel.mention} at `{schedule.cron}` "
            f"({schedule.timezone}). Next: {ts(nxt)}."
        )
        if target != "channel":
            text += f"\nStories go into {TARGET_LABELS[target]}; later updates of a story are replies in it."
        if not schedule.filters.empty:
            text += f"\nFilter: {inert(schedule.filters.describe(), 500)}."
        if mention_role and not mention_role.mentionable:
            text += f"\nNote: {mention_role.mention} is not mentionable; allow it in the role settings to ping it."
        await interaction.response.send_message(text, ephemeral=True)

    @schedule.command(name="list", description="This server's digest schedules and their health")
    async def list_(self, interaction: discord.Interaction[StorydeskBot]) -> None:
        require_manage_guild(interaction, "Digest schedules")
        lines = await schedule_lines(self.bot, interaction.guild_id)
        await interaction.response.send_message(embed=schedules_embed(lines), ephemeral=True)

    @schedule.command(name="remove", description="Stop and delete a digest schedule")
    @app_commands.describe(schedule="The schedule to remove (see /schedule list)")
    @app_commands.autocomplete(schedule=schedule_choices)
    async def remove(self, interaction: discord.Interaction[StorydeskBot], schedule: int) -> None:
        require_manage_guild(interaction, "Digest schedules")
        assert interaction.guild_id is not None
        removed = await self.bot.desk.schedules.remove(schedule, guild_id=interaction.guild_id)
        self.bot.jobs.remove_digest(removed.id)
        await interaction.response.send_message(
            f"Schedule **{removed.id}** (<#{removed.channel_id}>, `{removed.cron}`) removed.", ephemeral=True
        )

    @schedule.command(name="resume", description="Resume a paused schedule after fixing its channel")
    @app_commands.describe(schedule="The paused schedule (see /schedule list)")
    @app_commands.autocomplete(schedule=schedule_choices)
    async def resume(self, interaction: discord.Interaction[StorydeskBot], schedule: int) -> None:
        require_manage_guild(interaction, "Digest schedules")
        assert interaction.guild_id is not None
        resumed = await self.bot.desk.schedules.resume(schedule, guild_id=interaction.guild_id)
        self.bot.jobs.add_digest(resumed, self.bot.digests.run_job)
        await interaction.response.send_message(
            f"Schedule **{resumed.id}** resumed; next digest {ts(self.bot.jobs.next_run(resumed.id))}.",
            ephemeral=True,
        )


async def setup(bot: StorydeskBot) -> None:
    await bot.add_cog(SchedulesCog(bot))
