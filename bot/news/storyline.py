"""Keeps stories in the database in step with the clusterer, and reads them back as `Story`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.engine import RowMapping

from bot.news.errors import NotFound
from bot.news.models import ExtractedArticle, StoredArticle, Story, StoryArticle
from bot.news.outlets import distinct_outlets
from bot.news.settings import ClusteringSettings
from bot.news.store import Store
from bot.news.stories import ClusterDoc, StoryClusterer, pick_headline

log = logging.getLogger(__name__)


def article_time(published: datetime | None, ingested_at: datetime) -> datetime:
    """When an article happened, for clustering: its date, else when it arrived."""
    return published or ingested_at


class StoryKeeper:
    """The clusterer plus the story records it implies."""

    def __init__(self, store: Store, settings: ClusteringSettings) -> None:
        self.store = store
        self.settings = settings
        self._clusterer: StoryClusterer | None = None
        self._known_articles = 0

    async def _ready(self) -> StoryClusterer:
        # Another process (a second worker on PostgreSQL, a CLI run beside the bot) may have
        # placed articles since we built the index: rebuild when the stored count moved.
        rows = None
        stored = await self.store.articles.count()
        if self._clusterer is None or stored != self._known_articles:
            rows = await self.store.articles.cluster_state()
        if rows is not None:
            clusterer = StoryClusterer(self.settings)
            docs = [
                (
                    ClusterDoc(
                        article_id=r["id"],
                        title=r["title"],
                        text=r["text"],
                        outlet=r["outlet"],
                        when=article_time(r["published"], r["ingested_at"]),
                    ),
                    int(r["story_id"]),
                    r["syndicated_of"],
                    r["cluster_features"],
                )
                for r in rows
            ]
            # Never hand out an id again, not even one a merge retired.
            next_id = await self.store.stories.max_id() + 1
            await asyncio.to_thread(clusterer.restore, docs, next_id)
            self._clusterer = clusterer
            self._known_articles = stored
        assert self._clusterer is not None
        return self._clusterer

    async def place(self, article_id: int, article: ExtractedArticle, now: datetime) -> int:
        """Put a newly stored article into a story; returns the story id."""
        clusterer = await self._ready()
        doc = ClusterDoc(
            article_id=article_id,
            title=article.title,
            text=article.text,
            outlet=article.outlet,
            when=article_time(article.published, now),
        )
        result = await asyncio.to_thread(clusterer.assign, doc)
        self._known_articles += 1
        await self.store.articles.set_cluster(
            article_id, result.story_id, result.syndicated_of, result.features
        )
        for absorbed, kept in result.merged:
            log.info("story %d merged into %d", absorbed, kept)
            await self.store.stories.merge(absorbed, kept)
        touched = {result.story_id}
        # Moves come after merges: their story ids are the live ones.
        for moved_id, new_story in result.moved:
            old_story = await self.store.articles.move(moved_id, new_story)
            log.info("article %d moved from story %s to %d", moved_id, old_story, new_story)
            touched.add(new_story)
            if old_story is not None:
                touched.add(old_story)
        await self.refresh(sorted(touched))
        return result.story_id

    async def refresh(self, story_ids: Sequence[int]) -> None:
        """Recompute the stored headline, times and counts of these stories."""
        for story_id in story_ids:
            arts = await self.store.articles.list(story_ids=[story_id])
            if not arts:
                continue
            headline = pick_headline([(a.title, a.text) for a in arts])
            times = [article_time(a.published, a.ingested_at) for a in arts]
            await self.store.stories.upsert(
                story_id,
                headline,
                first_seen=min(times),
                last_updated=max(times),
                article_count=len(arts),
                outlet_count=len(distinct_outlets(arts)),
            )

    async def resolve_id(self, story_id: int) -> int:
        """Follow merges to the live story id; NotFound if there is none."""
        for _ in range(100):
            row = await self.store.stories.get(story_id)
            if row is None:
                raise NotFound(f"There is no story {story_id}.")
            if row["merged_into"] is None:
                return story_id
            story_id = int(row["merged_into"])
        raise NotFound(f"There is no story {story_id}.")

    async def load(self, story_id: int, guild_id: int | None) -> tuple[Story, list[StoredArticle]]:
        """A story and its articles as `guild_id` may see them (None: everything)."""
        live_id = await self.resolve_id(story_id)
        arts = await self.store.articles.list(story_ids=[live_id], guild_id=guild_id)
        row = await self.store.stories.get(live_id)
        if not arts or row is None:
            raise NotFound(f"There is no story {story_id}.")
        return to_story(row, arts), arts

    async def load_many(
        self, rows: Sequence[RowMapping], guild_id: int | None
    ) -> list[tuple[Story, list[StoredArticle]]]:
        """Stories for these rows with their visible articles, in the rows' order."""
        ids = [int(r["id"]) for r in rows]
        arts = await self.store.articles.list(story_ids=ids, guild_id=guild_id)
        by_story: dict[int, list[StoredArticle]] = {}
        for a in arts:
            assert a.story_id is not None
            by_story.setdefault(a.story_id, []).append(a)
        return [
            (to_story(r, by_story[int(r["id"])]), by_story[int(r["id"])])
            for r in rows
            if int(r["id"]) in by_story
        ]


def to_story(row: RowMapping, arts: Sequence[StoredArticle]) -> Story:
    """A story record and its articles as the engine's `Story`."""
    ref_of = {a.id: a.ref for a in arts}
    ordered = sorted(arts, key=lambda a: (article_time(a.published, a.ingested_at), a.id))
    return Story(
        id=int(row["id"]),
        headline=str(row["headline"]),
        outlets=distinct_outlets(ordered),
        first_seen=row["first_seen"],
        last_updated=row["last_updated"],
        articles=[
            StoryArticle(
                ref=a.ref,
                outlet=a.outlet,
                title=a.title,
                published=a.published,
                url=a.url,
                syndicated_of=ref_of.get(a.syndicated_of) if a.syndicated_of else None,
            )
            for a in ordered
        ],
    )
