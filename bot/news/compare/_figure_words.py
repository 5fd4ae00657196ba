"""Word forms compare matches on: possessives dropped, a few suffixes cut (figures' contexts, points)."""

from __future__ import annotations

import re

_POSSESSIVE = re.compile(r"['’]s?$")


def unpossessive(word: str) -> str:
    """ "Ukraine’s" -> "Ukraine"; a word with no quote mark is passed as it is, without a regex."""
    return _POSSESSIVE.sub("", word) if "'" in word or "’" in word else word


_SUFFIXES = ("ies", "ied", "ing", "ed", "es", "y", "s")


def stem(word: str) -> str:
    """A crude stem, enough to match "killed" with "kills" in a figure's context."""
    return cut_suffix(word, _SUFFIXES)


def cut_suffix(word: str, suffixes: tuple[str, ...], *, ie_to_y: bool = False) -> str:
    """The word without the first of `suffixes` it ends with, if a stem of 4+ letters is left
    ("ied"/"ies" leave a "y" with `ie_to_y`): the light stem figures and sentence points use."""
    if not word.endswith(suffixes):
        return word  # one test for most words, not one per suffix
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if ie_to_y and suffix in ("ied", "ies") else "")
    return word
