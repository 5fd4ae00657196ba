"""Who said it: the lookups `said` makes in the speaker index (`_speaker_index`).

A row per (speaker word, speaker, article): `said Hegseth` reads the few articles quoting a
Hegseth by an index range instead of parsing the quotes of every article.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.news.models import StoredArticle
from bot.news.store._articles import row_to_article, visible_to
from bot.news.store._schema import articles, quote_speakers, stories

_TOP = "\U0010ffff"  # above any character: [prefix, prefix + _TOP) is every word starting with prefix


class SpeakerRepo:
    """SQL for `said`: the articles quoting someone, and known speakers by the start of a word."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @staticmethod
    def _scoped(q: Select[Any], guild_id: int | None) -> Select[Any]:
        # Cheap scope for listings (the articles themselves are read through `visible_to`).
        if guild_id is None:
            return q
        owner = select(articles.c.guild_id).where(articles.c.id == quote_speakers.c.article_id)
        return q.where(or_(owner.scalar_subquery().is_(None), owner.scalar_subquery() == guild_id))

    async def words(self, prefix: str, limit: int = 500) -> list[str]:
        """Indexed speaker words starting with `prefix` (distinct: read from the index alone)."""
        t = quote_speakers.c.token
        q = select(t).distinct().where(t >= prefix, t < prefix + _TOP).order_by(t).limit(limit)
        async with self.engine.connect() as conn:
            return [str(r[0]) for r in (await conn.execute(q)).all()]

    async def names(self, prefix: str, *, guild_id: int | None, limit: int) -> list[tuple[str, int]]:
        """Speakers (as written) with a word starting with `prefix`, most quoted articles first."""
        t = quote_speakers.c.token
        n = func.count(quote_speakers.c.article_id.distinct())
        q = select(quote_speakers.c.speaker, n).group_by(quote_speakers.c.speaker)
        if prefix:
            q = q.where(t >= prefix, t < prefix + _TOP)
        q = self._scoped(q, guild_id).order_by(n.desc(), quote_speakers.c.speaker).limit(limit)
        async with self.engine.connect() as conn:
            return [(str(r[0]), int(r[1])) for r in (await conn.execute(q)).all()]

    async def quoting(
        self, words: Sequence[str], *, since: datetime | None, limit: int
    ) -> list[tuple[int, datetime, str]]:
        """(article id, date, speaker as written) of the articles quoting a speaker with one of
        `words` in the name, newest first, a row per speaker; from the index alone (no texts, no
        visibility yet: `stories_of` checks that for the few the caller keeps)."""
        if not words:
            return []
        qs = quote_speakers.c
        # Ordered by the indexed (token, at): the database stops after `limit` rows, sorting nothing.
        q = select(qs.article_id, qs.at, qs.speaker).where(qs.token.in_(list(words)))
        if since is not None:
            q = q.where(qs.at >= since)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q.order_by(qs.at.desc()).limit(limit))).all()
        return [(int(r[0]), r[1], str(r[2])) for r in rows]

    async def stories_of(self, ids: Sequence[int], guild_id: int | None) -> dict[int, int]:
        """Article id -> story id, for the articles among `ids` a server may see."""
        if not ids:
            return {}
        q = select(articles.c.id, articles.c.story_id).where(
            articles.c.id.in_(list(ids)), articles.c.story_id.is_not(None), visible_to(guild_id)
        )
        async with self.engine.connect() as conn:
            return {int(r[0]): int(r[1]) for r in (await conn.execute(q)).all()}

    async def articles(self, ids: Sequence[int]) -> list[tuple[StoredArticle, int, str, datetime]]:
        """(article, story id, story headline, when) of the articles with these ids (found by
        `quoting`, so visible): an article of a story merged away is given the story it went into;
        `when` is its date, else the time it took from its story, else its arrival."""
        if not ids:
            return []
        q = (
            select(articles, stories.c.headline.label("story_headline"), stories.c.merged_into)
            .join(stories, stories.c.id == articles.c.story_id)
            .where(articles.c.id.in_(list(ids)))
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(q)).mappings().all()
            merged = {int(r["merged_into"]) for r in rows if r["merged_into"] is not None}
            heads = await self._follow(conn, merged)
        out = []
        for r in rows:
            sid, head = int(r["story_id"]), str(r["story_headline"])
            if r["merged_into"] is not None:
                sid, head = heads.get(int(r["merged_into"]), (int(r["merged_into"]), head))
            when = r["published"] or r["story_time"] or r["ingested_at"]
            out.append((row_to_article(r), sid, head, when))
        return out

    @staticmethod
    async def _follow(conn: Any, story_ids: set[int]) -> dict[int, tuple[int, str]]:
        """story id -> (the story it ends up in, its headline), following merges."""
        found: dict[int, tuple[int, str]] = {}
        for start in story_ids:
            sid = start
            for _ in range(20):  # merges chain rarely; a bound keeps a broken chain harmless
                row = (
                    await conn.execute(
                        select(stories.c.headline, stories.c.merged_into).where(stories.c.id == sid)
                    )
                ).first()
                if row is None:
                    break
                if row[1] is None:
                    found[start] = (sid, str(row[0]))
                    break
                sid = int(row[1])
        return found
