"""The opt-in health and metrics endpoint of `storydesk run` (`[health]`, off by default).

`/healthz` answers 200 "ok" while the bot is connected to Discord and its scheduler runs, else
503 saying which is wrong; `/metrics` serves
Prometheus text: articles ingested, rejected files, feed poll failures, digests posted and
slash-command latency, counted since this process started, plus what the database holds.
It listens on a local address only by default: it tells who runs what, so it is not public.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import discord
from aiohttp import web
from discord.ext import commands

from bot.config import HealthSettings
from bot.news import NewsDesk, PollReport
from bot.runtime.scheduler import DeskScheduler
from bot.runtime.watcher import DropFolderWatcher

log = logging.getLogger(__name__)

# Upper bounds (seconds) of the command-latency histogram's buckets; Discord allows 3 s to answer.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_MAX_OPEN_COMMANDS = 1000  # started commands remembered for their latency (errors never complete)


@dataclass
class Latency:
    """A Prometheus histogram of one command's latency."""

    buckets: list[int] = field(default_factory=lambda: [0] * len(LATENCY_BUCKETS))
    count: int = 0
    total: float = 0.0

    def observe(self, seconds: float) -> None:
        self.count += 1
        self.total += seconds
        for i, bound in enumerate(LATENCY_BUCKETS):
            if seconds <= bound:
                self.buckets[i] += 1


@dataclass
class Metrics:
    """Counters of this process, fed by the bot's jobs and command events."""

    feed_articles: int = 0
    feed_polls: int = 0
    feed_failures: int = 0
    digests_posted: int = 0
    commands: dict[str, Latency] = field(default_factory=dict)
    _started: dict[int, float] = field(default_factory=dict)

    def record_poll(self, report: PollReport) -> None:
        """One feed polling round: new articles and the feeds that failed."""
        self.feed_polls += len(report.results)
        self.feed_articles += sum(r.new for r in report.results)
        self.feed_failures += sum(1 for r in report.results if r.status == "error")

    def command_started(self, interaction_id: int, now: float | None = None) -> None:
        if len(self._started) >= _MAX_OPEN_COMMANDS:
            self._started.pop(next(iter(self._started)))  # the oldest never finished
        self._started[interaction_id] = time.monotonic() if now is None else now

    def command_finished(self, interaction_id: int, name: str, now: float | None = None) -> None:
        started = self._started.pop(interaction_id, None)
        if started is not None:
            end = time.monotonic() if now is None else now
            self.commands.setdefault(name, Latency()).observe(max(0.0, end - started))


class DeskBotLike(Protocol):
    """What the snapshot reads of the bot (declared here: the bot's context imports this module)."""

    desk: NewsDesk
    watcher: DropFolderWatcher

    jobs: DeskScheduler
    scheduler_failing: bool

    def is_ready(self) -> bool: ...
    def is_closed(self) -> bool: ...


@dataclass
class Snapshot:
    """What /metrics shows besides the counters: read from the bot and the database at scrape time."""

    drop_folder_articles: int
    drop_folder_rejections: int
    articles_stored: int
    stories_stored: int
    connected: bool
    leading: bool = True  # this process leads the scheduler (always, unsharded)
    scheduling: bool = True  # False while starting the scheduler fails (it is being retried)


def _escape(label: str) -> str:
    return label.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render_metrics(m: Metrics, snap: Snapshot) -> str:
    """The Prometheus text exposition format (version 0.0.4)."""
    out: list[str] = []

    def metric(name: str, kind: str, help_: str, samples: list[tuple[str, float]]) -> None:
        out.append(f"# HELP {name} {help_}")
        out.append(f"# TYPE {name} {kind}")
        out.extend(f"{name}{labels} {value:g}" for labels, value in samples)

    metric(
        "storydesk_articles_ingested_total",
        "counter",
        "New articles stored by this process, by source.",
        [('{source="drop_folder"}', snap.drop_folder_articles), ('{source="feeds"}', m.feed_articles)],
    )
    metric(
        "storydesk_rejections_total",
        "counter",
        "Drop-folder files and records rejected by this process.",
        [("", snap.drop_folder_rejections)],
    )
    metric("storydesk_feed_polls_total", "counter", "Feed polls by this process.", [("", m.feed_polls)])
    metric("storydesk_feed_failures_total", "counter", "Feed polls that failed.", [("", m.feed_failures)])
    metric("storydesk_digests_posted_total", "counter", "Scheduled digests posted.", [("", m.digests_posted)])
    metric("storydesk_articles_stored", "gauge", "Articles in the database.", [("", snap.articles_stored)])
    metric("storydesk_stories_stored", "gauge", "Stories in the database.", [("", snap.stories_stored)])
    metric("storydesk_up", "gauge", "1 while the bot is connected to Discord.", [("", int(snap.connected))])
    leader = int(snap.leading)
    metric("storydesk_scheduler_leader", "gauge", "1 while this process leads the scheduler.", [("", leader)])
    up = int(snap.scheduling)
    metric("storydesk_scheduler_up", "gauge", "0 while the scheduler cannot start (retried).", [("", up)])
    out.append("# HELP storydesk_command_latency_seconds Slash-command time from arrival to answer.")
    out.append("# TYPE storydesk_command_latency_seconds histogram")
    for name, lat in sorted(m.commands.items()):
        cmd = _escape(name)
        for bound, n in zip(LATENCY_BUCKETS, lat.buckets, strict=True):
            out.append(f'storydesk_command_latency_seconds_bucket{{command="{cmd}",le="{bound:g}"}} {n}')
        out.append(f'storydesk_command_latency_seconds_bucket{{command="{cmd}",le="+Inf"}} {lat.count}')
        out.append(f'storydesk_command_latency_seconds_sum{{command="{cmd}"}} {lat.total:g}')
        out.append(f'storydesk_command_latency_seconds_count{{command="{cmd}"}} {lat.count}')
    return "\n".join(out) + "\n"


class HealthServer:
    """An aiohttp server for /healthz and /metrics; `snapshot` reads the bot at scrape time."""

    def __init__(
        self, settings: HealthSettings, metrics: Metrics, snapshot: Callable[[], Awaitable[Snapshot]]
    ) -> None:
        self.settings = settings
        self.metrics = metrics
        self.snapshot = snapshot
        self._runner: web.AppRunner | None = None
        self.port: int | None = None  # the bound port (settings.port, or the one picked for 0)

    async def start(self) -> None:
        """Listen; OSError when the address is taken or not local to this host."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.settings.host, self.settings.port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self.settings.port
        log.info("health endpoint on http://%s:%s/healthz and /metrics", self.settings.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        snap = await self.snapshot()
        if not snap.connected:
            return web.Response(status=503, text="not connected to Discord\n")
        if not snap.scheduling:  # it answers commands but posts no digest: a restart may help
            return web.Response(status=503, text="the scheduler could not start (retrying; see the log)\n")
        return web.Response(text="ok\n")

    async def _metrics(self, request: web.Request) -> web.Response:
        text = render_metrics(self.metrics, await self.snapshot())
        return web.Response(body=text.encode("utf-8"), headers={"Content-Type": PROMETHEUS_TYPE})


PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def watch_commands(bot: commands.Bot, metrics: Metrics) -> None:
    """Time every slash command from its arrival to its completion (failed ones are not timed)."""

    async def started(interaction: discord.Interaction[Any]) -> None:
        if interaction.type is discord.InteractionType.application_command:
            metrics.command_started(interaction.id)

    async def finished(interaction: discord.Interaction[Any], command: Any) -> None:
        metrics.command_finished(interaction.id, str(getattr(command, "qualified_name", "?")))

    bot.add_listener(started, "on_interaction")
    bot.add_listener(finished, "on_app_command_completion")


async def bot_snapshot(bot: DeskBotLike) -> Snapshot:
    """What /metrics and /healthz read of a running bot."""
    status = await bot.desk.status()
    return Snapshot(
        drop_folder_articles=bot.watcher.health.new_total,
        drop_folder_rejections=bot.watcher.health.rejected_total,
        articles_stored=status.articles,
        stories_stored=status.stories,
        connected=bot.is_ready() and not bot.is_closed(),
        leading=bot.jobs.leading,
        scheduling=not bot.scheduler_failing,
    )
