"""The time axis of the coverage picture: a padded time window and tick marks at round moments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
# Round steps, smallest first; months and years are handled as calendar steps below.
_STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY]
_MONTH_STEPS = [1, 3, 6, 12, 24, 60]


@dataclass(frozen=True)
class Tick:
    when: datetime
    label: str  # the time or day
    date: str  # the date (or year) under it, empty where the one before says it already


def window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The span drawn: the marks' span padded so the first and last marks are not on the edge."""
    span = end - start
    if span < HOUR:  # one moment (often a bare date at midnight): show the day around it
        return start - 12 * HOUR, end + 12 * HOUR
    pad = span * 0.06
    return start - pad, end + pad


def _hour_ticks(lo: datetime, hi: datetime, step: timedelta) -> list[datetime]:
    day = lo.replace(hour=0, minute=0, second=0, microsecond=0)
    t, out = day, list[datetime]()
    while t <= hi:
        if t >= lo:
            out.append(t)
        t += step
    return out


def _month_ticks(lo: datetime, hi: datetime, months: int) -> list[datetime]:
    n = lo.year * 12 + lo.month - 1
    n -= n % months
    out: list[datetime] = []
    while True:
        t = lo.replace(year=n // 12, month=n % 12 + 1, day=1, hour=0, minute=0, second=0, microsecond=0)
        if t > hi:
            return out
        if t >= lo:
            out.append(t)
        n += months


def ticks(lo: datetime, hi: datetime, tz: tzinfo = UTC, most: int = 6) -> list[Tick]:
    """Tick marks at round moments in `tz`, at most `most` of them, each labelled with its date."""
    lo, hi = lo.astimezone(tz), hi.astimezone(tz)
    found: list[datetime] = []
    hourly = False
    for step in _STEPS:
        found = _hour_ticks(lo, hi, step)
        if len(found) <= most:
            hourly = step < DAY
            break
    else:
        for months in _MONTH_STEPS:
            found = _month_ticks(lo, hi, months)
            if len(found) <= most:
                break
    out: list[Tick] = []
    said = ""
    for t in found:
        if hourly:
            label, date = t.strftime("%H:%M"), t.strftime("%d %b")
        else:
            label, date = t.strftime("%d %b").lstrip("0"), t.strftime("%Y")
        out.append(Tick(t, label, date if date != said else ""))
        said = date
    return out
