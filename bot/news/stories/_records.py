"""The database records a placement changes: the article's story, the story summaries, the log.

Split out of `_keeper.py` (which runs the clusterer) to keep each file small. A placement that only
adds an article to a story (or starts one: a "plain" placement, nearly all of them) changes three
things: the article's row, its story's summary record and one change-log row. Inside a write batch
(`StoryRecords.gathering`, which the ingestor opens inside `Store.batch`) those are gathered and
written together when the batch ends: one statement per kind for the whole batch (executemany), and
each touched story's summary computed once from its members, however many articles it took. The
rows still commit in the batch's one transaction with the articles they belong to, so a kill loses
nothing stored and other processes read the log only once it is complete.

A placement that also merges, moves, retires or redates stored articles writes at once, as it
always did, after writing what was gathered so far: it reads and rewrites stored rows (`move_many`
reads the articles' old stories), so everything before it must be in the database first. The
gathered rows and log rows go in its own statements, and the gathered stories are summarised with
its own unless it merges or retires one of them (then as they stood before it). The records
committed are exactly those of writing each placement at once: a story's summary is a function of
its members at the time of its last refresh, and within a gathered run nothing changes a story's
members but the placements into it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.news.outlets import distinct_outlets
from bot.news.store import Store
from bot.news.stories._catchup import article_time
from bot.news.stories._clusterer import Assignment
from bot.news.stories._headline import clean_title, pick_headline
from bot.news.stories._terms import is_meaningful_title

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Member:
    """What counting a story's outlets needs from one of its articles."""

    ref: str
    outlet: str | None
    url: str | None
    syndicated_of: int | None


@dataclass
class _Gathered:
    """Plain placements not written yet, in placement order."""

    clusters: list[dict[str, object]] = field(default_factory=list)  # `set_clusters` rows
    logged: list[dict[str, object]] = field(default_factory=list)  # `story_log.record_many` rows
    touched: set[int] = field(default_factory=set)  # stories whose summary is due


class StoryRecords:
    """Writes placements and the story summaries they change (see the module docstring)."""

    def __init__(self, store: Store, writer: str) -> None:
        self.store = store
        self.writer = writer  # the name this process's change-log rows carry
        self._gathered: _Gathered | None = None

    @asynccontextmanager
    async def gathering(self) -> AsyncIterator[None]:
        """Gather plain placements until the block ends, then write them (in `Store.transaction`:
        open it inside `Store.batch`, so they commit with the batch). An exception drops them:
        the batch they belong to is being undone."""
        self._gathered = _Gathered()
        try:
            yield
            await self.flush()
        finally:
            self._gathered = None

    async def write(
        self, article_id: int, result: Assignment, story_time: datetime | None, touched: set[int]
    ) -> None:
        """Record one placement: gathered when plain and a gathering is open, else written now.
        `touched`: the stories whose summary it changed, as the clusterer stood right after it."""
        cluster: dict[str, object] = {
            "b_id": article_id,
            "b_story_id": result.story_id,
            "b_syndicated_of": result.syndicated_of,
            "b_features": result.features,
            "b_story_time": story_time,
        }
        plain = not (result.merged or result.moved or result.retired or result.redated)
        kind = self.store.story_log.PLACE if plain else self.store.story_log.REGROUP
        logged: dict[str, object] = {
            "article_id": article_id,
            "story_id": result.story_id,
            "kind": kind,
            "writer": self.writer,
            "stories": None,  # a regroup's changed stories, once written (below)
        }
        gathered = self._gathered
        if plain and gathered is not None:
            gathered.clusters.append(cluster)
            gathered.logged.append(logged)
            gathered.touched |= touched
            return
        # A regrouping reads stored rows: what was gathered before it is written first, in the
        # same statements as this placement's own row and log row (fewer round trips; the rows,
        # their order and the summaries are those of a flush followed by this placement).
        before = self._take()
        async with self.store.transaction() as conn:
            await self.store.articles.set_clusters([*before.clusters, cluster], conn=conn)
            ended = {s for pair in (*result.merged, *result.retired) for s in pair}
            later = before.touched
            if before.touched & ended:
                # A gathered story is merged or retired here: summarised as it stood before.
                await self.refresh(sorted(before.touched), conn=conn)
                later = set()
            # else this placement changes no gathered story but those it touches (refreshed after
            # it in any case): they are summarised once, with its own, after it.
            await self._regroup(result, touched, conn)
            await self.refresh(sorted(touched | later), conn=conn)
            # Every story an article left or entered: a catching-up process reads only these
            # stories' articles (every changed one is in one of them now), not every placed one.
            changed = touched | ended
            logged["stories"] = self.store.story_log.story_list(changed)
            # In the same transaction: other processes catch up from the log (stories/_catchup.py).
            await self.store.story_log.record_many([*before.logged, logged], conn=conn)

    async def _regroup(self, result: Assignment, touched: set[int], conn: AsyncConnection) -> None:
        """Write what a placement changed besides its own article (adds to `touched`)."""
        if result.redated and result.when is not None:
            # Undated files that this dated article shares passages with now have its time.
            await self.store.articles.set_story_time(result.redated, result.when, conn=conn)
        for absorbed, kept in result.merged:
            log.info("story %d merged into %d", absorbed, kept)
            await self.store.stories.merge(absorbed, kept, conn=conn)
        # Moves come after merges: their story ids are the live ones.
        old_stories = await self.store.articles.move_many(result.moved, conn=conn)
        for (moved_id, new_story), old_story in zip(result.moved, old_stories, strict=True):
            log.info("article %d moved from story %s to %d", moved_id, old_story, new_story)
            touched.add(new_story)
            if old_story is not None:
                touched.add(old_story)
        for retired, into in result.retired:
            # Emptied by a regrouping: its record now points where most of its articles went.
            log.info("story %d retired into %d", retired, into)
            await self.store.stories.merge(retired, into, conn=conn)
            touched.discard(retired)

    async def flush(self) -> None:
        """Write the gathered placements (nothing when none): rows, then summaries, then the log."""
        gathered = self._take()
        if not gathered.clusters:
            return
        async with self.store.transaction() as conn:
            await self.store.articles.set_clusters(gathered.clusters, conn=conn)
            await self.refresh(sorted(gathered.touched), conn=conn)
            await self.store.story_log.record_many(gathered.logged, conn=conn)

    def _take(self) -> _Gathered:
        """The placements gathered so far (none outside a gathering), leaving none gathered."""
        gathered = self._gathered
        if gathered is None:
            return _Gathered()
        self._gathered = _Gathered()
        return gathered

    async def refresh(self, story_ids: Sequence[int], conn: AsyncConnection | None = None) -> None:
        """Recompute the stored headline, times and counts of these stories (within `conn`, if given)."""
        if not story_ids:
            return
        by_story: dict[int, list[RowMapping]] = {}
        for r in await self.store.articles.story_members(story_ids, conn=conn):
            by_story.setdefault(int(r["story_id"]), []).append(r)
        records: list[dict[str, object]] = []
        for story_id in story_ids:
            rows = by_story.get(story_id)
            if not rows:
                continue
            titles = [(r["title"], "") for r in rows]
            if not any(t and is_meaningful_title(t) and clean_title(t) for t, _ in titles):
                # Only a story without usable titles is named from text: its first article's.
                first_text = await self.store.articles.text_of(int(rows[0]["id"]), conn=conn)
                titles[0] = (rows[0]["title"], first_text)
            members = [_Member(r["ref"], r["outlet"], r["url"], r["syndicated_of"]) for r in rows]
            times = [article_time(r["published"], r["ingested_at"], r["story_time"]) for r in rows]
            records.append(
                {
                    "id": story_id,
                    "headline": pick_headline(titles),
                    "first_seen": min(times),
                    "last_updated": max(times),
                    "article_count": len(rows),
                    "outlet_count": len(distinct_outlets(members)),
                }
            )
        if records:
            await self.store.stories.upsert_many(records, conn=conn)
