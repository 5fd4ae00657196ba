"""Digest ranking and filtering through the real service (arrival time, previous digests, keywords)."""

from __future__ import annotations

import random

from bot.news.desk import NewsDesk
from bot.news.ingest import IncomingArticle
from bot.news.models import ExtractedArticle
from tests.clock import FakeClock

TOPICS = [
    "zebra crossing",
    "harbour dredging",
    "orchard frost",
    "library fines",
    "tram timetable",
    "stadium roof",
    "glacier melt",
    "bakery strike",
    "chess tournament",
    "solar farm",
    "museum theft",
    "vaccine trial",
    "river flooding",
    "airport runway",
    "school lunches",
]


def _vocab(topic: str) -> list[str]:
    # Made-up words private to each topic: stories stay apart the way real events do.
    rng = random.Random(topic)
    syllables = ["ka", "lo", "mi", "tre", "vas", "to", "ri", "nel", "qua", "dor", "pe", "zu", "bran", "ol"]
    return ["".join(rng.choice(syllables) for _ in range(3)) for _ in range(30)]


def _article(topic: str, outlet: str, n: int) -> ExtractedArticle:
    rng = random.Random(f"{topic}-{n}")
    place = f"{topic.split()[0].title()}ville"
    vocab = _vocab(topic)
    sentences = [
        f"In {place}, the {topic} row continues: " + " ".join(rng.sample(vocab, 12)) + "." for _ in range(4)
    ]
    return ExtractedArticle(
        title=f"{place} pushes ahead with {topic}", outlet=outlet, text="\n\n".join(sentences)
    )


async def _add(desk: NewsDesk, topic: str, outlets: list[str]) -> None:
    items = [IncomingArticle(f"{topic}-{o}", _article(topic, o, i)) for i, o in enumerate(outlets)]
    await desk.ingest_items(items)


async def test_ranking_previous_and_keywords(desk: NewsDesk, clock: FakeClock) -> None:
    for topic in TOPICS[1:]:
        await _add(desk, topic, ["Solo Times"])
    await _add(desk, TOPICS[0], ["Alpha Post", "Beta News", "Gamma Wire"])
    clock.advance(minutes=5)
    d = await desk.digest(hours=1, max_stories=3)
    assert len(d.items) == 3
    assert d.items[0].headline.endswith("zebra crossing") and d.items[0].outlet_count == 3
    texts = [a.text for a in await desk.articles()]
    assert 1 <= len(d.items[0].summary) <= 2
    assert all(any(sentence in t for t in texts) for sentence in d.items[0].summary)  # extractive
    # A story already in the channel's previous digest comes back only when it has grown.
    prev = {d.items[0].story_id: d.items[0].article_count}
    d2 = await desk.digest(hours=1, max_stories=3, previous=prev)
    assert d.items[0].story_id not in [i.story_id for i in d2.items]
    await desk.ingest_items([IncomingArticle("zebra-delta", _article(TOPICS[0], "Delta Daily", 9))])
    d3 = await desk.digest(hours=1, max_stories=3, previous=prev)
    assert d3.items[0].story_id == d.items[0].story_id and d3.items[0].outlet_count == 4
    # Keywords and min_outlets narrow it; the period counts arrival, not publication.
    only = await desk.digest(hours=1, max_stories=5, keywords=["glacier"])
    assert [i.headline for i in only.items] == ["Glacierville pushes ahead with glacier melt"]
    assert [i.outlet_count for i in (await desk.digest(hours=1, min_outlets=2)).items] == [4]
    clock.advance(hours=3)
    assert (await desk.digest(hours=1)).items == []


async def test_story_listing_query_and_limit(desk: NewsDesk) -> None:
    for topic in TOPICS[:6]:
        await _add(desk, topic, ["Solo Times"])
    assert len(await desk.stories(limit=4)) == 4
    found = await desk.stories(query="FROST")
    assert [s.headline for s in found] == ["Orchardville pushes ahead with orchard frost"]
    assert await desk.stories(query="100%_") == []
    heads = await desk.story_headlines(query="tram")
    assert [h[1] for h in heads] == ["Tramville pushes ahead with tram timetable"]
