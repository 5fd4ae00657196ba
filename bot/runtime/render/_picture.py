"""The coverage picture as a Discord attachment, shown as the story card's image."""

from __future__ import annotations

import io

import discord

PICTURE_NAME = "coverage.png"
# Discord refuses uploads over 10 MiB (8 MiB on older limits); our pictures are tens of kilobytes,
# so one that is not is a drawing gone wrong, and the card goes without it.
MAX_PICTURE_BYTES = 8 * 1024 * 1024


def picture_file(png: bytes) -> discord.File | None:
    """The PNG as an upload named coverage.png, or None when it is beyond Discord's limit."""
    if not png or len(png) > MAX_PICTURE_BYTES:
        return None
    return discord.File(io.BytesIO(png), PICTURE_NAME)


def show_picture(embed: discord.Embed) -> discord.Embed:
    """The embed, showing the uploaded picture as its image."""
    return embed.set_image(url=f"attachment://{PICTURE_NAME}")
