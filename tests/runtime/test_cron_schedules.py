"""Cron parsing for schedules: crontab weekdays, bad input, due and missed fire times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.news.errors import BadArgument
from bot.runtime.cron import check_interval, crontab_trigger, latest_fire, next_fire

MONDAY_0900 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # 5 Jan 2026 is a Monday


def test_weekday_numbers_mean_what_cron_means() -> None:
    # APScheduler 3 alone would read 1-5 as Tuesday..Saturday.
    trigger = crontab_trigger("0 9 * * 1-5", "UTC")
    fires = []
    t = MONDAY_0900 - timedelta(minutes=1)
    for _ in range(6):
        nxt = next_fire(trigger, t)
        assert nxt is not None
        fires.append(nxt.strftime("%a"))
        t = nxt
    assert fires == ["Mon", "Tue", "Wed", "Thu", "Fri", "Mon"]
    sunday = crontab_trigger("0 9 * * 0", "UTC")
    assert next_fire(sunday, MONDAY_0900).strftime("%a %d") == "Sun 11"  # type: ignore[union-attr]
    assert next_fire(crontab_trigger("0 9 * * 7", "UTC"), MONDAY_0900) == next_fire(sunday, MONDAY_0900)
    assert next_fire(crontab_trigger("0 9 * * mon-fri", "UTC"), MONDAY_0900).strftime("%a") == "Tue"  # type: ignore[union-attr]


def test_timezone_applies() -> None:
    trigger = crontab_trigger("0 8 * * *", "Europe/Berlin")
    assert next_fire(trigger, MONDAY_0900) == datetime(2026, 1, 6, 7, 0, tzinfo=UTC)  # 08:00 CET


@pytest.mark.parametrize(
    ("cron", "zone", "needle"),
    [
        ("0 8 * *", "UTC", "5 fields"),
        ("61 8 * * *", "UTC", "does not work"),
        ("0 8 * * 9", "UTC", "Day of week"),
        ("0 8 * * *", "Mars/Olympus", "Unknown time zone"),
        ("0 8 * * *", "../etc/passwd", "Unknown time zone"),
    ],
)
def test_bad_cron_or_zone_is_a_clear_error(cron: str, zone: str, needle: str) -> None:
    with pytest.raises(BadArgument, match=needle):
        crontab_trigger(cron, zone)


def test_too_frequent_schedules_are_refused() -> None:
    with pytest.raises(BadArgument, match="at most every 10 minutes"):
        check_interval(crontab_trigger("* * * * *", "UTC"), MONDAY_0900)
    check_interval(crontab_trigger("*/15 * * * *", "UTC"), MONDAY_0900)


def test_latest_fire_within_grace_only() -> None:
    trigger = crontab_trigger("0 9 * * *", "UTC")
    grace = timedelta(minutes=60)
    assert latest_fire(trigger, MONDAY_0900 + timedelta(seconds=1), grace) == MONDAY_0900
    assert latest_fire(trigger, MONDAY_0900, grace) == MONDAY_0900
    assert latest_fire(trigger, MONDAY_0900 + timedelta(minutes=59), grace) == MONDAY_0900
    assert latest_fire(trigger, MONDAY_0900 + timedelta(minutes=61), grace) is None
    assert latest_fire(trigger, MONDAY_0900 - timedelta(seconds=1), grace) is None
    # several missed fires coalesce into the latest one
    every15 = crontab_trigger("*/15 * * * *", "UTC")
    assert latest_fire(every15, MONDAY_0900 + timedelta(minutes=50), grace) == MONDAY_0900 + timedelta(
        minutes=45
    )
