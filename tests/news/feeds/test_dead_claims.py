"""Claims left by a process of this host that died are freed at the next round, not after the lease:
on one machine a killed `poll` or bot would otherwise leave its feeds unpolled for five minutes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from bot.news.desk import NewsDesk
from bot.news.feeds._lease import dead_on_this_host


def a_dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_only_this_hosts_gone_processes_are_dead() -> None:
    host = socket.gethostname()
    gone, alive = f"{host}:{a_dead_pid()}", f"{host}:{os.getppid()}"
    ids = {gone, alive, f"{host}:{os.getpid()}", f"elsewhere.example:{a_dead_pid()}", "worker-a", f"{host}:x"}
    assert dead_on_this_host(ids) == [gone]


async def test_a_round_takes_the_feeds_a_dead_process_held(desk: NewsDesk) -> None:
    host = socket.gethostname()
    repo = desk.store.feeds
    for i in range(2):
        await repo.add(
            {"url": f"https://example.test/{i}.xml", "guild_id": None, "origin": "cli", "interval": 900.0}
            | {"created_at": desk.clock(), "failures": 0, "failing": False, "alerted": False}
        )
    assert [f.id for f in await repo.claim(f"{host}:{a_dead_pid()}", desk.clock(), 300, feed_ids=[1])] == [1]
    assert [f.id for f in await repo.claim(f"{host}:{os.getppid()}", desk.clock(), 300, feed_ids=[2])] == [2]

    report = await desk.feeds.poll(force=True)

    assert [r.feed_id for r in report.results] == [1]  # the live holder keeps feed 2 for its lease
    assert {who for who, _ in (await repo.claims()).values()} == {f"{host}:{os.getppid()}"}
