"""Choosing a story's headline from its articles' titles."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from bot.news.stories._terms import is_meaningful_title

# "Headline - Outlet" / "Headline | Section News" / "Opinion | Headline": the outlet part is not the story.
_TRAILER = re.compile(r"\s+[|\-–—]\s+[^|\-–—]{2,40}$")
_OPENER = re.compile(r"^(opinion|analysis|editorial|exclusive|watch|live|breaking)\s*[|:]\s*", re.IGNORECASE)
_MAX_WORDS = 25


def clean_title(title: str) -> str:
    """Drop an outlet trailer and a section opener from a title, and squeeze spaces."""
    t = " ".join(title.split())
    t = _OPENER.sub("", t)
    trailer = _TRAILER.search(t)
    if trailer and len(trailer.group(0).split()) <= 6 and len(t) - len(trailer.group(0)) >= 20:
        t = t[: trailer.start()]
    return t.strip()


def _first_sentence(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if len(line.split()) >= 5:
            sentence = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
            words = sentence.split()
            return " ".join(words[:_MAX_WORDS]) + ("…" if len(words) > _MAX_WORDS else "")
    return " ".join(text.split()[:_MAX_WORDS])


def pick_headline(titles: Sequence[tuple[str | None, str]]) -> str:
    """(title, text) pairs of a story -> the most representative title.

    The title closest, by rapidfuzz token-set similarity, to all the others wins (the consensus wording
    rather than one outlet's spin); ties go to the shorter, then the earlier one. A story without usable
    titles is named by the opening sentence of its first article.
    """
    candidates = [clean_title(t) for t, _ in titles if t and is_meaningful_title(t)]
    candidates = [c for c in candidates if c]
    if not candidates:
        return _first_sentence(titles[0][1]) if titles else ""
    if len(candidates) <= 2:
        return min(candidates, key=len) if len(candidates) == 2 else candidates[0]
    # Sum of similarities to the other titles (rapidfuzz's cdist would need numpy; stories are small).
    totals = [
        sum(fuzz.token_set_ratio(c, other) for j, other in enumerate(candidates) if j != i)
        for i, c in enumerate(candidates)
    ]
    best = max(range(len(candidates)), key=lambda i: (totals[i], -len(candidates[i]), -i))
    return candidates[best]
