"""Command sync: only when the command set changed since the last sync (hash kept in the DB).

Syncing on every start is slow and rate limited by Discord; the payload hash tells whether
anything Discord would see has changed (names, options, descriptions, permissions, scope).
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord

from bot.runtime.context import DeskBot

log = logging.getLogger(__name__)

HASH_KEY = "command_sync_hash"


def scope_commands(bot: DeskBot) -> None:
    """With guild_ids configured, serve every command from those servers (instant updates)."""
    guild_ids = bot.settings.discord.guild_ids
    if not guild_ids:
        return
    for gid in guild_ids:
        bot.tree.copy_global_to(guild=discord.Object(gid))
    bot.tree.clear_commands(guild=None)


def command_payload(bot: DeskBot) -> dict[str, Any]:
    """What a sync would send, per scope, plus the application it is for."""
    scopes: dict[str, Any] = {"global": [c.to_dict(bot.tree) for c in bot.tree.get_commands()]}
    for gid in bot.settings.discord.guild_ids:
        scopes[str(gid)] = [c.to_dict(bot.tree) for c in bot.tree.get_commands(guild=discord.Object(gid))]
    return {"application_id": bot.application_id, "scopes": scopes}


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


async def sync_if_changed(bot: DeskBot) -> bool:
    """Sync the tree when its payload differs from the last synced one; True if it synced."""
    digest = payload_hash(command_payload(bot))
    if await bot.desk.schedules.remembered(HASH_KEY) == digest:
        log.info("slash commands unchanged since the last sync; not syncing")
        return False
    guild_ids = bot.settings.discord.guild_ids
    for gid in guild_ids:
        synced = await bot.tree.sync(guild=discord.Object(gid))
        log.info("synced %d commands to server %d", len(synced), gid)
    # Global scope too: empty when serving per server, which removes stale global commands.
    synced = await bot.tree.sync()
    if not guild_ids:
        log.info("synced %d global commands (may take up to an hour to show everywhere)", len(synced))
    await bot.desk.schedules.remember(HASH_KEY, digest)
    return True
