"""Lower-casing that is the same compiled and not.

Compiled by mypyc (setup.py), `s.lower()` is mypyc's own primitive, which on Python < 3.13 maps
each character alone and so misses Python's one context rule: a capital sigma ending a word
becomes "ς", not "σ" ("ΟΔΟΣ" -> "οδος"). `str.lower` called as a function is Python's own method
in both builds; only a text holding a capital sigma needs it.
"""

from __future__ import annotations

from typing import Final

_CAPITAL_SIGMA: Final = "\u03a3"


def lower(text: str) -> str:
    """`text.lower()` as Python does it, compiled or not."""
    if _CAPITAL_SIGMA in text:
        return str.lower(text)
    return text.lower()
