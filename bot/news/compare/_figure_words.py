"""Word forms a figure's context is compared on: possessives dropped, a few suffixes cut."""

from __future__ import annotations

import re

_POSSESSIVE = re.compile(r"['’]s?$")


def unpossessive(word: str) -> str:
    """ "Ukraine’s" -> "Ukraine"; a word with no quote mark is passed as it is, without a regex."""
    return _POSSESSIVE.sub("", word) if "'" in word or "’" in word else word


_SUFFIXES = ("ies", "ied", "ing", "ed", "es", "y", "s")


def stem(word: str) -> str:
    """A crude stem, enough to match "killed" with "kills" in a figure's context."""
    if not word.endswith(_SUFFIXES):
        return word  # one test for most words, not seven
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word
