"""Tolls that rise through the day: later reports giving higher counts of the same casualties are a
development, not a contradiction ("killed: 3 → 8 → 15 as reports came in; two outlets give 15,
one still says 3").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise

from bot.news.models import NumberValue

# Counts that grow as rescuers, hospitals and police report; a count of shots or an age does not.
RISING = frozenset({"killed", "injured", "missing", "arrested", "evacuated", "rescued", "displaced"})
_NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _say(n: int) -> str:
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)


def _fmt(v: float) -> str:
    return f"{v:g}"


def development(thing: str, values: Sequence[NumberValue]) -> str | None:
    """The development line when these differing values of a rising count grew with time, else None.

    Every value must be dated, the dates must not all be one moment, and ordered by time each
    outlet's figure is at least the one before it (ties in time may come in any order).
    """
    if thing not in RISING or len(values) < 2:
        return None
    dated = [
        (v.published, v.normalized, v) for v in values if v.published is not None and v.normalized is not None
    ]
    if len(dated) != len(values) or len({d[0] for d in dated}) < 2:
        return None
    dated.sort(key=lambda d: (d[0], d[1]))
    figures = [d[1] for d in dated]
    if any(b < a for a, b in pairwise(figures)) or figures[0] == figures[-1]:
        return None
    # Values must rise across time, not only inside one moment.
    first_time: dict[float, datetime] = {}
    for when, value, _ in dated:
        first_time.setdefault(value, when)
    if len(set(first_time.values())) < 2:
        return None
    steps = list(dict.fromkeys(_fmt(f) for f in figures))
    latest = figures[-1]
    at_latest = len({d[2].outlet for d in dated if d[1] == latest})
    stale = {d[2].outlet for d in dated if d[1] < latest} - {d[2].outlet for d in dated if d[1] == latest}
    line = f"{thing}: {' → '.join(steps)} as reports came in; {_say(at_latest)} outlet(s) give {_fmt(latest)}"
    if stale:
        line += f", {_say(len(stale))} still say(s) less"
    return line
