"""A stored story and its articles as the engine's `Story` (what readers of a story get)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import RowMapping

from bot.news.models import StoredArticle, Story, StoryArticle
from bot.news.outlets import distinct_outlets
from bot.news.stories._catchup import article_time
from bot.news.stories._voices import VoiceCounter


def to_story(row: RowMapping, arts: Sequence[StoredArticle], voices: VoiceCounter | None = None) -> Story:
    """A story record and its articles as the engine's `Story`."""
    ref_of = {a.id: a.ref for a in arts}
    ordered = sorted(arts, key=lambda a: (article_time(a.published, a.ingested_at), a.id))
    counted = (voices or VoiceCounter(0)).count(ordered)
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
                copy_of=counted.copy_of.get(a.ref),
            )
            for a in ordered
        ],
        independent_reports=counted.count,
    )
