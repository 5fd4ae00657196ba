"""Quotes: extraction with speakers on every article, and matching them across a story's outlets.

The work is split by responsibility in this package and `bot.news.text`; this module is
the interface the service calls.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.news.models import Quote, QuoteGroup
from bot.news.quotes._extract import extract_quotes
from bot.news.quotes._matching import build_items, cluster, link_translations, to_models
from bot.news.quotes._speakers import SpeakerIndex

__all__ = ["QuoteSource", "extract_quotes", "group_quotes"]

log = logging.getLogger(__name__)


@dataclass
class QuoteSource:
    """One article's quotes, as `group_quotes` needs them."""

    ref: str
    outlet: str | None
    text: str
    quotes: list[Quote]
    published: datetime | None = None


def group_quotes(sources: Sequence[QuoteSource], speaker: str | None = None) -> list[QuoteGroup]:
    """Match the quotes of a story's articles into groups, one per statement, most-quoted first.

    Speakers are made story-wide ("Zelenskyy" and "Volodymyr Zelensky" are one); `speaker` keeps
    only the groups of the speaker it names (typos and other spellings allowed).
    """
    index = SpeakerIndex(q.speaker for s in sources for q in s.quotes if q.speaker)
    items = build_items([(s.ref, s.outlet, s.text, s.quotes, s.published) for s in sources], index)
    groups = cluster(items)
    links = link_translations(groups)
    models = _without_lone_fragments(to_models(groups, links))
    log.debug("grouped %d quotes of %d sources into %d groups", len(items), len(sources), len(models))
    if speaker is None:
        return models
    kept = [n for n, g in enumerate(models) if index.matches(speaker, g.speaker)]
    renumber = {old: new for new, old in enumerate(kept)}
    out = []
    for n in kept:
        group = models[n]
        link = group.translation_of
        out.append(
            group.model_copy(update={"translation_of": renumber.get(link) if link is not None else None})
        )
    return out


_FRAGMENT_WORDS = 3  # a quote this short ("a disaster", a scare quote) is a fragment


def _fragment(text: str) -> bool:
    """A few quoted words that are not a sentence of their own ("bold", "illusory goal")."""
    words = text.split()
    sentence = text[:1].isupper() and text.rstrip()[-1:] in ".!?"
    return len(words) <= _FRAGMENT_WORDS and not sentence


def _without_lone_fragments(groups: list[QuoteGroup]) -> list[QuoteGroup]:
    """Scare quotes and one-to-three-word fragments are listed only when several outlets carry
    them; translation links are renumbered over the groups that stay."""
    kept = [n for n, g in enumerate(groups) if not _fragment(g.text) or len(g.outlets) >= 2]
    renumber = {old: new for new, old in enumerate(kept)}
    out = []
    for n in kept:
        link = groups[n].translation_of
        out.append(
            groups[n].model_copy(update={"translation_of": renumber.get(link) if link is not None else None})
        )
    return out
