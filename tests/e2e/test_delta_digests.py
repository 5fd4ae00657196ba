"""Delta digests through the real scheduled job and the fake Discord: a scripted day of arrivals.

A story is posted once in full; when it grows, the channel's next digest shows only what changed
since it last saw it (new outlets, quotes, figures that moved, points only one outlet has).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from e2e_support import NINE, BotFactory, FakeClock, add_schedule, fire
from fake_discord import FakeDiscord

from bot.config import Settings
from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle
from bot.runtime.render._limits import violations
from tests.news.watch.plant import report


async def arrive(desk: NewsDesk, clock: FakeClock, n: int, at: timedelta) -> int:
    """The n-th plant report arrives at NINE + `at`; returns its story id."""
    clock.now = NINE + at
    result = await desk.ingest_items([IncomingArticle(f"plant-{n}", report(n))])
    return result.story_of[f"plant-{n}"]


def since_last(db: Path, channel_id: int) -> Any:
    """`storydesk digest --since-last CHANNEL --json` on the test's database (real clock: all of it)."""
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), "digest", "--since-last", str(channel_id), "--json"],
        capture_output=True, text=True, timeout=120, cwd=db.parent,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def fields_of(post: dict[str, Any]) -> dict[str, str]:
    assert violations(post.get("content"), post["embeds"]) == []
    return {f["name"]: f["value"] for f in post["embeds"][0]["fields"]}


def field_of(post: dict[str, Any], story_id: int) -> tuple[str, str]:
    (found,) = [(n, v) for n, v in fields_of(post).items() if f"story:{story_id}`" in v]
    return found


async def test_a_day_of_arrivals_posts_each_story_once_then_only_its_changes(
    start_bot: BotFactory, settings: Settings, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock,
    db_path: Path,
) -> None:  # fmt: skip
    roomy = settings.model_copy(update={"digest": settings.digest.model_copy(update={"max_stories": 20})})
    bot = await start_bot(settings_=roomy)
    schedule = await add_schedule(desk, fake)
    bot.jobs.add_digest(schedule, bot.digests.run_job)
    news = fake.channel("news").id

    # Before the first digest: the wire's first report and the gazette's (the toll rising 3 -> 8).
    plant = await arrive(desk, clock, 0, -timedelta(minutes=50))
    assert await arrive(desk, clock, 1, -timedelta(minutes=20)) == plant
    await fire(bot, clock, schedule, NINE)
    (day1,) = fake.posts_to(news)
    name, full = field_of(day1, plant)
    assert "↻" not in name and "Update since" not in full  # the first time: the whole story
    first_ids = {i for i in (await desk.schedules.entry_for(schedule.id, NINE)).story_ids}  # type: ignore[union-attr]
    assert plant in first_ids and len(fields_of(day1)) == len(first_ids)

    # Midday: a third outlet, a higher toll, the fire chief quoted, a detail only it has.
    assert await arrive(desk, clock, 2, timedelta(hours=4)) == plant
    # The CLI previews the channel's next digest: the same changes, nothing recorded.
    preview = since_last(db_path, int(news))
    [item] = [i for i in preview["items"] if i["story_id"] == plant]
    assert item["changes"]["new_outlets"] == ["Valley Herald"]
    assert item["changes"]["figures"] == ["killed: 8 → 15; one outlet still says 8"]
    await fire(bot, clock, schedule, NINE + timedelta(days=1))
    day2 = fake.posts_to(news)[-1]
    assert len(fake.posts_to(news)) == 2 and len(fields_of(day2)) == 1  # only the story that grew
    name2, delta = field_of(day2, plant)
    assert name2.startswith("1. ↻ ")
    assert "Update since you saw it" in delta and "(+1 article)" in delta
    assert "killed: 8 → 15; one outlet still says 8" in delta
    assert "New outlets: [Valley Herald](https://valley-herald.example/delmont-explosion)" in delta
    assert "Dana Whitfield" in delta and "east wing" in delta
    assert "Only Valley Herald" in delta and "Corvane" in delta
    assert full.split("\n")[0] not in delta  # not the whole story again
    assert "💬 Dana Whitfield: “We are still searching the east wing of the building”" in delta
    assert "Only County Gazette" not in delta  # an article the channel saw already is no news
    (post,) = fake.calls_to("POST", rf"/channels/{news}/messages")[-1:]
    assert post.json["allowed_mentions"] == {"parse": []}

    # Next day: a fourth outlet agreeing with the latest toll: only the new outlet, no figure line.
    assert await arrive(desk, clock, 3, timedelta(days=1, hours=5)) == plant
    await fire(bot, clock, schedule, NINE + timedelta(days=2))
    _, delta3 = field_of(fake.posts_to(news)[-1], plant)
    assert "Evening Tribune" in delta3 and "Valley Herald" not in delta3 and "📈" not in delta3
    assert len(fields_of(fake.posts_to(news)[-1])) == 1

    # Nothing arrived: no post at all.
    await fire(bot, clock, schedule, NINE + timedelta(days=3))
    quiet = await desk.schedules.entry_for(schedule.id, NINE + timedelta(days=3))
    assert quiet is not None and quiet.state == "skipped" and len(fake.posts_to(news)) == 3
    print("DELTA BLOCK:\n" + name2 + "\n" + delta)
