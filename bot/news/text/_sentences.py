"""Paragraphs and sentences with character offsets, aware of abbreviations and quotations."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.news.text._case import lower
from bot.news.text._lexicon import TITLE_ABBREVIATIONS, word_set

# `[.!?…][.!?…]*` rather than `[.!?…]+`: a pattern opening with a plain class is skipped ahead by
# it (`re` tries a repeat at every position), twice as fast on a whole article.
_BOUNDARY = re.compile(r"[.!?…][.!?…]*[”’\"')\]]*(?=\s+[“‘\"'(\[]?[A-Z0-9])")
_ABBREV = frozenset(
    TITLE_ABBREVIATIONS
    | {
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "sept.",
        "oct.",
        "nov.",
        "dec.",
        "no.",
        "vs.",
        "v.",
        "inc.",
        "co.",
        "corp.",
        "ltd.",
        "jr.",
        "sr.",
        "st.",
        "mt.",
        "ft.",
        "e.g.",
        "i.e.",
        "etc.",
        "approx.",
        "a.m.",
        "p.m.",
        "d-nev.",
    }
)
# After "U.S." a new sentence starts only with a word that usually opens one.
_OPENERS = word_set("The He She It They We I But And In On At A An This That His Her Their")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) ranges, stripped."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return out


_INITIAL = re.compile(r"[a-z]\.")
_INITIALS = re.compile(r"(?:[a-z]\.){2,}")


def _is_abbreviation(text: str, dot: int, after: int) -> bool:
    """Whether the full stop at `dot` ends an abbreviation (the boundary's match ends at `after`)."""
    start = dot
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in '(“"‘':
        start -= 1
    word = lower(text[start : dot + 1])
    if word in _ABBREV:
        return True
    if _INITIAL.fullmatch(word):
        return True  # an initial: "Dmitri S. Peskov"
    if _INITIALS.fullmatch(word):
        return _next_word(text, after) not in _OPENERS  # "U.S. officials" vs "… the U.S. The …"
    return False


def _next_word(text: str, pos: int) -> str:
    """The word after a boundary, without an opening mark: read only for "U.S."-like words."""
    after = text[pos : pos + 40].split()
    return after[0].strip("“‘\"'([") if after else ""


def split_sentences(
    text: str, start: int = 0, end: int | None = None, mask: str | None = None
) -> list[tuple[int, int]]:
    """Sentence ranges inside text[start:end]; `mask` (same length) hides quoted words from splitting."""
    end = len(text) if end is None else end
    scan = text if mask is None else mask
    out: list[tuple[int, int]] = []
    begin = start
    for m in _BOUNDARY.finditer(scan, start, end):
        dot = m.start()
        if scan[dot] == "." and _is_abbreviation(text, dot, m.end()):
            continue
        out.append((begin, m.end()))
        begin = m.end()
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end and text[begin:end].strip():
        out.append((begin, end))
    return out


def mask_quotes(text: str, spans: Iterable[tuple[int, int]], keep_ends: bool = True) -> str:
    """Blank out quoted words so that their full stops split nothing and their names count for
    nobody; `keep_ends` keeps each quote's first and last character (its capital, its final stop)."""
    fill = "x" if keep_ends else " "
    out: list[str] = []
    pos = 0  # text before pos is written out
    # Every character inside any range but a newline becomes `fill`: ranges in order, overlaps
    # merged, each masked by slices rather than character by character.
    for lo, hi in sorted((s + 1, e - 1) if keep_ends else (s, e) for s, e in spans):
        lo = max(lo, pos)
        if hi <= lo:
            continue
        out.append(text[pos:lo])
        out.append("\n".join(fill * len(part) for part in text[lo:hi].split("\n")))
        pos = hi
    out.append(text[pos:])
    return "".join(out)


def all_sentences(text: str) -> list[tuple[int, int]]:
    """Every sentence of every paragraph."""
    out: list[tuple[int, int]] = []
    for s, e in paragraphs(text):
        out.extend(split_sentences(text, s, e))
    return out
