"""Two real `storydesk run` processes, one gateway shard each, on one PostgreSQL database.

Each scheduled digest must be posted exactly once, by the process whose shard holds the server,
while both run, and when the scheduler leader is SIGKILLed in the middle of posting (the other
process takes the lead; the killed one, restarted as a supervisor would, settles its own claim),
and when one shard's process is down for good (the leader posts its servers' due digests).
Runs when STORYDESK_TEST_PG names a server (`.ci/run` starts one); skips otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from e2e_support import INBOX
from fake_discord import FakeDiscord
from fake_payloads import FakeChannel

from bot.news.desk import NewsDesk
from tests.pg import PG, pg_database

pytestmark = pytest.mark.skipif(not PG, reason="no PostgreSQL server (set STORYDESK_TEST_PG)")
TOKEN = "sekrit-token-for-shard-tests-789"
SHARDS = 2
POSTED = re.compile(r"digest \S+ posted to channel (\d+)")


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    async with pg_database() as url:
        yield url


class BotProcess:
    """`python -m bot run` for one shard; its log goes to a file (read after it stops)."""

    def __init__(self, tmp: Path, fake: FakeDiscord, url: str, shard: int, extra: str = "") -> None:
        self.tmp, self.shard = tmp, shard
        self.config = tmp / f"shard{shard}.toml"
        guilds = ", ".join(fake.guild_ids())
        self.config.write_text(
            f'[database]\nurl = "{url}"\n\n[drop_folder]\npath = "{tmp / "drop"}"\n\n'
            f"[discord]\nguild_ids = [{guilds}]\nshard_count = {SHARDS}\nshard_ids = [{shard}]\n"
            f'coordination_seconds = 0.5\napi_base = "{fake.rest_base}"\ngateway_url = "{fake.gateway_url}"\n'
            + extra,
            encoding="utf-8",
        )
        self.logs: list[Path] = []
        self.proc: asyncio.subprocess.Process | None = None
        self.killed = False  # by the test: its exit is expected

    async def start(self) -> None:
        env = dict(os.environ, DISCORD_TOKEN=TOKEN, PYTHONUNBUFFERED="1")
        env.pop("STORYDESK_DB", None)
        log = self.tmp / f"shard{self.shard}-{len(self.logs)}.log"
        self.logs.append(log)
        self.killed = False
        with log.open("wb") as err:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "--config", str(self.config), "run",
                cwd=self.tmp, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=err,
            )  # fmt: skip

    def log(self) -> str:
        return "".join(p.read_text(encoding="utf-8", errors="replace") for p in self.logs)

    def posted_channels(self) -> list[str]:
        return POSTED.findall(self.log())

    @property
    def died(self) -> bool:
        """Exited without the test stopping or killing it."""
        return self.proc is not None and self.proc.returncode is not None and not self.killed

    async def report(self) -> str:
        """For a failure: its state, its asyncio tasks' stacks (SIGUSR2) and its log's end."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGUSR2)
            await asyncio.sleep(0.5)
        state = "running" if self.proc.returncode is None else f"exited {self.proc.returncode}"
        lines = [ln for ln in self.log().splitlines() if "apscheduler" not in ln]
        return f"=== shard {self.shard} ({state}) ===\n" + "\n".join(lines[-80:])

    async def kill(self) -> None:
        assert self.proc is not None
        self.killed = True
        self.proc.kill()
        assert await self.proc.wait() == -signal.SIGKILL

    async def stop(self) -> int:
        if self.proc is None or self.proc.returncode is not None:
            return 0 if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.proc.wait(), 45)  # the bot's bounded shutdown, loaded


async def _prepare(fake: FakeDiscord, url: str, fire: datetime) -> dict[str, tuple[FakeChannel, int]]:
    """Two servers on each shard, each with a daily schedule firing at `fire` (its minute)."""
    fake.shard_count = SHARDS
    channels = [fake.add_guild(f"news-{s}{n}", shard=s, shard_count=SHARDS) for n in "ab" for s in (0, 1)]
    now = datetime.now(UTC)
    desk = await NewsDesk.open(url, clock=lambda: now - timedelta(minutes=5))
    try:
        await desk.ingest_paths([str(p) for p in sorted(INBOX.glob("*ferry*"))])
        out = {}
        for ch in channels:
            s = await desk.schedules.add(
                int(ch.guild_id), int(ch.id), f"{fire.minute} {fire.hour} * * *", "UTC"
            )
            out[ch.name] = (ch, s.id)
        return out
    finally:
        await desk.close()


async def _ledger(url: str) -> dict[int, list[tuple[str, int | None]]]:
    desk = await NewsDesk.open(url)
    try:
        return {
            s.id: [(e.state, e.message_id) for e in await desk.schedules.history(s.id)]
            for s in await desk.schedules.all()
        }
    finally:
        await desk.close()


async def _wait_posts(
    fake: FakeDiscord, channels: list[FakeChannel], procs: list[BotProcess], timeout: float = 40
) -> None:
    """Until every channel has its post; fails at once if a process dies on its own."""
    with contextlib.suppress(TimeoutError):
        await fake.wait_until(
            lambda: all(fake.posts_to(c.id) for c in channels) or any(p.died for p in procs), timeout
        )
    missing = [c.name for c in channels if not fake.posts_to(c.id)]
    if missing or any(p.died for p in procs):
        reports = [await p.report() for p in procs]
        pytest.fail(f"digests missing in {missing}:\n" + "\n".join(reports))


def _assert_once_by_owner(
    fake: FakeDiscord, plan: dict[str, tuple[FakeChannel, int]], procs: list[BotProcess]
) -> None:
    for ch, _ in plan.values():
        assert len(fake.posts_to(ch.id)) == 1, ch.name
    by_shard = {p.shard: p.posted_channels() for p in procs}
    for ch, _ in plan.values():
        owner = int(ch.guild_id) >> 22 & 1  # (guild_id >> 22) % 2
        assert by_shard[owner].count(ch.id) == 1 and ch.id not in by_shard[1 - owner], ch.name


async def test_each_digest_posted_once_by_the_owning_shard(
    fake: FakeDiscord, tmp_path: Path, pg_url: str
) -> None:
    # Due now (this minute's fire time, within grace): whichever process takes the lead fires them.
    # (A wait for the next minute's cron fire would take up to 75 s; tests/e2e/test_shard_ownership
    # fires the leader's jobs through APScheduler in-process instead.)
    plan = await _prepare(fake, pg_url, datetime.now(UTC))
    procs = [BotProcess(tmp_path, fake, pg_url, shard) for shard in (0, 1)]
    try:
        await asyncio.gather(*(p.start() for p in procs))
        await _wait_posts(fake, [ch for ch, _ in plan.values()], procs)
        await asyncio.sleep(1.5)  # three more coordination rounds: nothing else arrives
        _assert_once_by_owner(fake, plan, procs)
        assert sorted(int(i["shard"][0]) for i in fake.identifies) == [0, 1]
        [leader] = [p for p in procs if "now leads the scheduler" in p.log()]
        assert leader.log().count("is due in server") == 2  # the other shard's two servers
    finally:
        codes = [await p.stop() for p in procs]
    assert codes == [0, 0], "\n".join(p.log()[-2000:] for p in procs)
    ledger = await _ledger(pg_url)
    assert all(len(rows) == 1 and rows[0][0] == "posted" for rows in ledger.values()), ledger
    assert all(TOKEN not in p.log() for p in procs)


async def test_leader_killed_mid_run_nothing_missed_or_doubled(
    fake: FakeDiscord, tmp_path: Path, pg_url: str
) -> None:
    plan = await _prepare(fake, pg_url, datetime.now(UTC))  # due now: the leader catches it up at start
    a0, a1, b0, b1 = (plan[n][0] for n in ("news-0a", "news-1a", "news-0b", "news-1b"))
    leader, other = BotProcess(tmp_path, fake, pg_url, 0), BotProcess(tmp_path, fake, pg_url, 1)
    fake.stall_posts(b0.id)  # the leader hangs posting b0: claimed, never created
    try:
        await leader.start()
        await _wait_posts(fake, [a0], [leader])  # alone, it leads and posts its first server
        await other.start()
        await _wait_posts(fake, [a1], [leader, other])  # the follower posts a due row of its own
        await fake.wait_until(lambda: bool(fake.calls_to("POST", rf"/channels/{b0.id}/messages")), 20)
        await leader.kill()  # SIGKILL mid-run: b0 claimed and unposted, b1 maybe not yet recorded
        await _wait_posts(fake, [b1], [leader, other])  # the follower takes over the lead
        assert "now leads the scheduler" in other.log()
        assert fake.posts_to(b0.id) == []
        fake.stalled.clear()
        await leader.start()  # restarted: it settles its own claim, posting b0 once
        await _wait_posts(fake, [b0], [leader, other])
        await asyncio.sleep(1.5)
        _assert_once_by_owner(fake, plan, [leader, other])
    finally:
        codes = [await leader.stop(), await other.stop()]
    assert codes == [0, 0], leader.log()[-2000:] + other.log()[-2000:]
    ledger = await _ledger(pg_url)
    assert all(len(rows) == 1 and rows[0][0] == "posted" for rows in ledger.values()), ledger
    assert "claimed but not posted" in leader.log()


async def test_a_shard_process_that_is_down_does_not_make_its_servers_miss_digests(
    fake: FakeDiscord, tmp_path: Path, pg_url: str
) -> None:
    # Only shard 0's process runs. It leads, records shard 1's servers as due, and when nobody has
    # taken them after handover_seconds it posts them itself, each once.
    plan = await _prepare(fake, pg_url, datetime.now(UTC))
    alone = BotProcess(tmp_path, fake, pg_url, 0, extra="handover_seconds = 2\n")
    try:
        await alone.start()
        await _wait_posts(fake, [ch for ch, _ in plan.values()], [alone])
        await asyncio.sleep(1.5)
        for ch, _ in plan.values():
            assert len(fake.posts_to(ch.id)) == 1, ch.name
        assert sorted(alone.posted_channels()) == sorted(ch.id for ch, _ in plan.values())
        assert alone.log().count("the scheduler leader posts it") == 2  # shard 1's two servers
    finally:
        code = await alone.stop()
    assert code == 0, alone.log()[-2000:]
    ledger = await _ledger(pg_url)
    assert all(len(rows) == 1 and rows[0][0] == "posted" for rows in ledger.values()), ledger
