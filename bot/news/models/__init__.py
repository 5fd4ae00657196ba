"""The engine's data objects (pydantic): what the CLI prints as JSON and the cogs render."""

from __future__ import annotations

from bot.news.models._feed import (
    EntryState,
    Feed,
    FeedOrigin,
    FeedPollResult,
    PollReport,
)
from bot.news.models._said import SaidReport, Statement
from bot.news.models._story import (
    Comparison,
    Digest,
    DigestItem,
    DigestLink,
    DocKind,
    ExtractedArticle,
    NumberComparison,
    NumberValue,
    OutletReport,
    Point,
    Quote,
    QuoteGroup,
    QuoteOccurrence,
    StoredArticle,
    Story,
    StoryArticle,
    StoryChanges,
)

__all__ = [
    "Comparison",
    "Digest",
    "DigestItem",
    "DigestLink",
    "DocKind",
    "EntryState",
    "ExtractedArticle",
    "Feed",
    "FeedOrigin",
    "FeedPollResult",
    "NumberComparison",
    "NumberValue",
    "OutletReport",
    "Point",
    "PollReport",
    "Quote",
    "QuoteGroup",
    "QuoteOccurrence",
    "SaidReport",
    "Statement",
    "StoredArticle",
    "Story",
    "StoryArticle",
    "StoryChanges",
]
