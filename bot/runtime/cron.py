"""Cron expressions for digest schedules: parse (APScheduler 3 `CronTrigger`), check, and find fire times."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.news import BadArgument, check_timezone

# APScheduler 3's from_crontab reads day-of-week numbers with 0 = Monday, while cron (and every
# user) means 0 = Sunday (APScheduler issue 286, fixed only in 4.x). Numbers are turned into
# names before the expression reaches APScheduler, so `1-5` keeps meaning Monday to Friday.
_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NUMERIC_DOW = re.compile(r"(\*|\d+(?:-\d+)?)(?:/(\d+))?")
MIN_INTERVAL = timedelta(minutes=10)
EXAMPLE = "`0 8 * * *` (every day at 08:00) or `30 7 * * 1-5` (weekdays at 07:30)"


def _weekday_names(field: str) -> str:
    out: list[str] = []
    for part in field.split(","):
        m = _NUMERIC_DOW.fullmatch(part)
        if not m or part == "*":
            out.append(part)  # names (mon-fri), '*' and anything else: APScheduler judges them
            continue
        span, step = m.group(1), int(m.group(2) or 1)
        if span == "*":
            lo, hi = 0, 6
        elif "-" in span:
            lo, hi = (int(x) for x in span.split("-"))
        else:
            lo = hi = int(span)
        if not (0 <= lo <= 7 and 0 <= hi <= 7 and lo <= hi) or step < 1:
            raise BadArgument(f"Day of week {part!r} is not valid: use 0-7 (0 and 7 are Sunday) or mon-sun.")
        for day in range(lo, hi + 1, step):
            name = _DAY_NAMES[day]
            if name not in out:
                out.append(name)
    return ",".join(out)


def crontab_trigger(expr: str, timezone: str) -> CronTrigger:
    """A trigger for a standard 5-field cron expression in `timezone`, or BadArgument saying why not."""
    zone = check_timezone(timezone)
    fields = expr.split()
    if len(fields) != 5:
        raise BadArgument(f"A cron expression has 5 fields (minute hour day month weekday), e.g. {EXAMPLE}.")
    fields[4] = _weekday_names(fields[4])
    try:
        trigger = CronTrigger.from_crontab(" ".join(fields), timezone=zone)
    except ValueError as e:
        raise BadArgument(f"That cron expression does not work ({e}). Try {EXAMPLE}.") from None
    return trigger


def check_interval(trigger: CronTrigger, now: datetime, minimum: timedelta = MIN_INTERVAL) -> None:
    """Refuse schedules that would post more often than `minimum` (a digest every minute is spam)."""
    t = next_fire(trigger, now)
    for _ in range(50):
        if t is None:
            raise BadArgument("That cron expression never fires.")
        nxt = next_fire(trigger, t)
        if nxt is None:
            return
        if nxt - t < minimum:
            raise BadArgument(
                f"A digest can be posted at most every {int(minimum.total_seconds() // 60)} minutes."
            )
        t = nxt


def next_fire(trigger: CronTrigger, after: datetime) -> datetime | None:
    """The first fire time strictly after `after`, in UTC."""
    t = trigger.get_next_fire_time(None, after + timedelta(seconds=1))
    return t.astimezone(UTC) if t is not None else None


def latest_fire(trigger: CronTrigger, now: datetime, grace: timedelta) -> datetime | None:
    """The last fire time in (now - grace, now], in UTC: what is due now or was missed within grace."""
    t = trigger.get_next_fire_time(None, now - grace + timedelta(seconds=1))
    last: datetime | None = None
    while t is not None and t <= now:
        last = t
        t = trigger.get_next_fire_time(None, t + timedelta(seconds=1))
    return last.astimezone(UTC) if last is not None else None
