"""Live channels and live cards: the SQL behind `LiveBoard`.

A card row is claimed (unique per server and story) before its message is posted, and the
message id recorded after, so a story never gets a second message, across restarts too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.news.store._schema import live_cards, live_channels, stories


@dataclass
class LiveChannel:
    """A server's live channel: a card per story once it has `min_outlets` outlets."""

    guild_id: int
    channel_id: int
    min_outlets: int
    created_at: datetime
    filters: str | None = None  # JSON of the board's StoryFilter (NULL: every story)
    mention_role_id: int | None = None  # pinged when a new card is posted (opt-in)
    target: str = "channel"  # channel | threads (a thread per card) | forum (a post per card)


@dataclass
class LiveCard:
    """One story's card in one server."""

    id: int
    guild_id: int
    channel_id: int
    story_id: int
    message_id: int | None
    outlet_count: int
    state: str  # claimed | posted | gone
    nonce: str
    signature: str | None
    updated_at: datetime


def _channel(row: Any) -> LiveChannel:
    return LiveChannel(
        row["guild_id"],
        row["channel_id"],
        row["min_outlets"],
        row["created_at"],
        row["filters"],
        row["mention_role_id"],
        row["target"] or "channel",
    )


def _card(row: Any) -> LiveCard:
    return LiveCard(**{k: row[k] for k in LiveCard.__dataclass_fields__})


class LiveRepo:
    """SQL for live channels and cards."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def set_channel(
        self,
        guild_id: int,
        channel_id: int,
        min_outlets: int,
        now: datetime,
        *,
        filters: str | None = None,
        mention_role_id: int | None = None,
        target: str = "channel",
    ) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(live_channels.delete().where(live_channels.c.guild_id == guild_id))
            await conn.execute(
                live_channels.insert().values(
                    guild_id=guild_id,
                    channel_id=channel_id,
                    min_outlets=min_outlets,
                    created_at=now,
                    filters=filters,
                    mention_role_id=mention_role_id,
                    target=None if target == "channel" else target,
                )
            )

    async def remove_channel(self, guild_id: int) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(live_channels.delete().where(live_channels.c.guild_id == guild_id))

    async def channel(self, guild_id: int) -> LiveChannel | None:
        async with self.engine.connect() as conn:
            q = select(live_channels).where(live_channels.c.guild_id == guild_id)
            row = (await conn.execute(q)).mappings().first()
        return _channel(row) if row else None

    async def channels(self) -> list[LiveChannel]:
        async with self.engine.connect() as conn:
            rows = (
                (await conn.execute(select(live_channels).order_by(live_channels.c.guild_id)))
                .mappings()
                .all()
            )
        return [_channel(r) for r in rows]

    async def cards(self, guild_id: int, story_ids: Sequence[int]) -> dict[int, LiveCard]:
        """The server's cards for these stories, by story id."""
        if not story_ids:
            return {}
        q = select(live_cards).where(
            live_cards.c.guild_id == guild_id, live_cards.c.story_id.in_(list(story_ids))
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q)).mappings().all()
        return {int(r["story_id"]): _card(r) for r in rows}

    async def card_of_merged(self, guild_id: int, story_id: int) -> LiveCard | None:
        """A card of a story that was merged into `story_id` (the card follows the merge)."""
        merged = select(stories.c.id).where(stories.c.merged_into == story_id)
        q = select(live_cards).where(live_cards.c.guild_id == guild_id, live_cards.c.story_id.in_(merged))
        async with self.engine.connect() as conn:
            row = (await conn.execute(q.order_by(live_cards.c.id).limit(1))).mappings().first()
        return _card(row) if row else None

    async def move_card(self, card_id: int, story_id: int, now: datetime) -> None:
        async with self.engine.begin() as conn:
            q = live_cards.update().where(live_cards.c.id == card_id)
            await conn.execute(q.values(story_id=story_id, updated_at=now))

    async def claim(
        self, guild_id: int, channel_id: int, story_id: int, nonce: str, outlet_count: int, now: datetime
    ) -> LiveCard | None:
        """Claim the story's card; None if it was claimed before (by this or another process)."""
        values = {
            "guild_id": guild_id,
            "channel_id": channel_id,
            "story_id": story_id,
            "message_id": None,
            "outlet_count": outlet_count,
            "state": "claimed",
            "nonce": nonce,
            "signature": None,
            "updated_at": now,
        }
        try:
            async with self.engine.begin() as conn:
                result = await conn.execute(live_cards.insert().values(**values))
                pk = result.inserted_primary_key
        except IntegrityError:
            return None
        assert pk is not None
        return LiveCard(id=int(pk[0]), **values)  # type: ignore[arg-type]

    async def update_card(self, card_id: int, **values: Any) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(live_cards.update().where(live_cards.c.id == card_id).values(**values))

    async def release(self, card_id: int) -> None:
        """Drop a claim whose message was certainly never posted (e.g. the channel refused it)."""
        async with self.engine.begin() as conn:
            await conn.execute(live_cards.delete().where(live_cards.c.id == card_id))

    async def unrecorded(self) -> list[LiveCard]:
        """Claims whose message id was never recorded (a crash between post and record)."""
        q = select(live_cards).where(live_cards.c.state == "claimed").order_by(live_cards.c.id)
        async with self.engine.connect() as conn:
            return [_card(r) for r in (await conn.execute(q)).mappings().all()]
