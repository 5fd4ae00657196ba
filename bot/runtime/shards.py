"""Which servers this process answers for: Discord's shard formula over the configured shards.

Discord sends a server's events to shard `(guild_id >> 22) % shard_count`; the process running
that shard is the one that posts the server's digests and live cards, so a server never hears
from two processes. Unsharded (the default), one process owns every server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.config import DiscordSettings


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord routes `guild_id` to (Discord's documented formula)."""
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class ShardPlan:
    """The bot's shard count and the shards this process runs (all when unsharded)."""

    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    @classmethod
    def from_settings(cls, cfg: DiscordSettings) -> ShardPlan:
        ids = tuple(cfg.shard_ids) if cfg.shard_ids is not None else None
        return cls(cfg.shard_count, ids)

    @property
    def sharded(self) -> bool:
        """Several processes may share the bot: leadership and ownership are decided, not assumed."""
        return self.shard_count is not None

    @property
    def mine(self) -> tuple[int, ...]:
        """The shards this process runs."""
        if self.shard_count is None:
            return (0,)
        return self.shard_ids if self.shard_ids is not None else tuple(range(self.shard_count))

    def owns(self, guild_id: int) -> bool:
        """Whether this process posts for `guild_id`."""
        if self.shard_count is None:
            return True
        return shard_of(guild_id, self.shard_count) in self.mine

    def client_options(self) -> dict[str, Any]:
        """discord.py options: one shard as `shard_id` (a plain Client), several as `shard_ids`."""
        if self.shard_count is None:
            return {}
        if len(self.mine) == 1:
            return {"shard_id": self.mine[0], "shard_count": self.shard_count}
        return {"shard_ids": list(self.mine), "shard_count": self.shard_count}

    def describe(self) -> str:
        if self.shard_count is None:
            return "unsharded"
        return f"shards {list(self.mine)} of {self.shard_count}"
