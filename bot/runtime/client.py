"""StorydeskBot: the discord.py client. setup_hook loads the cogs, syncs commands only when they
changed, and starts the scheduler (digest recovery and catch-up first)."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import discord
from discord.ext import commands

from bot.config import Settings
from bot.news import NewsDesk, UserFacingError
from bot.runtime.cache import ResultCache
from bot.runtime.context import DeskBot
from bot.runtime.health import Metrics, watch_commands
from bot.runtime.interactions import PageButton, StoryButton
from bot.runtime.jobs import DigestPoster, SchedulerLeadership
from bot.runtime.reading import Reading
from bot.runtime.scheduler import (
    COORDINATION_JOB,
    DROP_FOLDER_JOB,
    RECOVERY_JOB,
    RECOVERY_MINUTES,
    DeskScheduler,
)
from bot.runtime.shards import ShardPlan
from bot.runtime.sync import scope_commands, sync_if_changed
from bot.runtime.tree import StorydeskTree
from bot.runtime.watcher import DropFolderWatcher

log = logging.getLogger(__name__)

# Starting the scheduler again after a failure: the first pause and the longest (seconds).
START_RETRY_FIRST = 1.0
START_RETRY_MOST = 60.0

EXTENSIONS: tuple[str, ...] = (
    "cogs.digest",
    "cogs.schedules",
    "cogs.stories",
    "cogs.compare",
    "cogs.quotes",
    "cogs.said",
    "cogs.status",
    "cogs.feeds",
    "cogs.live",
)


class StorydeskBot(DeskBot):
    """The bot: one NewsDesk, one scheduler, one result cache."""

    def __init__(
        self,
        settings: Settings,
        desk: NewsDesk,
        *,
        extensions: Sequence[str] = EXTENSIONS,
        freeze_after_setup: bool = False,
        **options: Any,
    ) -> None:
        shards = ShardPlan.from_settings(settings.discord)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),  # no privileged intents: slash commands need none
            tree_cls=StorydeskTree,
            allowed_mentions=discord.AllowedMentions.none(),  # article text never pings anyone
            help_command=None,
            **(shards.client_options() | options),
        )
        self.shard_plan = shards
        self.settings = settings
        self.desk = desk
        self.clock = desk.clock  # one notion of "now" for engine and runtime (tests inject it)
        self.cache = ResultCache()
        self.reading = Reading(desk, self.cache)
        self.jobs = DeskScheduler(grace=timedelta(minutes=settings.discord.digest_grace_minutes))
        self.digests = DigestPoster(self)
        self.leadership = SchedulerLeadership(self, self.digests, desk.schedules.leader_lock())
        self.watcher = DropFolderWatcher(desk, settings.resolved_drop_folder(), self.clock)
        self.metrics = Metrics()
        watch_commands(self, self.metrics)
        self.add_listener(self.reading.uploads.on_interaction, "on_interaction")
        self.add_listener(self.reading.uploads.on_completion, "on_app_command_completion")
        self.extension_names = tuple(extensions)
        self.freeze_after_setup = freeze_after_setup  # see freeze_startup_objects
        self.synced: bool | None = None
        self.jobs_ready = asyncio.Event()
        self.scheduler_failing = False  # /healthz says so while start_jobs retries
        self._startup: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        for name in self.extension_names:
            await self.load_extension(name)
        self.add_dynamic_items(StoryButton)  # Compare / Quotes on story cards, across restarts
        self.add_dynamic_items(PageButton)  # Back / Next under paged answers, across restarts
        scope_commands(self)
        # setup_hook runs after login, so application_id is known and REST works; the gateway
        # is not needed for syncing or for posting digests.
        self.synced = await sync_if_changed(self)
        if self.freeze_after_setup:
            freeze_startup_objects()  # before the gateway connects: no command can be waiting
        self._startup = asyncio.create_task(self.start_jobs(), name="storydesk-start-jobs")

    async def start_jobs(self) -> None:
        """Settle the digest ledger, then schedule every active schedule and the drop folder.

        A failure here (the database unreachable for a moment at start) is retried with a growing
        pause until it succeeds: a bot that gave up would stay up and answer commands, yet never
        post a digest again. `jobs_ready` is set after the first attempt, whatever its outcome."""
        pause = START_RETRY_FIRST
        while True:
            try:
                if self.shard_plan.sharded:
                    await self._start_sharded_jobs()
                else:
                    await self._start_jobs()
                self.scheduler_failing = False
                return
            except Exception:
                self.scheduler_failing = True
                log.exception("starting the scheduler failed; trying again in %.0f s", pause)
            finally:
                self.jobs_ready.set()
            await asyncio.sleep(pause)
            pause = min(pause * 2, START_RETRY_MOST)

    async def _start_jobs(self) -> None:
        await self.digests.recover_and_catch_up()
        for schedule in await self.desk.schedules.all():
            if schedule.paused:
                continue
            try:
                self.jobs.add_digest(schedule, self.digests.run_job)
            except UserFacingError as e:
                log.warning("schedule %d cannot run: %s", schedule.id, e)
        self.jobs.add_interval(RECOVERY_JOB, self.digests.recover, RECOVERY_MINUTES * 60, now=False)
        self.jobs.add_interval(
            DROP_FOLDER_JOB, self.watcher.scan, self.watcher.poll_seconds, now=True, leader_only=True
        )
        self.jobs.start()

    async def _start_sharded_jobs(self) -> None:
        """Sharded: follow until the leader lock says otherwise (the coordination job asks at once)."""
        self.jobs.follow()
        # One drop folder, one reader: the leader scans it (ingest is serialised anyway).
        scan, every_scan = self.watcher.scan, self.watcher.poll_seconds
        self.jobs.add_interval(DROP_FOLDER_JOB, scan, every_scan, now=True, leader_only=True)
        await self.digests.recover()  # this process's servers' claims left by a crash
        self.jobs.add_interval(RECOVERY_JOB, self.digests.recover, RECOVERY_MINUTES * 60, now=False)
        every = self.settings.discord.coordination_seconds
        self.jobs.add_interval(COORDINATION_JOB, self.leadership.run_job, every, now=True)
        self.jobs.start()
        log.info("bot process started: %s", self.shard_plan.describe())

    async def close(self) -> None:
        if self._startup is not None and not self._startup.done():
            self._startup.cancel()
            await asyncio.wait({self._startup}, timeout=5.0)  # unwound, as the jobs below
        await self.jobs.stop()  # running jobs cancelled and unwound before anything closes under them
        await self.reading.settle()  # a picture being added to a /story answer: let it finish
        await self.leadership.close()  # another process takes the lead at once
        await super().close()


class ShardedStorydeskBot(StorydeskBot, commands.AutoShardedBot):
    """The bot running several gateway shards in one process (discord.py's AutoShardedBot)."""


def freeze_startup_objects() -> None:
    """Leave what start-up made (modules, discord.py's, SQLAlchemy's and the cogs' state: ~130k
    objects) out of the garbage collector's full passes.

    A full pass walks every tracked object: ~40-100 ms with those (more on a busy machine), and a
    command whose first response falls into one waits for all of it. They live as long as the
    process, so scanning them never finds garbage; reference counting still frees them as usual.
    Start-up's own garbage is collected first. Process-wide, so only for a process that is the bot
    (`storydesk run`), never for tests that start many bots in one process (whose dead bots'
    cycles would then never be collected).
    """
    gc.collect()
    gc.freeze()


def build_bot(settings: Settings, desk: NewsDesk, **options: Any) -> StorydeskBot:
    """The client for this process's shards: one session per shard; several need AutoShardedBot."""
    if len(ShardPlan.from_settings(settings.discord).mine) > 1:
        return ShardedStorydeskBot(settings, desk, **options)
    return StorydeskBot(settings, desk, **options)
