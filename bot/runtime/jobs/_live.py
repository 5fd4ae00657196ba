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

from bot.news import CardAction, CardView, LiveCard, NotFound, Target, check_target
from bot.runtime.context import DeskBot
from bot.runtime.jobs._feeds import LIVE_JOB, TICK_SECONDS, TRANSIENT
from bot.runtime.jobs._recovery import find_own_post
from bot.runtime.jobs._threads import ARCHIVED, TargetGone, ThreadPoster
from bot.runtime.render import Outgoing, card_update_note, figure_note, live_card, thread_name

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
        self.threads = ThreadPoster(bot)  # boards in thread mode or on a forum: a thread per card

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
        target: Target = check_target(action.channel.target)
        if action.kind == "edit":
            assert action.card is not None
            # A card from before the board moved to another channel lives where it was posted.
            if action.card.channel_id != action.channel.channel_id:
                target = "channel"
            done = await self._edit(action.card, action.view, target)
            if done:
                await self._figure_note(action.card, action, target)
        else:
            card = await self.board.claim(action)
            if card is None:
                return 0  # claimed before: its message exists or recovery settles it
            done = await self._post(
                card, action.view, mention_role_id=action.channel.mention_role_id, target=target
            )
        if done:
            await self.board.record_figures(action)
        return done

    async def _figure_note(self, card: LiveCard, action: CardAction, target: Target) -> None:
        """Figure watch: one reply under the card (or in its thread) when a figure moved or split."""
        notes = action.figures.notes if action.figures else []
        if target != "channel":
            await self._thread_note(card, action, target, notes)
            return
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

    async def _thread_note(
        self, card: LiveCard, action: CardAction, target: Target, notes: list[str]
    ) -> None:
        """Threads and forums: the card's update as one reply in its thread (outlets that joined,
        figures that moved); the card itself is edited in place as in a channel."""
        text = card_update_note(action.view, card.outlet_count, notes)
        if text is None or card.message_id is None:
            return
        name = thread_name(action.view.headline, card.story_id)
        start = card.message_id if target == "threads" else None  # a new thread from the card
        try:
            await self.threads.post(
                card.guild_id,
                card.channel_id,
                target,
                card.story_id,
                name,
                Outgoing(text, []),
                start_from=start,
            )
        except (discord.HTTPException, TargetGone, *TRANSIENT) as e:
            # The card itself shows the update: a lost reply is not worth a retry loop.
            log.warning("update of live card %d not posted in its thread (%s)", card.id, e)

    async def _post(
        self,
        card: LiveCard,
        view: CardView,
        *,
        recovering: bool = False,
        mention_role_id: int | None = None,
        target: Target = "channel",
    ) -> int:
        self.in_flight.add(card.id)
        try:
            out = live_card(view, marker=card.nonce, mention_role_id=mention_role_id)
            name = thread_name(view.headline, card.story_id)
            try:
                if target == "forum":  # the card opens the story's forum post
                    made = await self.threads.open(
                        card.guild_id, card.channel_id, "forum", card.story_id, name, out
                    )
                    sent_id = made.message_id
                else:
                    channel = self.bot.get_partial_messageable(card.channel_id, guild_id=card.guild_id)
                    sent = await channel.send(
                        content=out.content,
                        embeds=out.embeds,
                        nonce=card.nonce,
                        allowed_mentions=out.allowed_mentions,
                    )
                    sent_id = sent.id
            except TargetGone as e:
                log.warning("live channel %d: %s; stopping live cards there", card.channel_id, e)
                await self.board.release(card)
                await self.board.stop(card.guild_id)
                return 0
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
            await self.board.record_posted(card, sent_id, None if recovering else view)
            if target == "threads":  # later figure notes go into a thread started from the card
                await self.threads.start_from(card.guild_id, card.channel_id, card.story_id, name, sent_id)
            log.info("live card for story %d posted in channel %d", card.story_id, card.channel_id)
            return 1
        finally:
            self.in_flight.discard(card.id)

    async def _edit(self, card: LiveCard, view: CardView, target: Target = "channel") -> int:
        assert card.message_id is not None
        # A forum post's first message is the card; the post (a thread) has the message's id.
        where = card.message_id if target == "forum" else card.channel_id
        message = self.bot.get_partial_messageable(where, guild_id=card.guild_id).get_partial_message(
            card.message_id
        )
        embeds = live_card(view, marker=card.nonce).embeds
        try:
            try:
                await message.edit(embeds=embeds)
            except discord.HTTPException as e:
                if target != "forum" or e.code != ARCHIVED or not await self.threads.unarchive(where):
                    raise
                await message.edit(embeds=embeds)  # the post was archived: reopened, edit again
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
                target = await self._target_of(card)
                found = await self._find_post(card, target)
                if found is not None:
                    await self.board.record_posted(card, found, None)  # next run edits it up to date
                    continue
                try:
                    view = await self.board.view(card.guild_id, card.story_id)
                except NotFound:
                    await self.board.release(card)
                    continue
                await self._post(card, view, recovering=True, target=target)
            except (discord.Forbidden, discord.NotFound):
                await self.board.release(card)
            except Exception:
                log.exception("recovering live card %d failed", card.id)

    async def _target_of(self, card: LiveCard) -> Target:
        board = await self.board.channel(card.guild_id)
        same = board is not None and board.channel_id == card.channel_id
        return check_target(board.target) if board is not None and same else "channel"

    async def _find_post(self, card: LiveCard, target: Target) -> int | None:
        """The card's message id if it was posted before a crash."""
        if target == "forum":  # a forum has no history: its posts are known by the thread mapping
            known = await self.bot.desk.threads.thread(card.channel_id, card.story_id)
            return known.starter_id if known is not None else None
        found = await find_own_post(self.bot, card.channel_id, card.nonce, guild_id=card.guild_id)
        return found.id if found is not None else None
