"""Scheduled digests, posted exactly once per (schedule, fire time).

claim (a unique ledger row) -> post with a nonce (Discord `nonce` + `enforce_nonce`, plus the
nonce in the footer) -> record the message id. After a crash, a claim without a message id is
looked up in the channel's recent messages before anything is posted again; a fire time missed
while the bot was down is posted on start if it is within the grace period, and only then.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Literal

import aiohttp
import discord

from bot.news import Digest, LedgerEntry, NotFound, Schedule, SeenRecord
from bot.runtime.context import DeskBot
from bot.runtime.cron import crontab_trigger, latest_fire
from bot.runtime.jobs._recovery import find_own_post
from bot.runtime.jobs._threads import TargetGone, ThreadPoster
from bot.runtime.render import digest_message, story_message, thread_name

log = logging.getLogger(__name__)

Outcome = Literal["posted", "already", "empty", "paused", "pending", "failed", "found", "expired", "due"]
TRANSIENT = (discord.DiscordServerError, aiohttp.ClientError, asyncio.TimeoutError, OSError)


class DigestPoster:
    """Runs schedules: the job body, start-up recovery and catch-up."""

    def __init__(self, bot: DeskBot) -> None:
        self.bot = bot
        self.book = bot.desk.schedules
        self.grace = timedelta(minutes=bot.settings.discord.digest_grace_minutes)
        self.handover = timedelta(seconds=bot.settings.discord.handover_seconds)
        # (schedule, fire time) this process is claiming or posting right now: recovery leaves
        # them alone. Added before the claim exists, so no await separates claim from marking.
        self.in_flight: set[tuple[int, datetime]] = set()
        self.threads = ThreadPoster(bot)  # thread and forum schedules: a thread per story

    # Job entry points -------------------------------------------------------------------
    async def run_job(self, schedule_id: int) -> None:
        """The scheduler's job: post the digest due now. Logs, never raises."""
        try:
            schedule = await self.book.get(schedule_id)
        except NotFound:
            log.warning("schedule %d no longer exists; dropping its job", schedule_id)
            self.bot.jobs.remove_digest(schedule_id)
            return
        try:
            await self.run_due(schedule)
        except Exception:
            log.exception("digest for schedule %d (channel %d) failed", schedule.id, schedule.channel_id)

    async def run_due(self, schedule: Schedule) -> Outcome | None:
        """Post the fire time that is due (or was missed within grace), unless already claimed."""
        if schedule.paused:
            log.info("schedule %d is paused (%s); not posting", schedule.id, schedule.paused_reason)
            return "paused"
        trigger = crontab_trigger(schedule.cron, schedule.timezone)
        fire_time = latest_fire(trigger, self.bot.clock(), self.grace)
        if fire_time is None:
            return None
        return await self.post_once(schedule, fire_time)

    async def recover_and_catch_up(self) -> None:
        """On start: settle unrecorded claims, then post fire times missed within grace."""
        await self.recover()
        for schedule in await self.book.all():
            try:
                if schedule.paused:
                    continue
                trigger = crontab_trigger(schedule.cron, schedule.timezone)
                fire_time = latest_fire(trigger, self.bot.clock(), self.grace)
                if fire_time is not None and await self.book.entry_for(schedule.id, fire_time) is None:
                    log.info("schedule %d missed %s; catching up (within grace)", schedule.id, fire_time)
                    await self.post_once(schedule, fire_time)
            except Exception:
                log.exception("catch-up of schedule %d failed", schedule.id)

    async def recover(self) -> None:
        """Claims whose message was never recorded: find the post, else post it (within grace)."""
        for entry in await self.book.unrecorded():
            if not await self._mine(entry):
                continue
            key = (entry.schedule_id, entry.fire_time)
            if key in self.in_flight:  # checked with no await before it is marked below
                continue
            try:
                with self._working(key):
                    await self._recover_one(entry)
            except Exception:
                log.exception("recovery of digest %d (schedule %d) failed", entry.id, entry.schedule_id)

    # Sharded: the leader records fire times, the process owning the server posts them -----
    async def post_due(self) -> int:
        """Take and post the due fire times of this process's servers; returns how many it took.

        The leader also takes those another process has left due past the handover time: that
        process is down (a live one takes its rows within a coordination round)."""
        due = await self.book.due()
        taken = 0
        for entry in due:
            try:
                schedule = await self.book.get(entry.schedule_id)
                if not self.bot.shard_plan.owns(schedule.guild_id) and not self._handed_over(entry):
                    continue
                key = (entry.schedule_id, entry.fire_time)
                if key in self.in_flight:
                    continue
                with self._working(key):
                    claimed = await self.book.take(entry)  # one process wins the row
                    if claimed is None:
                        continue
                    taken += 1
                    await self._post_taken(schedule, claimed)
            except NotFound:
                continue  # the schedule was deleted; its ledger rows went with it
            except Exception:
                log.exception("due digest %d (schedule %d) failed", entry.id, entry.schedule_id)
        return taken

    def _handed_over(self, entry: LedgerEntry) -> bool:
        """Whether the leader should post another process's due row: it has waited too long."""
        if not self.bot.jobs.leading:
            return False
        waited = self.bot.clock() - entry.claimed_at  # a due row's claimed_at: when it was recorded
        if waited < self.handover:
            return False
        log.warning(
            "digest %s has been due for %.0f s and its shard's process has not taken it (is it down?); "
            "the scheduler leader posts it",
            entry.nonce,
            waited.total_seconds(),
        )
        return True

    async def _post_taken(self, schedule: Schedule, entry: LedgerEntry) -> Outcome:
        if schedule.paused:
            await self.book.record_outcome(entry.id, "skipped", f"schedule paused: {schedule.paused_reason}")
            return "paused"
        if self.bot.clock() - entry.fire_time > self.grace:
            await self.book.record_outcome(entry.id, "skipped", "not posted in time (past the grace period)")
            return "expired"
        return await self._deliver(schedule, entry)

    async def _mine(self, entry: LedgerEntry) -> bool:
        if not self.bot.shard_plan.sharded:
            return True
        try:
            return self.bot.shard_plan.owns((await self.book.get(entry.schedule_id)).guild_id)
        except NotFound:
            return False

    # The protocol -------------------------------------------------------------------------
    async def post_once(self, schedule: Schedule, fire_time: datetime) -> Outcome:
        """Claim (schedule, fire time) and post it; 'already' if it was claimed before.

        Another process's server is only recorded as due: that process takes and posts it.
        """
        hours = self.bot.settings.digest.hours
        if not self.bot.shard_plan.owns(schedule.guild_id):
            due = await self.book.claim(schedule, fire_time, default_hours=hours, due=True)
            if due is None:
                return "already"
            log.info(
                "digest %s is due in server %d: its shard's process posts it", due.nonce, schedule.guild_id
            )
            return "due"
        key = (schedule.id, fire_time)
        if key in self.in_flight:
            return "already"  # this process is on it (a job and a catch-up at once)
        with self._working(key):
            entry = await self.book.claim(schedule, fire_time, default_hours=hours)
            if entry is None:
                return "already"
            return await self._deliver(schedule, entry)

    @contextlib.contextmanager
    def _working(self, key: tuple[int, datetime]) -> Iterator[None]:
        self.in_flight.add(key)
        try:
            yield
        finally:
            self.in_flight.discard(key)

    async def _recover_one(self, entry: LedgerEntry) -> Outcome:
        try:
            schedule = await self.book.get(entry.schedule_id)
        except NotFound:
            return "failed"
        try:
            # A thread-mode digest is one message per story, each in its own thread (a forum has
            # no channel history at all): delivering again sends only what the channel has not seen.
            found = await self._find_post(entry) if schedule.target == "channel" else None
        except (discord.Forbidden, discord.NotFound) as e:
            await self._pause(schedule, entry, e)
            return "paused"
        if found is not None:
            log.info("digest %s was posted before a restart (message %d); recorded it", entry.nonce, found.id)
            await self.book.record_posted(entry, found.id)
            return "found"
        if schedule.paused:
            await self.book.record_outcome(entry.id, "skipped", f"schedule paused: {schedule.paused_reason}")
            return "paused"
        if self.bot.clock() - entry.fire_time > self.grace:
            log.warning("digest %s was never posted and is past the grace period; skipping it", entry.nonce)
            await self.book.record_outcome(entry.id, "skipped", "not posted in time (past the grace period)")
            return "expired"
        log.info("digest %s was claimed but not posted; posting it now", entry.nonce)
        return await self._deliver(schedule, entry)

    async def _find_post(self, entry: LedgerEntry) -> discord.Message | None:
        """Our message for this claim among the channel's recent messages (by nonce or footer marker)."""
        return await find_own_post(self.bot, entry.channel_id, entry.nonce)

    async def _deliver(self, schedule: Schedule, entry: LedgerEntry) -> Outcome:
        try:
            previous = await self.book.previous_digest(schedule.channel_id, entry.fire_time)
            seen = await self.bot.desk.deltas.seen_counts(schedule.channel_id)  # delta digests
            for story_id, count in (previous.story_ids if previous else {}).items():
                seen[story_id] = max(count, seen.get(story_id, 0))
            digest = await self.bot.desk.digest(
                since=entry.since,
                until=entry.fire_time,
                max_stories=self.bot.settings.digest.max_stories,
                min_outlets=schedule.min_outlets,
                keywords=schedule.keywords,
                story_filter=schedule.filters,
                previous=seen or None,
                guild_id=schedule.guild_id,
            )
            # Stories the channel saw before show only their changes (or drop out with none).
            seen_now = await self.bot.desk.deltas.apply(digest, schedule.channel_id, schedule.guild_id)
            if not digest.items:
                await self.book.record_outcome(entry.id, "skipped", "no new stories")
                return "empty"
            contents = {i.story_id: i.article_count for i in digest.items}
            if schedule.target != "channel":  # resuming a cut-short digest: keep what it posted
                contents = {**entry.story_ids, **contents}
            await self.book.record_contents(entry.id, contents)
            if schedule.target != "channel":
                return await self._deliver_threads(schedule, entry, digest, seen_now)
            return await self._deliver_channel(schedule, entry, digest, seen_now)
        except Exception as e:
            # Anything else (an engine bug, the database): keep the claim open with the reason, so
            # the recovery job retries it within the grace period and /schedule list shows it.
            await self.book.note_error(entry.id, f"{e.__class__.__name__}: {e}")
            raise

    async def _deliver_channel(
        self, schedule: Schedule, entry: LedgerEntry, digest: Digest, seen_now: list[SeenRecord]
    ) -> Outcome:
        """The digest as one message in the channel, sent with the claim's nonce."""
        out = digest_message(
            digest,
            heading="Your news digest",
            marker=entry.nonce,
            mention_role_id=schedule.mention_role_id,
        )
        channel = self.bot.get_partial_messageable(schedule.channel_id, guild_id=schedule.guild_id)
        try:
            sent = await channel.send(
                content=out.content,
                embeds=out.embeds,
                nonce=entry.nonce,
                allowed_mentions=out.allowed_mentions,
            )
        except (discord.Forbidden, discord.NotFound) as e:
            await self._pause(schedule, entry, e)
            return "paused"
        except TRANSIENT as e:
            # The post may or may not exist: keep the claim open; recovery looks for it.
            await self.book.note_error(entry.id, f"{e.__class__.__name__}: {e}")
            log.warning("digest %s: Discord failed (%s); will check and retry", entry.nonce, e)
            return "pending"
        except discord.HTTPException as e:
            await self.book.record_outcome(entry.id, "failed", f"{e.status}: {e.text}")
            log.error("digest %s was refused by Discord: %s %s", entry.nonce, e.status, e.text)
            return "failed"
        await self.bot.desk.deltas.record(seen_now)  # the channel has now seen these stories
        await self.book.record_posted(entry, sent.id)
        self.bot.metrics.digests_posted += 1
        log.info("digest %s posted to channel %d (message %d)", entry.nonce, schedule.channel_id, sent.id)
        return "posted"

    async def _deliver_threads(
        self, schedule: Schedule, entry: LedgerEntry, digest: Digest, seen_now: list[SeenRecord]
    ) -> Outcome:
        """Threads and forums: each story into its own thread (a new thread for a story the channel
        never saw, a reply in its thread for one that grew). Each story counts as seen once sent."""
        seen = {r.story_id: r for r in seen_now}
        first: int | None = None
        role = schedule.mention_role_id  # pinged once per digest, on its first message
        for item in digest.items:
            out = story_message(item, until=digest.until, marker=entry.nonce, mention_role_id=role)
            name = thread_name(item.headline, item.story_id)
            try:
                done = await self.threads.post(
                    schedule.guild_id, schedule.channel_id, schedule.target, item.story_id, name, out
                )
            except (discord.Forbidden, discord.NotFound, TargetGone) as e:
                if first is None:
                    await self._pause(schedule, entry, e)
                    return "paused"
                log.warning("digest %s: story %d not posted (%s)", entry.nonce, item.story_id, e)
                continue
            except TRANSIENT as e:
                await self.book.note_error(entry.id, f"{e.__class__.__name__}: {e}")
                log.warning("digest %s: Discord failed (%s); will retry the rest", entry.nonce, e)
                return "pending"
            if item.story_id in seen:
                await self.bot.desk.deltas.record([seen[item.story_id]])
            first = first or done.message_id
            role = None
        if first is None:
            await self.book.record_outcome(entry.id, "failed", "no story could be posted")
            return "failed"
        await self.book.record_posted(entry, first)
        self.bot.metrics.digests_posted += 1
        log.info("digest %s posted to %s %d", entry.nonce, schedule.target, schedule.channel_id)
        return "posted"

    async def _pause(
        self, schedule: Schedule, entry: LedgerEntry, error: discord.HTTPException | TargetGone
    ) -> None:
        if isinstance(error, TargetGone):
            await self.book.pause(schedule.id, f"{error}: pick the channel again")
            await self.book.record_outcome(entry.id, "failed", str(error))
            return
        what = "cannot post there (missing permissions)" if error.status == 403 else "the channel is gone"
        reason = f"{error.status} {error.text or what}: {what}"
        await self.book.pause(schedule.id, reason)
        await self.book.record_outcome(entry.id, "failed", reason)
        log.warning(
            "schedule %d paused: channel %d %s (Discord said %s %s)",
            schedule.id,
            schedule.channel_id,
            what,
            error.status,
            error.text,
        )
