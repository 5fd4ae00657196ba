"""Digests: rank the stories that moved in a period and describe each in a few lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from datetime import datetime

from bot.news.compare import headline_with_disputes, summarize_story
from bot.news.models import Digest, DigestItem, DigestLink, StoredArticle, Story
from bot.news.outlets import outlet_label

RECENCY_HALF_LIFE_HOURS = 12.0


def matches_keywords(story: Story, articles: Sequence[StoredArticle], keywords: Sequence[str]) -> bool:
    """True when any keyword occurs in the story's headline, titles or texts (no keywords: True)."""
    if not keywords:
        return True
    hay = " ".join(
        [story.headline, *(a.title or "" for a in articles), *(a.text for a in articles)]
    ).casefold()
    return any(k.casefold().strip() in hay for k in keywords if k.strip())


def score_story(outlets: int, articles: int, last_arrival: datetime, now: datetime) -> float:
    """Distinct outlets count most; more copies count a little; fresher stories rank higher."""
    age_h = max(0.0, (now - last_arrival).total_seconds() / 3600)
    recency = 0.5 ** (age_h / RECENCY_HALF_LIFE_HOURS)
    return float(round((outlets + 0.25 * max(0, articles - outlets)) * (0.5 + 0.5 * recency), 4))


def _links(story: Story, articles: Sequence[StoredArticle]) -> list[DigestLink]:
    links: dict[str, DigestLink] = {}
    for a in sorted(articles, key=lambda a: (a.syndicated_of is not None, a.id)):
        name = outlet_label(a)
        links.setdefault(name.casefold(), DigestLink(outlet=name, title=a.title, url=a.url, ref=a.ref))
    order = {o.casefold(): i for i, o in enumerate(story.outlets)}
    return sorted(links.values(), key=lambda link: order.get(link.outlet.casefold(), len(order)))


def digest_item(
    story: Story,
    articles: Sequence[StoredArticle],
    *,
    since: datetime,
    until: datetime,
    min_outlets: int = 1,
    keywords: Sequence[str] = (),
    previous: Mapping[int, int] | None = None,
    held_back: Set[int] = frozenset(),
) -> DigestItem | None:
    """The story as a digest item (no summary yet), or None when it does not belong in the digest.

    `previous` maps story id -> article count in this channel's previous digest: such a story
    comes back only if it has grown since. Articles in `held_back` (a new feed's back catalogue)
    do not count as news that arrived.
    """
    arrived = [a for a in articles if since <= a.ingested_at <= until and a.id not in held_back]
    if not arrived or len(story.outlets) < min_outlets:
        return None
    if previous and story.id in previous and len(articles) <= previous[story.id]:
        return None
    if not matches_keywords(story, articles, keywords):
        return None
    last_arrival = max(a.ingested_at for a in arrived)
    # Ranked by independent reports: ten outlets running one wire story are one report.
    voices = min(story.independent_reports or len(story.outlets), len(story.outlets))
    return DigestItem(
        story_id=story.id,
        headline=headline_with_disputes(story.headline, articles),
        summary=[],
        outlets=_links(story, articles),
        outlet_count=len(story.outlets),
        article_count=len(articles),
        first_seen=story.first_seen,
        last_updated=story.last_updated,
        score=score_story(voices, len(articles), last_arrival, until),
        independent_reports=story.independent_reports,
    )


def rank_items(items: Sequence[DigestItem]) -> list[DigestItem]:
    """Best first: score, then more outlets, then the most recently updated."""
    return sorted(items, key=lambda i: (-i.score, -i.outlet_count, -i.last_updated.timestamp(), i.story_id))


def build_digest(
    candidates: Sequence[tuple[Story, list[StoredArticle]]],
    *,
    since: datetime,
    until: datetime,
    max_stories: int,
    min_outlets: int = 1,
    keywords: Sequence[str] = (),
    previous: Mapping[int, int] | None = None,
    held_back: Set[int] = frozenset(),
) -> Digest:
    """The top stories among `candidates` whose articles arrived in [since, until], summarised."""
    by_id = {story.id: articles for story, articles in candidates}
    items = [
        item
        for story, articles in candidates
        if (
            item := digest_item(
                story,
                articles,
                since=since,
                until=until,
                min_outlets=min_outlets,
                keywords=keywords,
                previous=previous,
                held_back=held_back,
            )
        )
    ]
    top = rank_items(items)[:max_stories]
    for item in top:  # summaries only for the stories that made the cut: they cost the most
        item.summary = summarize_story(by_id[item.story_id], sentences=2)
    return Digest(generated_at=until, since=since, until=until, items=top)
