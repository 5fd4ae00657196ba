"""Permission checks that commands run themselves (Discord's default_permissions can be overridden
by server admins per command, so they are a default, not a guarantee)."""

from __future__ import annotations

from typing import Any

import discord

from bot.news import BadArgument, UserFacingError


class NotAllowed(UserFacingError):
    """The member may not do this."""


def require_postable(channel: discord.abc.GuildChannel) -> None:
    """Raise BadArgument unless the bot can post embeds in `channel` (as far as the cache knows)."""
    me = channel.guild.me
    if me is None:
        return  # not cached: the first post will tell (a 403 pauses the schedule)
    perms = channel.permissions_for(me)
    missing = [
        name
        for name, ok in (
            ("View Channel", perms.view_channel),
            ("Send Messages", perms.send_messages),
            ("Embed Links", perms.embed_links),
        )
        if not ok
    ]
    if missing:
        raise BadArgument(f"I cannot post digests in {channel.mention}: I need {', '.join(missing)} there.")


def check_mention_role(role: discord.Role | None) -> None:
    """Only a real role may be mentioned by a schedule (never @everyone)."""
    if role is not None and role.is_default():
        raise BadArgument("A schedule cannot mention @everyone; pick a role.")


def require_manage_guild(interaction: discord.Interaction[Any], what: str) -> int:
    """The server id, or NotAllowed unless the member has Manage Server (or Administrator) there."""
    if interaction.guild_id is None:
        raise NotAllowed(f"{what} belong to a server: use this command in one.")
    perms = interaction.permissions
    if not (perms.manage_guild or perms.administrator):
        raise NotAllowed(f"You need the Manage Server permission to manage {what.lower()}.")
    return interaction.guild_id
