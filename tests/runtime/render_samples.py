"""Oversized sample stories and digests for the rendering tests: long names, emoji, markdown, mentions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.news.models import Digest, DigestItem, DigestLink, Story, StoryArticle

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LONG = "Breaking: " + "very long headline with emoji 🚢🔥 and *stars* _under_ ~~tildes~~ " * 40
NASTY_URL = "https://example.com/a path/(x)<y>?q=[1]&r=`2`" + "/z" * 20


def outlets(n: int) -> list[str]:
    return [f"Outlet number {i} of the {'Very ' * 10}Long Name Gazette" for i in range(n)]


def story(n_outlets: int = 60) -> Story:
    names = outlets(n_outlets)
    arts = [
        StoryArticle(
            ref=f"r{i}", outlet=name, title=LONG, published=NOW, url=f"https://news{i}.example/{'x' * 200}"
        )
        for i, name in enumerate(names)
    ]
    return Story(id=7, headline=LONG, outlets=names, first_seen=NOW, last_updated=NOW, articles=arts)


def digest(n_items: int = 20, n_outlets: int = 60) -> Digest:
    items = [
        DigestItem(
            story_id=i,
            headline=LONG,
            summary=[LONG, "Second sentence @everyone <@&123> " * 30],
            outlets=[
                DigestLink(outlet=o, title=LONG, url=NASTY_URL, ref=f"r{j}")
                for j, o in enumerate(outlets(n_outlets))
            ],
            outlet_count=n_outlets,
            article_count=n_outlets * 2,
            first_seen=NOW,
            last_updated=NOW,
            score=1.0,
        )
        for i in range(n_items)
    ]
    return Digest(generated_at=NOW, since=NOW - timedelta(hours=24), until=NOW, items=items)
