"""Quotes: extraction with speakers on every article, and grouping them across a story's outlets."""

from __future__ import annotations

from bot.news.quotes._evaluate import QuoteScores
from bot.news.quotes._evaluate import score as score_quotes
from bot.news.quotes._grouping import QuoteSource, extract_quotes, group_quotes
from bot.news.quotes._speakers import SpeakerIndex, person_part

__all__ = [
    "QuoteScores",
    "QuoteSource",
    "SpeakerIndex",
    "extract_quotes",
    "group_quotes",
    "person_part",
    "score_quotes",
]
