"""The live-cards job: post a card when a story reaches a server's threshold, edit it as outlets join.

claim (a unique row per server and story) -> post with a nonce (Discord `nonce` + `enforce_nonce`,
and the nonce in the footer) -> record the message id. A claim left without a message id by a
crash is looked up in the channel before anything is posted again, so a story never gets two.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import discord

from bot.news import CardAction, CardView, LiveCard, NotFound
from bot.runtime.context import DeskBot
from bot.runtime.jobs._feeds import LIVE_JOB, TICK_SECONDS, TRANSIENT
from bot.runtime.jobs._recovery import find_own_post
from bot.runtime.render import figure_note, live_card

log = logging.getLogger(__name__)

OVERLAP = timedelta(minutes=5)  # look a little before the last run: arrivals may commit late


class LivePoster:
    """Runs live cards for the bot."""

    def __init__(self, bot: DeskBot) -> None:
        self.bot = bot
        self.board = bot.desk.live
        self.since: datetime | None = None
        self.in_flight: set[int] = set()
        self._lock = asyncio.Lock()

    def schedule(self) -> None:
        self.bot.jobs.add_interval(LIVE_JOB, self.run_job, TICK_SECONDS, now=True)

    async def run_job(self) -> None:
        """The scheduler's job: logs, never raises."""
        try:
            await self.update()
        except Exception:
            log.exception("live cards update failed")

    async def update(self) -> int:
        """Settle unrecorded claims, then post or edit the cards that are due; returns messages touched."""
        async with self._lock:
            now = self.bot.clock()
            window = timedelta(hours=self.bot.settings.feed.announce_max_age_hours)
            since = (self.since - OVERLAP) if self.since else now - window
            await self.recover()
            done = 0
            for action in await self.board.due(since):
                if not self.bot.shard_plan.owns(action.channel.guild_id):
                    continue  # another process runs that server's shard
                try:
                    done += await self._apply(action)
                except Exception:
                    log.exception(
                        "live card for story %d in server %d failed",
                        action.view.story_id,
                        action.channel.guild_id,
                    )
            self.since = now
            return done

    async def _apply(self, action: CardAction) -> int:
        if action.kind == "edit":
            assert action.card is not None
            done = await self._edit(action.card, action.view)
            if done:
                await self._figure_note(action.card, action)
        else:
            card = await self.board.claim(action)
            if card is None:
                return 0  # claimed before: its message exists or recovery settles it
            done = await self._post(card, action.view, mention_role_id=action.channel.mention_role_id)
        if done:
            await self.board.record_figures(action)
        return done

    async def _figure_note(self, card: LiveCard, action: CardAction) -> None:
        """Figure watch: one reply under the card when a figure moved or split from the rest."""
        notes = action.figures.notes if action.figures else []
        if not notes or card.message_id is None:
            return
        channel = self.bot.get_partial_messageable(card.channel_id, guild_id=card.guild_id)
        reply_to = discord.MessageReference(
            message_id=card.message_id, channel_id=card.channel_id, fail_if_not_exists=False
        )
        try:
            await channel.send(
                content=figure_note(notes),
                reference=reply_to,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except (discord.HTTPException, *TRANSIENT) as e:
            # The card itself shows the new figures: a lost note is not worth a retry loop.
            log.warning("figure note for live card %d not posted (%s)", card.id, e)

    async def _post(
        self,
        card: LiveCard,
        view: CardView,
        *,
        recovering: bool = False,
        mention_role_id: int | None = None,
    ) -> int:
        self.in_flight.add(card.id)
        try:
            out = live_card(view, marker=card.nonce, mention_role_id=mention_role_id)
            channel = self.bot.get_partial_messageable(card.channel_id, guild_id=card.guild_id)
            try:
                sent = await channel.send(
                    content=out.content,
                    embeds=out.embeds,
                    nonce=card.nonce,
                    allowed_mentions=out.allowed_mentions,
                )
            except TRANSIENT as e:
                log.warning("live card %s: Discord failed (%s); will check and retry", card.nonce, e)
                return 0  # the claim stays: recovery looks for the message before posting again
            except discord.HTTPException as e:
                await self.board.release(card)
                log.warning("live channel %d refused a card (%s %s)", card.channel_id, e.status, e.text)
                if isinstance(e, discord.NotFound):
                    await self.board.stop(card.guild_id)  # the channel is gone: stop live cards there
                return 0
            # Re-posting a claim, Discord may hand back the message first sent with this nonce:
            # record no content then, so the next run edits it up to date.
            await self.board.record_posted(card, sent.id, None if recovering else view)
            log.info("live card for story %d posted in channel %d", card.story_id, card.channel_id)
            return 1
        finally:
            self.in_flight.discard(card.id)

    async def _edit(self, card: LiveCard, view: CardView) -> int:
        assert card.message_id is not None
        message = self.bot.get_partial_messageable(
            card.channel_id, guild_id=card.guild_id
        ).get_partial_message(card.message_id)
        try:
            await message.edit(embeds=live_card(view, marker=card.nonce).embeds)
        except discord.NotFound:
            await self.board.mark_gone(card)  # deleted by someone: never a second message
            return 0
        except (discord.HTTPException, *TRANSIENT) as e:
            log.warning("live card %d not edited (%s); retrying next run", card.id, e)
            return 0
        await self.board.record_edited(card, view)
        return 1

    async def recover(self) -> None:
        """Claims without a message id: find the message, else post it now."""
        for card in await self.board.unrecorded():
            if card.id in self.in_flight or not self.bot.shard_plan.owns(card.guild_id):
                continue
            try:
                found = await self._find_post(card)
                if found is not None:
                    await self.board.record_posted(card, found.id, None)  # next run edits it up to date
                    continue
                try:
                    view = await self.board.view(card.guild_id, card.story_id)
                except NotFound:
                    await self.board.release(card)
                    continue
                await self._post(card, view, recovering=True)
            except (discord.Forbidden, discord.NotFound):
                await self.board.release(card)
            except Exception:
                log.exception("recovering live card %d failed", card.id)

    async def _find_post(self, card: LiveCard) -> discord.Message | None:
        return await find_own_post(self.bot, card.channel_id, card.nonce, guild_id=card.guild_id)
