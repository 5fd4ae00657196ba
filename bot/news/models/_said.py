"""Who said it: one person's statements across stories and outlets (`said`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from bot.news.models._story import QuoteOccurrence


class Statement(BaseModel):
    """One statement by the person, matched across the outlets of one story."""

    speaker: str
    text: str
    story_id: int
    story_headline: str
    outlets: list[str] = Field(default_factory=list)
    occurrences: list[QuoteOccurrence] = Field(default_factory=list)
    wording_differs: bool = False
    when: datetime  # the newest date (else arrival) of the articles carrying it


class SaidReport(BaseModel):
    """Every statement found for a name, newest first."""

    query: str
    speakers: list[str] = Field(default_factory=list)  # the names matched, most quoted first
    since: datetime | None = None
    statements: list[Statement] = Field(default_factory=list)
    stories: int = 0  # how many stories the statements come from (when cut: that may hold some)
    truncated: bool = False  # more statements exist than were returned
