"""The speaker index: a row per word of each quote's speaker and article, written with the article."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.news.models import Quote
from bot.news.store._schema import articles, quote_speakers

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Titles and particles are words of a name as written, never the name itself.
_NOT_NAMES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "lord",
        "lady",
        "president",
        "minister",
        "secretary",
        "senator",
        "sen",
        "rep",
        "gov",
        "governor",
        "general",
        "gen",
        "the",
        "of",
        "and",
        "de",
        "la",
        "le",
        "van",
        "von",
        "der",
        "da",
        "al",
        "el",
        "jr",
        "sr",
    ]
)
MAX_TOKEN = 64


def speaker_tokens(name: str | None) -> set[str]:
    """The words that find a speaker: casefolded, accents off, titles and particles dropped."""
    if not name:
        return set()
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    words = {w.replace("’", "'")[:MAX_TOKEN] for w in _WORD.findall(plain)}
    return {w for w in words if len(w) >= 2 and w not in _NOT_NAMES}


def speaker_rows(article_id: int, quotes: Iterable[Quote], at: datetime) -> list[dict[str, Any]]:
    # Each speaker's words once: an article quotes the same few people again and again.
    speakers = {q.speaker for q in quotes if q.speaker}
    pairs = {(t, s) for s in speakers for t in speaker_tokens(s)}
    return [{"token": t, "speaker": s, "article_id": article_id, "at": at} for t, s in sorted(pairs)]


async def index_speakers(
    conn: AsyncConnection, article_id: int, quotes: Sequence[Quote], at: datetime
) -> None:
    """(Re)write one article's speaker words (inside the article's own write transaction)."""
    await conn.execute(quote_speakers.delete().where(quote_speakers.c.article_id == article_id))
    rows = speaker_rows(article_id, quotes, at)
    if rows:
        await conn.execute(quote_speakers.insert(), rows)


def backfill_speakers(conn: Connection) -> None:
    """Index the speakers of every stored article (the v4 migration)."""
    q = select(articles.c.id, articles.c.quotes, articles.c.published, articles.c.ingested_at)
    batch: list[dict[str, Any]] = []
    for row in conn.execute(q.execution_options(yield_per=500)):
        quotes = [Quote.model_validate(x) for x in json.loads(row.quotes or "[]")]
        batch += speaker_rows(row.id, quotes, row.published or row.ingested_at)
        if len(batch) >= 2000:
            conn.execute(quote_speakers.insert(), batch)
            batch = []
    if batch:
        conn.execute(quote_speakers.insert(), batch)
