"""A story as a channel saw it, and what changed since: new outlets, quotes, figures, points.

A snapshot keeps keys, not texts to show: outlets, the words of every quote occurrence, every
point's sentence and each figure's values. What is new is what none of those keys held.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, Field

from bot.news.compare import compare_story
from bot.news.models import Comparison, Point, QuoteGroup, StoredArticle, Story, StoryChanges
from bot.news.outlets import outlet_label
from bot.news.quotes import QuoteSource, extract_quotes, group_quotes
from bot.news.watch._figures import FigureSeen, figure_moves, figure_states, new_figures

MAX_QUOTES = 3
MAX_POINTS = 3
_KEY_CHARS = 160


def text_key(text: str) -> str:
    """Words, case-folded, without punctuation at their ends: the same sentence however quoted."""
    words = (w.strip(".,;:!?\"'“”‘’()[]—–-").casefold() for w in text.split())
    return " ".join(w for w in words if w)[:_KEY_CHARS]


class StorySnapshot(BaseModel):
    """What a channel was shown of a story (stored as JSON in `channel_seen`)."""

    article_count: int
    outlets: list[str] = Field(default_factory=list)
    quotes: list[str] = Field(default_factory=list)  # text keys of every quote occurrence
    points: list[str] = Field(default_factory=list)  # text keys of shared and unique points
    refs: list[str] = Field(default_factory=list)  # the articles it held
    figures: dict[str, FigureSeen] = Field(default_factory=dict)


class StoryReading(BaseModel):
    """A story compared and its quotes grouped: everything a snapshot or a delta needs."""

    snapshot: StorySnapshot
    comparison: Comparison
    quotes: list[QuoteGroup]


def read_story(story: Story, articles: Sequence[StoredArticle], *, quotes: bool = True) -> StoryReading:
    """Compare the story and group its quotes unless `quotes` is False (figure watch needs none).
    CPU-heavy: call it off the event loop."""
    comparison = compare_story(story, articles)
    # As compare does: an article stored without its quotes has them read now.
    sources = [
        QuoteSource(a.ref, outlet_label(a), a.text, a.quotes or extract_quotes(a.text), a.published)
        for a in articles
    ]
    groups = group_quotes(sources, None) if quotes else []
    points = [p.text for p in comparison.shared_points]
    points += [p.text for o in comparison.outlets for p in o.unique_points]
    snapshot = StorySnapshot(
        article_count=len(articles),
        outlets=sorted({o.outlet for o in comparison.outlets}, key=str.casefold),
        quotes=sorted({text_key(o.text) for g in groups for o in g.occurrences}),
        points=sorted({text_key(t) for t in points}),
        refs=sorted(a.ref for a in articles),
        figures=figure_states(comparison),
    )
    return StoryReading(snapshot=snapshot, comparison=comparison, quotes=groups)


def _new_quotes(before: StorySnapshot, groups: Sequence[QuoteGroup]) -> list[QuoteGroup]:
    seen = set(before.quotes)
    fresh = [g for g in groups if not any(text_key(o.text) in seen for o in g.occurrences)]
    fresh.sort(key=lambda g: (-len(g.outlets), g.speaker is None))  # carried widely and credited first
    return [g.model_copy(update={"occurrences": []}) for g in fresh[:MAX_QUOTES]]


def _new_points(before: StorySnapshot, comparison: Comparison, quotes: Sequence[QuoteGroup]) -> list[Point]:
    """Points only one outlet has, from articles the channel has not seen (an old article's point
    that stopped being shared is not news), leaving out the new quotes already shown."""
    seen, old_refs = set(before.points), set(before.refs)
    quoted = [text_key(q.text)[:40] for q in quotes]
    fresh = [
        p
        for o in comparison.outlets
        for p in o.unique_points
        if text_key(p.text) not in seen
        and not old_refs.intersection(p.refs)
        and not any(q and q in text_key(p.text) for q in quoted)
    ]
    return fresh[:MAX_POINTS]


def changes_since(before: StorySnapshot, now: StoryReading, seen_at: datetime) -> StoryChanges:
    """What the channel has not seen: outlets, quotes, figures that moved or appeared, unique points."""
    known = {o.casefold() for o in before.outlets}
    figures = figure_moves(before.figures, now.snapshot.figures)
    figures += new_figures(before.figures, now.snapshot.figures)
    quotes = _new_quotes(before, now.quotes)
    return StoryChanges(
        seen_at=seen_at,
        articles_before=before.article_count,
        new_outlets=[o for o in now.snapshot.outlets if o.casefold() not in known],
        new_quotes=quotes,
        figures=figures,
        new_points=_new_points(before, now.comparison, quotes),
    )
