"""Wording of quotes: interrupted quotes made whole, word-by-word differences, the best-aligned window."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from bot.news.models import Quote

JOINT = "…"  # where an interrupted quote's halves are rejoined (`rejoin`)


FRAGMENT = 90  # rapidfuzz partial_ratio for a fragment inside a longer quote


def shared_run(a: list[str], b: list[str]) -> int:
    """The longest run of words the two quotes share, word for word."""
    m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size


def best_window(short: list[str], long_: list[str]) -> list[str]:
    """The stretch of the longer quote that lines up best with the shorter one."""
    n = len(short)
    if n >= len(long_):
        return long_
    best, best_score = long_[:n], -1.0
    first = short[0]
    starts = [i for i, w in enumerate(long_) if w == first] or range(len(long_) - n + 1)
    for i in starts:
        window = long_[i : i + n]
        score = fuzz.ratio(" ".join(short), " ".join(window))
        if score > best_score:
            best, best_score = window, score
    if best_score < FRAGMENT:
        for i in range(len(long_) - n + 1):
            window = long_[i : i + n]
            score = fuzz.ratio(" ".join(short), " ".join(window))
            if score > best_score:
                best, best_score = window, score
    return best


def word_diff(base: str, other: str) -> list[tuple[str, str]]:
    """Word-by-word difference of `other` against `base`: ("=", words), ("-", dropped), ("+", added).

    The ellipsis that marks where an interrupted quote was rejoined is not a word (see `rejoin`).
    """
    a, b = [w for w in base.split() if w != JOINT], [w for w in other.split() if w != JOINT]
    na, nb = [w.lower().strip(".,;:!?\"'“”‘’") for w in a], [w.lower().strip(".,;:!?\"'“”‘’") for w in b]
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, na, nb, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(b[j1:j2])))
        else:
            if i2 > i1:
                out.append(("-", " ".join(a[i1:i2])))
            if j2 > j1:
                out.append(("+", " ".join(b[j1:j2])))
    return out


# Between the halves of an interrupted quote: a comma and closing mark, a short attribution with no
# sentence end, a comma and an opening mark ("“Peace,” said Volodymyr Zelensky, “is possible.”").
_INTERRUPTION = re.compile(r"""^,?[”"’']\s+[^.!?;\n“”"]{2,80}?,\s*[“"‘']$""")


def rejoin(text: str, quotes: Sequence[Quote]) -> list[Quote]:
    """An article's quotes with interrupted ones made whole again, for matching across outlets:
    another outlet carries "Peace is possible" in one piece."""
    out: list[Quote] = []
    for quote in quotes:
        last = out[-1] if out else None
        if (
            last is not None
            and quote.text[:1].islower()
            and (last.speaker == quote.speaker or quote.speaker is None)
            and _INTERRUPTION.match(text[last.end : quote.start])
        ):
            out[-1] = Quote(
                text=f"{last.text.rstrip(',')} {JOINT} {quote.text}",
                speaker=last.speaker,
                cue=last.cue or quote.cue,
                start=last.start,
                end=quote.end,
            )
        else:
            out.append(quote)
    return out
