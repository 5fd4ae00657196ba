"""The engine's data objects (pydantic): what the CLI prints as JSON and the cogs render."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

DocKind = Literal["text", "html", "markdown"]


class Quote(BaseModel):
    """A direct quotation found in an article's cleaned text."""

    text: str
    speaker: str | None = None
    cue: str | None = None
    start: int  # character offsets into the cleaned article text
    end: int


class ExtractedArticle(BaseModel):
    """A cleaned, described article: what `storydesk extract` prints."""

    title: str | None = None
    outlet: str | None = None
    byline: list[str] = Field(default_factory=list)
    published: datetime | None = None
    url: str | None = None
    language: str | None = None
    text: str
    quotes: list[Quote] = Field(default_factory=list)


class StoredArticle(ExtractedArticle):
    """An article as kept in the database."""

    id: int
    ref: str
    version: int = 1
    content_hash: str
    ingested_at: datetime
    story_id: int | None = None
    syndicated_of: int | None = None  # article id this one is a near-copy of
    guild_id: int | None = None  # None: shared source; else private to that server
    feed_id: int | None = None


class StoryArticle(BaseModel):
    """One article as listed inside a story."""

    ref: str
    outlet: str | None = None
    title: str | None = None
    published: datetime | None = None
    url: str | None = None
    syndicated_of: str | None = None  # ref of the article this one copies
    copy_of: str | None = None  # ref of another outlet's report this one repeats (independent voices)


class Story(BaseModel):
    """A real-world event covered by one or more outlets."""

    id: int
    headline: str
    outlets: list[str] = Field(default_factory=list)
    first_seen: datetime
    last_updated: datetime
    articles: list[StoryArticle] = Field(default_factory=list)
    merged_into: int | None = None
    # Reports after wire copies and republications collapse into what they copy (None: not counted).
    independent_reports: int | None = None


class QuoteOccurrence(BaseModel):
    """Where one outlet carried a quote, in its own wording."""

    ref: str
    outlet: str | None = None
    text: str
    speaker_as_written: str | None = None
    diff: list[tuple[str, str]] = Field(default_factory=list)  # (op, words): op in =,+,-


class QuoteGroup(BaseModel):
    """One statement, matched across the outlets that quoted it."""

    speaker: str | None = None
    text: str
    outlets: list[str] = Field(default_factory=list)
    occurrences: list[QuoteOccurrence] = Field(default_factory=list)
    wording_differs: bool = False
    translation_of: int | None = None  # index of a group this one is a translation of
    credits: dict[str, list[str]] = Field(default_factory=dict)  # speaker -> outlets crediting them
    credits_differ: bool = False  # outlets credit the same words to different people


class Point(BaseModel):
    """A statement of fact taken from one article's sentence."""

    text: str
    outlets: list[str] = Field(default_factory=list)
    refs: list[str] = Field(default_factory=list)


class OutletReport(BaseModel):
    """What one outlet's article in a story says."""

    outlet: str
    ref: str
    headline: str | None = None
    words: int
    published: datetime | None = None
    speakers: list[str] = Field(default_factory=list)
    unique_points: list[Point] = Field(default_factory=list)


class NumberValue(BaseModel):
    """A number as one outlet reported it."""

    outlet: str
    value: str
    text: str  # the source sentence
    ref: str | None = None
    normalized: float | None = None
    unit: str | None = None
    low: float | None = None  # the range the wording allows ("more than 40": 40 and up)
    high: float | None = None
    published: datetime | None = None
    attributed_to: str | None = None  # "police", when the sentence says who gives the figure


class NumberComparison(BaseModel):
    """Outlets' numbers about one quantity: agreeing or disagreeing."""

    about: str
    values: list[NumberValue] = Field(default_factory=list)
    kind: str | None = None  # count, age, time, distance, money, percent, duration, ...
    counts: str | None = None  # what is counted: "killed", "shots", a person's age
    developing: bool = False  # a toll that rose as reports came in, not a contradiction
    development: str | None = None  # "killed: 3 → 8 → 15 as reports came in; ..."


class Comparison(BaseModel):
    """A side-by-side of how each outlet told a story."""

    story: Story
    outlets: list[OutletReport] = Field(default_factory=list)
    shared_points: list[Point] = Field(default_factory=list)
    discrepancies: list[NumberComparison] = Field(default_factory=list)
    agreements: list[NumberComparison] = Field(default_factory=list)
    first_published: OutletReport | None = None


class DigestLink(BaseModel):
    """An outlet's article as linked from a digest item."""

    outlet: str
    title: str | None = None
    url: str | None = None
    ref: str


class StoryChanges(BaseModel):
    """What changed in a story since a channel last saw it (a delta digest's entry)."""

    seen_at: datetime  # when the channel last saw the story
    articles_before: int
    new_outlets: list[str] = Field(default_factory=list)
    new_quotes: list[QuoteGroup] = Field(default_factory=list)
    figures: list[str] = Field(default_factory=list)  # "killed: 8 → 15; one outlet still says 8"
    new_points: list[Point] = Field(default_factory=list)  # new points only one outlet has

    @property
    def empty(self) -> bool:
        return not (self.new_outlets or self.new_quotes or self.figures or self.new_points)


class DigestItem(BaseModel):
    """One story in a digest."""

    story_id: int
    headline: str
    summary: list[str] = Field(default_factory=list)
    outlets: list[DigestLink] = Field(default_factory=list)
    outlet_count: int
    article_count: int
    first_seen: datetime
    last_updated: datetime
    score: float
    independent_reports: int | None = None  # wire copies and republications counted once
    changes: StoryChanges | None = None  # set when the channel saw the story before: show only these


class Digest(BaseModel):
    """The top stories of a period."""

    generated_at: datetime
    since: datetime
    until: datetime
    items: list[DigestItem] = Field(default_factory=list)
