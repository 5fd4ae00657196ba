"""The command tree: the one place where exceptions become (ephemeral) replies.

Slash commands reach `StorydeskTree.on_error`; buttons and pagers call `report_error` from
their own error hooks, so every surface answers a failure the same way.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.news import UserFacingError

log = logging.getLogger(__name__)

UNKNOWN_INTERACTION = 10062
GENERIC = "Something went wrong on my side. It has been logged; please try again later."


def unwrap(error: BaseException) -> BaseException:
    """The exception behind discord.py's wrappers (CommandInvokeError, TransformerError)."""
    seen = 0
    while seen < 5:
        seen += 1
        if isinstance(error, app_commands.CommandInvokeError):
            error = error.original
        elif isinstance(error, app_commands.TransformerError) and isinstance(
            error.__cause__, UserFacingError
        ):
            error = error.__cause__
        else:
            break
    return error


def _permission_names(perms: list[str]) -> str:
    return ", ".join(p.replace("_", " ").replace("guild", "server").title() for p in perms)


def explain(error: BaseException) -> str | None:
    """A message safe to show for an expected failure; None for a bug."""
    if isinstance(error, UserFacingError):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the {_permission_names(error.missing_permissions)} permission to do that."
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"I need the {_permission_names(error.missing_permissions)} permission here."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.TransformerError):
        return f"I could not understand {str(error.value)[:100]!r} for that option."
    if isinstance(error, app_commands.CheckFailure):
        return "You cannot use this command here."
    if isinstance(error, app_commands.CommandSignatureMismatch | app_commands.CommandNotFound):
        return "This command has just changed; please try again in a minute."
    if isinstance(error, discord.Forbidden):
        return "Discord did not let me do that here (missing permissions)."
    return None


async def send_ephemeral(interaction: discord.Interaction[Any], text: str) -> None:
    """Answer privately, whatever state the interaction is in."""
    text = text[:1900]
    if not interaction.response.is_done():
        await interaction.response.send_message(text, ephemeral=True)
        return
    if interaction.extras.get("public_defer"):
        # The first followup after a public defer would fill the public "thinking" message:
        # remove it so the error is seen by the asker only.
        interaction.extras["public_defer"] = False
        try:
            await interaction.delete_original_response()
        except discord.HTTPException as e:
            log.debug("could not delete the thinking message: %s", e)
    await interaction.followup.send(text, ephemeral=True)


async def report_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """Turn any failure of an interaction into one ephemeral reply (and a log line for bugs)."""
    original = unwrap(error)
    if isinstance(original, discord.NotFound) and original.code == UNKNOWN_INTERACTION:
        log.warning("interaction %s expired before it was answered", interaction.id)
        return
    message = explain(original)
    where = interaction.command.qualified_name if interaction.command else f"component {interaction.data}"
    if message is None:
        log.error("%s failed for user %s", where, interaction.user.id, exc_info=original)
        message = GENERIC
    else:
        log.info("%s refused for user %s: %s", where, interaction.user.id, message)
    try:
        await send_ephemeral(interaction, message)
    except discord.HTTPException as e:
        log.warning("could not tell user %s about a failure: %s", interaction.user.id, e)


class StorydeskTree(app_commands.CommandTree[Any]):
    """CommandTree whose on_error answers every failure ephemerally."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError, /
    ) -> None:
        await report_error(interaction, error)
