"""The base of Storydesk's cogs."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands


class ServerCog(commands.Cog):
    """Every Storydesk command works inside a server: what a server sees is scoped to it.

    `guild_only` tells Discord where to offer a command, but a stale or global registration can
    still reach us from a DM, so this check (run by discord.py before every command of the cog)
    refuses it here too.
    """

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        return True
