"""`storydesk run`: open the desk, start the bot with DISCORD_TOKEN, stop cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket

from bot.config import (
    ConfigError,
    DiscordSettings,
    Settings,
    discord_token,
    resolve_database_url,
    with_shard_environment,
)
from bot.news import NewsDesk
from bot.runtime.health import HealthServer, bot_snapshot
from bot.runtime.stacks import dump_stacks_on_request

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
SHUTDOWN_SECONDS = 15.0
# Closing the gateway waits for Discord to confirm the close (discord.py allows it 30 s). A stop
# must not hang on that: container runtimes kill after ~10 s, and nothing stored needs the close.
CLOSE_SECONDS = 10.0


def apply_endpoints(cfg: DiscordSettings) -> None:
    """Point discord.py at the configured REST base and gateway (Discord, a compatible server, a fake).

    discord.py keeps both as class attributes: Route.BASE is used by every REST call (interaction
    callbacks and webhooks included) and DEFAULT_GATEWAY by Client.connect(). Being process-wide, this
    is done here, once, by whoever starts a bot (this module, or a test harness), never by the bot.
    """
    discord.http.Route.BASE = cfg.api_base.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(cfg.gateway_url)


def endpoint_problem(cfg: DiscordSettings) -> str | None:
    """Why the configured Discord endpoints cannot work, if they cannot."""
    if not cfg.api_base.startswith(("https://", "http://")):
        return f"[discord] api_base must be an http(s) URL, got {cfg.api_base!r}"
    if not cfg.gateway_url.startswith(("wss://", "ws://")):
        return f"[discord] gateway_url must be a ws(s) URL, got {cfg.gateway_url!r}"
    return None


def sharding_problem(cfg: DiscordSettings, url: str) -> str | None:
    """Why this process's shards cannot run on this database, if they cannot."""
    if cfg.shard_count is None or url.startswith("postgresql"):
        return None
    if cfg.shard_ids is not None and len(cfg.shard_ids) < cfg.shard_count:
        # The other shards run in other processes, which need a database they can share.
        return (
            f"[discord] shard_ids {cfg.shard_ids} leaves shards to other processes: several bot "
            "processes need PostgreSQL ([database] url = postgresql://...)"
        )
    return None


async def run_bot(settings: Settings, *, db: str | None = None) -> int:
    """Run until SIGTERM/SIGINT (exit 0); 2 for a missing token or bad endpoints; 1 if Discord refuses."""
    token = discord_token()
    if token is None:
        log.error(
            "DISCORD_TOKEN is not set. Put the bot token (Discord developer portal -> Bot -> Token) "
            "in the DISCORD_TOKEN environment variable; it is never read from config files."
        )
        return EXIT_USAGE
    problem = endpoint_problem(settings.discord)
    if problem:
        log.error("%s", problem)
        return EXIT_USAGE
    try:
        settings = with_shard_environment(settings)
    except ConfigError as e:
        log.error("%s", e)
        return EXIT_USAGE

    url = resolve_database_url(settings, db)
    problem = sharding_problem(settings.discord, url)
    if problem:
        log.error("%s", problem)
        return EXIT_USAGE

    from bot.runtime.client import build_bot  # after the checks: imports the cogs' dependencies

    # APScheduler logs every job start and end at INFO; the drop folder alone runs twice a minute.
    logging.getLogger("apscheduler.executors.default").setLevel(max(logging.WARNING, log.getEffectiveLevel()))

    desk = await NewsDesk.open(url, settings=settings.engine())
    apply_endpoints(settings.discord)
    bot = build_bot(settings, desk, freeze_after_setup=True)  # this process is the bot's alone
    health: HealthServer | None = None
    if settings.health.enabled:
        health = HealthServer(settings.health, bot.metrics, lambda: bot_snapshot(bot))
        try:
            await health.start()
        except OSError as e:
            log.error("[health] cannot listen on %s:%d: %s", settings.health.host, settings.health.port, e)
            await bot.close()
            await desk.close()
            return EXIT_USAGE
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    handled: list[signal.Signals] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on every platform
            loop.add_signal_handler(sig, stop.set)
            handled.append(sig)
    handled += dump_stacks_on_request(loop)  # kill -USR1 / -USR2: threads' / tasks' stacks
    runner = asyncio.create_task(bot.start(token.get_secret_value()), name="storydesk-bot")
    stopper = asyncio.create_task(stop.wait(), name="storydesk-stop")
    code = EXIT_OK
    try:
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if runner in done:
            error = runner.exception()
            if isinstance(error, discord.LoginFailure):
                log.error("Discord refused the token (check DISCORD_TOKEN): %s", error)
                code = EXIT_FAIL
            elif isinstance(error, aiohttp.ClientError | OSError):
                log.error("cannot reach Discord at %s: %s", settings.discord.api_base, error)
                code = EXIT_FAIL
            elif error is not None:
                log.error("the bot stopped: %s", error, exc_info=error)
                code = EXIT_FAIL
        else:
            log.info("shutdown requested; closing")
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)
        stopper.cancel()
        await within(CLOSE_SECONDS, bot.close(), "closing the Discord connection")
        if health is not None:
            await health.stop()
        if not runner.done():
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(runner, SHUTDOWN_SECONDS)
        await desk.close()
    log.info("stopped")
    return code


async def within(seconds: float, step: Awaitable[None], what: str) -> None:
    """Run one shutdown step, giving up on it (with a warning) after `seconds`."""
    try:
        await asyncio.wait_for(step, seconds)
    except TimeoutError:
        log.warning("%s took over %g s; stopping without waiting for it", what, seconds)
