"""Independent voices end to end: story cards, /stories, digests and live cards say "7 outlets, 4
independent reports", digests rank by independent reports, and the CLI's JSON carries the count.

The sample inbox's drought story (4 outlets, each its own report) gets three wire republications of
one of its articles: 7 outlets, still 4 independent reports. The ferry story (5 outlets, 5 reports)
then ranks above it, where counting outlets put the drought story first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from e2e_support import REPO, FakeClock, answer, cli_ok
from fake_discord import FakeDiscord

from bot.news import NewsDesk, Story
from bot.news.ingest import IncomingArticle
from bot.runtime.client import StorydeskBot
from bot.runtime.jobs import LivePoster

REPUBLISHERS = ("Valley Wire Service", "Metro Daily Digest", "Coastal News Network")


def about(stories: list[Story], word: str) -> Story:
    return next(s for s in stories if word.casefold() in s.headline.casefold())


INTROS = (
    "Households across the region are being told to change how and when they use water, in a decision "
    "that officials say could last well into next year. Here is what was decided at the meeting.",
    "Gardeners, car washers and pool owners: the rules just changed. What follows is the wire account "
    "of Thursday's vote, which takes effect within days and has no end date yet.",
    "A dry autumn has turned into an emergency on paper. Our partners at the wire filed this report "
    "from the water authority's board room, where the measure passed after a long debate.",
)


async def republish(desk: NewsDesk, story_id: int) -> None:
    """Three outlets run one of the story's articles under an opening of their own (not a
    near-identical copy, which the clusterer already counts as no outlet at all)."""
    [source, *_] = await desk.story_articles(story_id)
    body = source.text.split("\n\n", 1)[-1]
    items = []
    for n, outlet in enumerate(REPUBLISHERS):
        text = f"{outlet} — {INTROS[n]}\n\n{body}"
        copy = source.model_copy(update={"outlet": outlet, "text": text, "url": f"https://copy{n}.example/a"})
        items.append(IncomingArticle(f"republished-{n}", copy))
    report = await desk.ingest_items(items)
    assert set(report.story_of.values()) == {story_id}


async def test_cards_lists_and_digests_count_independent_reports(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    stories = await desk.stories()
    drought, ferry = about(stories, "drought"), about(stories, "ferry")
    before = await answer(fake, await fake.slash("digest", [{"name": "hours", "type": 4, "value": 24}]))
    assert "Ferry" in before["embeds"][0]["fields"][0]["name"]  # 5 outlets vs the drought story's 4

    await republish(desk, drought.id)
    grown = await desk.story(drought.id)
    assert (len(grown.outlets), grown.independent_reports) == (7, 4)
    copies = [a for a in grown.articles if a.copy_of]
    assert {a.outlet for a in copies} == set(REPUBLISHERS) and all(a.copy_of != a.ref for a in copies)

    card = await answer(
        fake, await fake.slash("story", [{"name": "story", "type": 3, "value": str(drought.id)}])
    )
    field = next(f for f in card["embeds"][0]["fields"] if f["name"] == "Independent reports")
    assert field["value"].startswith("7 outlets, 4 independent reports")

    listed = await answer(fake, await fake.slash("stories", [{"name": "hours", "type": 10, "value": 9000}]))
    assert f"`{drought.id}`" in listed["embeds"][0]["description"]
    assert "7 outlets, 4 independent reports" in listed["embeds"][0]["description"]
    ranked = await answer(
        fake,
        await fake.slash(
            "stories",
            [{"name": "hours", "type": 10, "value": 9000}, {"name": "rank", "type": 3, "value": "reports"}],
        ),
    )
    text = ranked["embeds"][0]["description"]
    assert "most independent reports first" in ranked["embeds"][0]["title"]
    assert text.index(f"`{ferry.id}`") < text.index(f"`{drought.id}`")

    digest = await answer(fake, await fake.slash("digest", [{"name": "hours", "type": 4, "value": 24}]))
    fields = digest["embeds"][0]["fields"]
    mark = f"story:{drought.id}`"
    assert "Ferry" in fields[0]["name"] and any(mark in f["value"] for f in fields[1:])
    value = next(f["value"] for f in fields if mark in f["value"])
    assert "7 outlets, 4 independent reports" in value


async def test_live_card_shows_independent_reports(
    bot: StorydeskBot, fake: FakeDiscord, desk: NewsDesk, clock: FakeClock
) -> None:
    news = fake.channel("news").id
    opts = [{"name": "channel", "type": 7, "value": news}, {"name": "min_outlets", "type": 4, "value": 5}]
    await answer(fake, await fake.slash("live", [{"name": "start", "type": 1, "options": opts}]))
    clock.advance(minutes=5)
    await republish(desk, about(await desk.stories(), "drought").id)
    poster: LivePoster = bot.get_cog("LiveCog").poster  # type: ignore[union-attr]
    await poster.update()
    await fake.wait_until(lambda: bool(fake.posts_to(news)))
    [card] = fake.posts_to(news)
    assert card["embeds"][0]["description"].startswith("**Covered by 7 outlets, 4 independent reports:**")


def test_cli_json_carries_independent_reports(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"

    def run(*args: str) -> Any:
        return cli_ok(db, *args)

    run("ingest", str(REPO / "inbox"))
    stories = run("stories", "--json")
    assert stories and all(s["independent_reports"] == len(s["outlets"]) for s in stories)  # no copies there
    assert all("copy_of" in a for s in stories for a in s["articles"])
    items = run("digest", "--hours", "100000", "--json")["items"]
    assert items and all(i["independent_reports"] == i["outlet_count"] for i in items)
    ranked = run("stories", "--rank", "reports", "--json")
    keys = [(s["independent_reports"], len(s["outlets"])) for s in ranked]
    assert keys == sorted(keys, reverse=True) and sorted(s["id"] for s in ranked) == sorted(
        s["id"] for s in stories
    )
    assert "independent report(s)" in run("story", str(stories[0]["id"]))
