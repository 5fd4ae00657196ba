"""Filters end to end: include/exclude words and outlets on schedules, live boards and the CLI;
role pings on live cards (opt-in, only that role)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from e2e_support import REPO, FakeClock, answer, cli_ok
from fake_discord import FakeDiscord

from bot.news import NewsDesk, Schedule, Story
from bot.news.ingest import IncomingArticle
from bot.runtime.client import StorydeskBot
from bot.runtime.jobs import LivePoster

EPHEMERAL = 64
NINE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


async def fire(bot: StorydeskBot, clock: FakeClock, schedule: Schedule, at: datetime) -> None:
    """Move the clock to `at`, run the schedule's job now and wait until its ledger entry settled."""
    clock.now = at
    bot.jobs.run_soon(f"digest:{schedule.id}")
    for _ in range(250):
        entries = await bot.desk.schedules.history(schedule.id, limit=1)
        if entries and entries[0].state != "claimed":
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the digest never settled")


def sub(name: str, **options: Any) -> list[dict[str, Any]]:
    kinds = {"channel": 7, "mention_role": 8, "min_outlets": 4}
    opts = [{"name": k, "type": kinds.get(k, 3), "value": v} for k, v in options.items()]
    return [{"name": name, "type": 1, "options": opts}]


def about(stories: list[Story], word: str) -> Story:
    return next(s for s in stories if word.casefold() in s.headline.casefold())


async def test_schedule_with_include_and_exclude(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    news = fake.channel("news").id
    msg = await answer(
        fake,
        await fake.slash(
            "schedule",
            sub(
                "add",
                channel=news,
                cron="0 9 * * *",
                timezone="UTC",
                include="inspectors, drought",
                exclude="Kessler",
            ),
        ),
    )
    assert (
        "Schedule **1** added" in msg["content"]
        and "Filter: include inspectors, drought · exclude Kessler" in msg["content"]
    )
    [schedule] = await desk.schedules.all(int(fake.guild_id))
    assert (schedule.filters.include, schedule.filters.exclude) == (["inspectors", "drought"], ["Kessler"])
    listed = await answer(fake, await fake.slash("schedule", sub("list")))
    assert "include inspectors, drought · exclude Kessler" in listed["embeds"][0]["description"]

    await fire(bot, clock, schedule, NINE + timedelta(seconds=2))
    [post] = fake.posts_to(news)
    names = [f["name"] for f in post["embeds"][0]["fields"]]
    assert len(names) == 2, names
    assert any("drought" in n for n in names) and any("Old Mill Road bridge" in n for n in names)
    assert not any("Kessler" in n for n in names)  # excluded by its headline


async def test_live_board_filter_and_role_ping(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    news = fake.channel("news").id
    started = await answer(
        fake,
        await fake.slash(
            "live",
            sub(
                "start",
                channel=news,
                min_outlets=1,
                include="ferry, bridge",
                exclude="Kessler",
                mention_role=fake.role_id,
            ),
        ),
    )
    assert (
        started["flags"] & EPHEMERAL
        and "Filter: include ferry, bridge · exclude Kessler" in started["content"]
    )
    assert f"Each new card mentions <@&{fake.role_id}>" in started["content"]
    board = await desk.live.channel(int(fake.guild_id))
    assert board is not None and board.mention_role_id == int(fake.role_id)

    clock.advance(minutes=5)
    stories = await desk.stories()
    arrivals = []
    for word in ("ferry", "Kessler", "drought"):  # one new outlet for each of three stories
        story = about(stories, word)
        [source, *_] = await desk.story_articles(story.id)
        copy = source.model_copy(
            update={"outlet": f"Gazette {word}", "text": source.text + "\n\nMore later."}
        )
        arrivals.append(IncomingArticle(f"gazette-{word}", copy))
    await desk.ingest_items(arrivals)

    poster: LivePoster = bot.get_cog("LiveCog").poster  # type: ignore[union-attr]
    await poster.update()
    await fake.wait_until(lambda: len(fake.posts_to(news)) >= 1)
    assert await poster.update() == 0  # the ferry story only: Kessler is excluded, drought not included
    [card] = fake.posts_to(news)
    assert "Ferry" in card["embeds"][0]["title"]
    [call] = fake.calls_to("POST", rf"/channels/{news}/messages")
    assert call.json["content"] == f"<@&{fake.role_id}>"
    assert call.json["allowed_mentions"] == {"parse": [], "roles": [int(fake.role_id)]}

    # Restarted without a role (and no filter): cards ping nobody.
    clock.advance(minutes=1)
    await answer(fake, await fake.slash("live", sub("start", channel=news, min_outlets=1)))
    clock.advance(minutes=5)
    story = about(stories, "drought")
    [source, *_] = await desk.story_articles(story.id)
    copy = source.model_copy(update={"outlet": "Gazette two", "text": source.text + "\n\nUpdate."})
    await desk.ingest_items([IncomingArticle("gazette-two", copy)])
    await poster.update()  # (the job /live start asked for may have posted it already)
    assert len(fake.posts_to(news)) == 2 and "lawn" in fake.posts_to(news)[-1]["embeds"][0]["title"]
    last = fake.calls_to("POST", rf"/channels/{news}/messages")[-1]
    assert last.json["allowed_mentions"] == {"parse": []} and not last.json.get("content")


def test_cli_digest_include_exclude(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"

    def run(*args: str) -> Any:
        return cli_ok(db, *args)

    run("ingest", str(REPO / "inbox"))
    every = run("digest", "--hours", "100000", "--json")
    assert len(every["items"]) >= 5
    kept = run("digest", "--hours", "100000", "--json", "--include", "inspectors", "--exclude", "Kessler")
    heads = [i["headline"] for i in kept["items"]]
    assert heads and all("bridge" in h.casefold() and "Kessler" not in h for h in heads) and len(heads) == 1
    # An outlet entry: every story left has an article from that outlet.
    bay9 = run("digest", "--hours", "100000", "--json", "--include", "outlet:Bay 9")
    assert bay9["items"] and all(
        any(o["outlet"] == "Bay 9 News" for o in i["outlets"]) for i in bay9["items"]
    )
    assert len(bay9["items"]) < len(every["items"])
    # Excluding an outlet: its articles no longer count; a story only it covers is gone.
    without = run("digest", "--hours", "100000", "--json", "--exclude", "outlet:Bay 9")
    assert all(o["outlet"] != "Bay 9 News" for i in without["items"] for o in i["outlets"])
    # --keyword still works beside the filter.
    both = run("digest", "--hours", "100000", "--json", "--keyword", "ferry", "--exclude", "sport")
    assert [i["headline"] for i in both["items"]] == [
        i["headline"] for i in every["items"] if "Ferry" in i["headline"]
    ]
