"""Dates as pages and feeds write them, turned into aware UTC datetimes."""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar jän jaenner janvier janv enero ene gennaio gen januari janeiro",
        "february feb februar février fevrier févr fevr febrero febbraio februari fevereiro fev",
        "march mar märz maerz mars marzo maart mrt março marco",
        "april apr avril avr abril abr aprile",
        "may mai mayo maggio mag mei maio",
        "june jun juni juin junio giugno giu junho",
        "july jul juli juillet juil julio luglio lug julho",
        "august aug août aout agosto ago augustus",
        "september sep sept septembre septiembre setiembre settembre set setembro",
        "october oct oktober okt octobre octubre ottobre ott outubro out",
        "november nov novembre noviembre novembro",
        "december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?P<year>(?:19|20)\d{2})(?!\d)"
_PATTERNS = (
    # Feb 22, 2025 / February 12, 2025 / Feb. 12 2025
    re.compile(
        rf"(?<![^\W\d_])(?P<mon>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?,?\s+{_YEAR}", re.I
    ),
    # 12 February 2025 / 12. Februar 2025 / 12 de febrero de 2025 / 1er mars 2025
    re.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?P<mon>{_MONTH_RE})\.?,?\s+(?:de\s+)?{_YEAR}",
        re.I,
    ),
    # 2025-02-12, optionally with a time and offset
    re.compile(
        r"(?<!\d)(?P<year>(?:19|20)\d{2})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})(?!\d)"
        r"(?:[T ](?P<clock>\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?)?"
    ),
    # 12.02.2025 (day first, as written in most of Europe)
    re.compile(rf"(?<![\d.])(?P<day>\d{{1,2}})\.(?P<mon>\d{{1,2}})\.{_YEAR}"),
    # 02/12/2025 (month first unless the first number cannot be a month)
    re.compile(rf"(?<![\d/])(?P<first>\d{{1,2}})/(?P<second>\d{{1,2}})/{_YEAR}"),
)
_TIME_AFTER = re.compile(
    r"\s*(?:,|at|um|à|a las|alle|om|/|-|—|–|\|)?\s*(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?::(?P<s>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?(?:\s*(?P<tz>[A-Z]{2,5}\b|[+-]\d{2}:?\d{2}\b))?",
    re.I,
)
_ZONES: dict[str, tzinfo] = {
    "UTC": UTC,
    "GMT": UTC,
    "Z": UTC,
    "ET": ZoneInfo("America/New_York"),
    "CT": ZoneInfo("America/Chicago"),
    "MT": ZoneInfo("America/Denver"),
    "PT": ZoneInfo("America/Los_Angeles"),
    "EST": timezone(timedelta(hours=-5)),
    "EDT": timezone(timedelta(hours=-4)),
    "CST": timezone(timedelta(hours=-6)),
    "CDT": timezone(timedelta(hours=-5)),
    "MST": timezone(timedelta(hours=-7)),
    "MDT": timezone(timedelta(hours=-6)),
    "PST": timezone(timedelta(hours=-8)),
    "PDT": timezone(timedelta(hours=-7)),
    "BST": timezone(timedelta(hours=1)),
    "CET": timezone(timedelta(hours=1)),
    "CEST": timezone(timedelta(hours=2)),
    "EET": timezone(timedelta(hours=2)),
    "EEST": timezone(timedelta(hours=3)),
    "MSK": timezone(timedelta(hours=3)),
    "IST": timezone(timedelta(hours=5, minutes=30)),
    "JST": timezone(timedelta(hours=9)),
    "AEST": timezone(timedelta(hours=10)),
    "AEDT": timezone(timedelta(hours=11)),
}
_MIN_YEAR, _MAX_YEAR = 1900, 2100


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found inside a longer text."""

    when: datetime
    start: int
    end: int


def parse_date(value: str | None) -> datetime | None:
    """An aware UTC datetime for a date string in any common format, or None; never raises."""
    try:
        return _parse(value)
    except Exception:  # a date we cannot read is simply unknown
        return None


def find_dates(text: str) -> list[DateMatch]:
    """Every full date (with a year) written in the text, in order of position."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            when = _from_match(m, text)
            if when is not None:
                found.append(when)
                taken.append((when.start, when.end))
    return sorted(found, key=lambda d: d.start)


def _parse(value: str | None) -> datetime | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())[:200]
    if not text:
        return None
    if re.fullmatch(r"\d{9,13}(?:\.\d+)?", text):
        seconds = float(text) / (1000 if len(text.split(".")[0]) == 13 else 1)
        return _valid(datetime.fromtimestamp(seconds, UTC))
    iso = _iso(text)
    if iso is not None:
        return iso
    if re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", text):
        try:
            return _valid(_utc(email.utils.parsedate_to_datetime(text)))
        except (TypeError, ValueError):
            pass
    matches = find_dates(deglue(text))
    if matches:
        return matches[0].when
    return _dateutil(text)


def deglue(text: str) -> str:
    """Text with a space put back where page furniture ran words together ("InstituteFebruary 12")."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
    return re.sub(r"(?<=\d)(?=[A-Z][a-z])", " ", text)


def _iso(text: str) -> datetime | None:
    candidate = text.replace(" UTC", "+00:00").replace(" GMT", "+00:00")
    candidate = re.sub(r"Z$", "+00:00", candidate)
    try:
        return _valid(_utc(datetime.fromisoformat(candidate)))
    except ValueError:
        return None


def _dateutil(text: str) -> datetime | None:
    if not re.search(r"(?:19|20)\d{2}", text):
        return None  # without a year, dateutil would invent this year
    try:
        parsed = dateutil_parser.parse(text, default=datetime(1, 1, 1), tzinfos=_ZONES)
    except (ValueError, OverflowError, TypeError):
        return None
    return _valid(_utc(parsed))


def _from_match(m: re.Match[str], text: str) -> DateMatch | None:
    groups = m.groupdict()
    year = int(groups["year"])
    if groups.get("first"):
        first, second = int(groups["first"]), int(groups["second"])
        month, day = (second, first) if first > 12 else (first, second)
    else:
        raw_month = groups["mon"]
        month = int(raw_month) if raw_month.isdigit() else _MONTHS[raw_month.lower().rstrip(".")]
        day = int(groups["day"])
    try:
        when = datetime(year, month, day)
    except ValueError:
        return None
    end = m.end()
    if groups.get("clock"):
        h, mi, *rest = (int(x) for x in groups["clock"].split(":"))
        when = when.replace(hour=h, minute=mi, second=rest[0] if rest else 0)
        zone: tzinfo = _offset(groups.get("offset")) or UTC
    else:
        when, zone, end = _time_after(when, text, end)
    valid = _valid(_utc(when.replace(tzinfo=zone) if when.tzinfo is None else when))
    return DateMatch(valid, m.start(), end) if valid is not None else None


def _time_after(day: datetime, text: str, end: int) -> tuple[datetime, tzinfo, int]:
    """The clock time written just after a date ("at 11:42 a.m. ET"), if there is one."""
    m = _TIME_AFTER.match(text, end)
    if m is None or not (m.group("m") or m.group("ampm")):
        return day, UTC, end
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    second = int(m.group("s") or 0)
    ampm = (m.group("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return day, UTC, end
    zone = _offset(m.group("tz")) or _ZONES.get((m.group("tz") or "").upper()) or UTC
    return day.replace(hour=hour, minute=minute, second=second), zone, m.end()


def _offset(raw: str | None) -> tzinfo | None:
    if not raw:
        return None
    if raw.upper() == "Z":
        return UTC
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", raw)
    if m is None:
        return None
    delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
    return timezone(-delta if m.group(1) == "-" else delta)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _valid(value: datetime | None) -> datetime | None:
    if value is None or not _MIN_YEAR <= value.year <= _MAX_YEAR:
        return None
    return value
