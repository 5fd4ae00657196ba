"""Story filters: include and exclude words and outlets, for digests, schedules and live boards.

Written as users type them: `include:"ukraine, nato, outlet:Reuters" exclude:"sport"`. An entry
`outlet:NAME` (or `source:NAME`) names an outlet, anything else is a word. Words match at the start
of a word ("sport" finds "sports" and "Sporting", never "transport").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from bot.news.errors import BadArgument
from bot.news.models import StoredArticle, Story
from bot.news.outlets import outlet_label

__all__ = ["MAX_FILTER_ENTRIES", "StoryFilter", "parse_filter"]

MAX_FILTER_ENTRIES = 20
_OUTLET_PREFIXES = ("outlet:", "source:")
LEDE_CHARS = 400  # an excluded word counts in headlines, titles and each article's opening only


class StoryFilter(BaseModel):
    """What a story must mention (or be covered by) and what keeps it out."""

    model_config = ConfigDict(frozen=True)

    include: list[str] = Field(default_factory=list)  # words: the story mentions at least one
    exclude: list[str] = Field(default_factory=list)  # words: a story that leads with one is left out
    include_outlets: list[str] = Field(default_factory=list)  # covered by at least one of these
    exclude_outlets: list[str] = Field(default_factory=list)  # their articles do not count

    @property
    def empty(self) -> bool:
        return not (self.include or self.exclude or self.include_outlets or self.exclude_outlets)

    def describe(self) -> str:
        """'include ukraine, nato, outlet:Reuters · exclude sport' (empty: '')."""
        inc = [*self.include, *(f"outlet:{o}" for o in self.include_outlets)]
        exc = [*self.exclude, *(f"outlet:{o}" for o in self.exclude_outlets)]
        parts = [f"include {', '.join(inc)}" if inc else "", f"exclude {', '.join(exc)}" if exc else ""]
        return " · ".join(p for p in parts if p)

    def apply(self, story: Story, articles: Sequence[StoredArticle]) -> list[StoredArticle] | None:
        """The articles that count for this story, or None when the filter leaves the story out."""
        kept = [a for a in articles if not _outlet_in(a, self.exclude_outlets)]
        if not kept and articles:
            return None
        if self.include_outlets and not any(_outlet_in(a, self.include_outlets) for a in kept):
            return None
        if self.include and not _mentions(_full_text(story, kept), self.include):
            return None
        if self.exclude and _mentions(_lead_text(story, kept), self.exclude):
            return None
        return kept

    def admits(self, story: Story, articles: Sequence[StoredArticle]) -> bool:
        return self.apply(story, articles) is not None


def _outlet_in(article: StoredArticle, names: Sequence[str]) -> bool:
    label = outlet_label(article).casefold()
    return any(n.casefold() in label for n in names)


def _full_text(story: Story, articles: Sequence[StoredArticle]) -> str:
    return " ".join([story.headline, *(a.title or "" for a in articles), *(a.text for a in articles)])


def _lead_text(story: Story, articles: Sequence[StoredArticle]) -> str:
    ledes = (a.text[:LEDE_CHARS] for a in articles)
    return " ".join([story.headline, *(a.title or "" for a in articles), *ledes])


def _mentions(text: str, words: Iterable[str]) -> bool:
    pattern = "|".join(re.escape(w) for w in words if w)
    return bool(pattern) and re.search(rf"(?<!\w)(?:{pattern})", text, re.IGNORECASE) is not None


def _entries(raw: str | Sequence[str] | None) -> list[str]:
    parts = raw.split(",") if isinstance(raw, str) else [p for r in raw or [] for p in r.split(",")]
    seen: dict[str, str] = {}
    for part in parts:
        entry = " ".join(part.split()).strip("\"'")
        if entry:
            seen.setdefault(entry.casefold(), entry[:80])
    return list(seen.values())


def _split(entries: list[str]) -> tuple[list[str], list[str]]:
    words: list[str] = []
    outlets: list[str] = []
    for entry in entries:
        low = entry.casefold()
        prefix = next((p for p in _OUTLET_PREFIXES if low.startswith(p)), None)
        if prefix is None:
            words.append(entry)
        elif name := entry[len(prefix) :].strip():
            outlets.append(name)
    return words, outlets


def parse_filter(include: str | Sequence[str] | None, exclude: str | Sequence[str] | None) -> StoryFilter:
    """A filter from comma-separated entries; BadArgument when there are too many."""
    inc, exc = _entries(include), _entries(exclude)
    if len(inc) + len(exc) > MAX_FILTER_ENTRIES:
        raise BadArgument(f"At most {MAX_FILTER_ENTRIES} include and exclude entries, please.")
    words_in, outlets_in = _split(inc)
    words_out, outlets_out = _split(exc)
    return StoryFilter(
        include=words_in, exclude=words_out, include_outlets=outlets_in, exclude_outlets=outlets_out
    )
