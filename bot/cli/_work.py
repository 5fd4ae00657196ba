"""`storydesk work`: one feed worker process (the `workers` role of the Procfile).

A worker claims due feeds in batches, polls and ingests them, and looks again; several run side
by side against one PostgreSQL database (see `[workers]`). SIGTERM (or Ctrl+C) stops it
gracefully: the feeds in hand are finished within `stop_grace_seconds`, then whatever it still
holds is released for the other workers. A worker that is killed outright loses its claims when
their lease runs out.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

from bot.cli._common import EXIT_OK, Subcommands, on_stop_signals, with_desk
from bot.cli._feeds import poll_text
from bot.config import Settings
from bot.news import FeedWorker, NewsDesk, PollReport

log = logging.getLogger(__name__)


def register(sub: Subcommands, json_option: argparse.ArgumentParser) -> None:
    """Add `work` to the main parser (it prints round summaries, not data: no --json)."""
    help_ = "run a feed worker: poll due feeds and ingest them until SIGTERM (see [workers])"
    sp = sub.add_parser("work", help=help_, description=help_)
    sp.set_defaults(handler=work)
    sp.add_argument("--id", dest="worker_id", help="this worker's name in feed claims (beats [workers] id)")
    sp.add_argument(
        "--until-idle",
        action="store_true",
        help="exit once no feed is due (for batch runs and benchmarks), instead of waiting for more",
    )


def worker_of(args: argparse.Namespace, settings: Settings) -> FeedWorker:
    """The worker identity from --id, else [workers] id, else host:pid."""
    name = (args.worker_id or settings.workers.id).strip()
    lease = settings.workers.lease_seconds
    return FeedWorker(name, lease) if name else FeedWorker(lease_seconds=lease)


@with_desk
async def work(args: argparse.Namespace, settings: Settings, desk: NewsDesk) -> int:
    worker = worker_of(args, settings)
    stop = asyncio.Event()
    on_stop_signals(stop.set)
    sync = await desk.feeds.sync_config(settings.feeds)
    for url in sync.refused:
        print(f"storydesk: config feed refused: {url}", file=sys.stderr)
    print(f"Worker {worker.id}: polling due feeds; SIGTERM or Ctrl+C stops.", file=sys.stderr, flush=True)
    polled = 0
    try:
        while not stop.is_set():
            try:
                report = await _round(desk, settings, worker, stop)
            except Exception:  # the database went away for a moment: a worker keeps going
                log.exception("worker %s: polling round failed; trying again", worker.id)
                await _nap(desk, settings, stop)
                continue
            if report is None:
                break
            polled += len(report.results)
            if report.results:
                print(f"[{worker.id}] {poll_text(report)}", flush=True)
            if len(report.results) >= settings.workers.batch_size:
                continue  # more may be due right now
            if args.until_idle and await desk.feeds.due_count() == 0:
                break
            await _nap(desk, settings, stop)
    finally:
        released = await desk.feeds.release_claims(worker)
        if released:
            log.warning("worker %s released %d feed(s) it had not finished", worker.id, released)
    # How its story index kept up with the other workers: one rebuild at start, then catch-ups
    # from the change log; more rebuilds cost every stored article each (bench_workers reads this).
    index = f"story index: {desk.keeper.rebuilds} rebuild(s), {desk.keeper.catch_ups} catch-up(s)"
    # Where the serial part went: syncs by kind (count x mean ms) and the writer lock's wait/hold.
    spent = ", ".join(
        f"{kind} {int(n)} x {1000 * t / max(1, n):.0f} ms"
        for kind, (n, t) in sorted(desk.keeper.sync_spent.items())
    )
    parts = ", ".join(f"{part} {t:.1f} s" for part, t in desk.keeper.catch_up_parts.items())
    spent = f"{spent or 'none'}; catch-ups' {parts}"
    store = desk.store
    index += f" (syncs: {spent}; writer lock waited {store.lock_waited:.1f} s, held {store.lock_held:.1f} s)"
    print(f"Worker {worker.id} stopped after polling {polled} feed(s); {index}.", file=sys.stderr, flush=True)
    return EXIT_OK


async def _round(
    desk: NewsDesk, settings: Settings, worker: FeedWorker, stop: asyncio.Event
) -> PollReport | None:
    """One batch; on a stop signal it gets `stop_grace_seconds` to finish, else it is cancelled
    (None) and its feeds are released by `poll` itself."""
    task = asyncio.create_task(desk.feeds.poll(limit=settings.workers.batch_size, worker=worker))
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            log.warning("worker %s stopping: finishing the feeds in hand", worker.id)
            await asyncio.wait({task}, timeout=settings.workers.stop_grace_seconds)
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            return None
        return task.result()
    finally:
        stopping.cancel()


async def _nap(desk: NewsDesk, settings: Settings, stop: asyncio.Event) -> None:
    """Until the next feed is due (at least a second, at most idle_seconds), or a stop signal."""
    wait = settings.workers.idle_seconds
    try:
        due = await desk.feeds.next_due_at()
    except Exception:  # the database is away: look again after the idle wait
        due = None
    if due is not None:
        wait = min(wait, max(1.0, (due - desk.clock()).total_seconds()))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), wait)
