"""Finding a post whose answer was lost: the bot's own recent message carrying a nonce.

Scheduled digests and live cards both post with a nonce (as Discord's `nonce` and as a footer
marker, since Discord keeps the nonce only briefly); after a crash the claim is checked here
before anything is posted again.
"""

from __future__ import annotations

import discord

HISTORY_LOOKBACK = 50  # recent messages searched for a post whose answer was lost


async def find_own_post(
    client: discord.Client, channel_id: int, nonce: str, guild_id: int | None = None
) -> discord.Message | None:
    """The bot's message in `channel_id` marked with `nonce`, among the last messages, if any."""
    channel = client.get_partial_messageable(channel_id, guild_id=guild_id)
    me = client.user.id if client.user else None
    async for message in channel.history(limit=HISTORY_LOOKBACK):
        if me is not None and message.author.id != me:
            continue
        if message.nonce is not None and str(message.nonce) == nonce:
            return message
        if any(nonce in (e.footer.text or "") for e in message.embeds):
            return message
    return None
