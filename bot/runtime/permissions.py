"""Permission checks that commands run themselves (Discord's default_permissions can be overridden
by server admins per command, so they are a default, not a guarantee)."""

from __future__ import annotations

from typing import Any

import discord

from bot.news import BadArgument, Target, UserFacingError


class NotAllowed(UserFacingError):
    """The member may not do this."""


def target_of(channel: discord.abc.GuildChannel, threads: bool) -> Target:
    """Where stories go: a forum gets a post per story; a text channel a thread per story when
    `threads`, else everything in the channel."""
    if isinstance(channel, discord.ForumChannel):
        return "forum"
    return "threads" if threads else "channel"


def require_postable(
    channel: discord.abc.GuildChannel, target: Target = "channel", what: str = "digests"
) -> None:
    """Raise BadArgument unless the bot can post embeds in `channel` the way `target` needs (as
    far as the cache knows): threads need Create Public Threads and Send Messages in Threads, a
    forum Create Posts (Discord's name for Send Messages there) and Send Messages in Posts."""
    me = channel.guild.me
    if me is None:
        return  # not cached: the first post will tell (a 403 pauses the schedule)
    perms = channel.permissions_for(me)
    needed = [("View Channel", perms.view_channel)]
    if target == "forum":
        needed += [
            ("Create Posts", perms.send_messages),
            ("Send Messages in Posts", perms.send_messages_in_threads),
        ]
    else:
        needed.append(("Send Messages", perms.send_messages))
    if target == "threads":
        needed += [
            ("Create Public Threads", perms.create_public_threads),
            ("Send Messages in Threads", perms.send_messages_in_threads),
        ]
    needed.append(("Embed Links", perms.embed_links))
    missing = [name for name, ok in needed if not ok]
    if missing:
        raise BadArgument(f"I cannot post {what} in {channel.mention}: I need {', '.join(missing)} there.")
    if isinstance(channel, discord.ForumChannel) and channel.flags.require_tag:
        raise BadArgument(
            f"{channel.mention} requires a tag on every post, and I post without tags: "
            "turn off 'Require people to select tags' in the forum's settings, or pick another channel."
        )


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
