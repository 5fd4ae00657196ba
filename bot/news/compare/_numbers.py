"""Numbers in news copy, read as quantities: "nearly 90 minutes" and "almost an hour and a half"
are both about 90 minutes; "some 50 allies" and "more than 40 allies" are two counts of allies.

Each mention carries an interval from its qualifier ("nearly X" is a little under X, "more than X" a
little over), so that agreement means overlapping intervals, not equal digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.news.text import word_set

_WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
_MULTIPLIERS = {"hundred": 100, "dozen": 12}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
_FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1}
_MINUTES = {
    "second": 1 / 60,
    "minute": 1,
    "hour": 60,
    "day": 1440,
    "week": 10080,
    "month": 43800,
    "year": 525600,
}
# Qualifier -> (low, high) multipliers of the stated value. "more than 40" is open above and
# "up to 100" open below: both are compatible with a good range of values ("some 50" and "more
# than 40" can both be true); "about 40" is a rounding and clashes with 52.
_OPEN = 1.6
# "nearly 100" is under 100 and "more than 100" over it: the two cannot both be true.
_BELOW, _ABOVE = 0.99, 1.01
QUALIFIERS = {
    "about": (0.95, 1.05),
    "around": (0.95, 1.05),
    "roughly": (0.95, 1.05),
    "approximately": (0.95, 1.05),
    "some": (0.95, 1.05),
    "like": (0.95, 1.05),
    "an estimated": (0.95, 1.05),
    "estimated": (0.95, 1.05),
    "nearly": (0.85, _BELOW),
    "almost": (0.85, _BELOW),
    "close to": (0.85, _BELOW),
    "just under": (0.9, _BELOW),
    "more than": (_ABOVE, _OPEN),
    "over": (_ABOVE, _OPEN),
    "at least": (1.0, _OPEN),
    "no fewer than": (1.0, _OPEN),
    "in excess of": (_ABOVE, _OPEN),
    "just over": (_ABOVE, 1.1),
    "upwards of": (_ABOVE, _OPEN),
    "fewer than": (1 / _OPEN, _BELOW),
    "less than": (1 / _OPEN, _BELOW),
    "under": (1 / _OPEN, _BELOW),
    "up to": (1 / _OPEN, 1.0),
    "as many as": (1 / _OPEN, 1.0),
    "no more than": (1 / _OPEN, 1.0),
}
_QUALIFIERS = QUALIFIERS


def _alternation(alternatives: list[str]) -> str:
    """ "about|around|nearly" as "a(?:bout|round)|n(?:early)": the same matches, in the same order
    of preference, but a position is tried against one group of alternatives, not every one
    (`alternatives`: escaped, none empty)."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())


# Longest first: "more than" before "more", "seventy" before "seven".
QUALIFIER_PATTERN = _QUAL = _alternation(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
_WORDNUM = _alternation(sorted(_WORD_NUMBERS, key=len, reverse=True))
ONE_NUMBER = _ONE_NUM = rf"(?:\d[\d,]*(?:\.\d+)?|(?:{_WORDNUM})(?:[- ](?:{_WORDNUM})){{0,2}})"
# "40 or 50", "between 60 and 100", "10-12": a range is one figure.
_NUM = rf"(?:between\s+)?{_ONE_NUM}(?:\s*(?:-|to|or|and)\s*{_ONE_NUM})?"
# Only sentences with a digit, a currency or a number word can hold a figure.
_MAYBE = re.compile(
    rf"\d|[$€£%]|\b(?:{'|'.join(w for w in _WORD_NUMBERS if len(w) > 2)}|half|third|quarter|fifth|tenth|hour)s?\b",
    re.IGNORECASE,
)
_UNIT_TIME = r"(?:second|minute|hour|day|week|month|year)s?"
# A model name inside a counted thing ("six AK-47 rifles", "two F-16 jets"): part of the noun,
# not a number of its own. Capitals are required whatever the pattern's flags.
_MODEL = r"(?-i:[A-Z]{1,3})[- ]?\d{1,4}"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "money",
        re.compile(
            rf"(?:(?P<q>{_QUAL})\s+)?(?P<cur>[$€£])\s?(?P<n>\d[\d,]*(?:\.\d+)?)(?:\s*(?P<s>thousand|million|billion|trillion|bn)\b)?",
            re.IGNORECASE,
        ),
    ),
    (
        "percent",
        re.compile(rf"\b(?:(?P<q>{_QUAL})\s+)?(?P<n>{_NUM})\s?(?:%|percent\b|per cent\b)", re.IGNORECASE),
    ),
    (
        "fraction",
        re.compile(
            rf"\b(?:(?P<q>{_QUAL})\s+)?(?P<n>a|one|two|three|four)[- ](?P<f>half|third|quarter|fifth|tenth)s?\s+of\b",
            re.IGNORECASE,
        ),
    ),
    (
        "duration",
        re.compile(
            rf"\b(?:(?P<q>{_QUAL})\s+)?(?:(?P<n>{_NUM})[- ](?P<u>{_UNIT_TIME})(?P<h>\s+and\s+a\s+half)?(?P<old>-old)?"
            rf"|(?P<hh>an?\s+hour\s+and\s+a\s+half))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "count",
        re.compile(
            rf"\b(?:(?P<q>{_QUAL})\s+)?(?P<n>{_NUM})(?:\s+(?P<s>thousand|million|billion))?\s+(?:(?:(?!(?:and|or|of|the|were|was|are|had|have|{_WORDNUM})\s)[a-z-]+(?<!s)|{_MODEL})\s+){{0,2}}(?P<noun>[a-z]{{3,}}s|people|crew)\b",
            re.IGNORECASE,
        ),
    ),
]
# What each pattern cannot match without (a pattern is tried only on sentences that have it), and
# the characters a match can start with (a lookahead before the pattern: positions that cannot
# start one are passed over on one character test). The matches are the same, found faster.
_NEEDS: dict[str, re.Pattern[str]] = {
    "money": re.compile(r"[$€£]"),
    "percent": re.compile(r"%|percent\b|per cent\b", re.IGNORECASE),
    "fraction": re.compile(r"(?:half|third|quarter|fifth|tenth)s?\s+of\b", re.IGNORECASE),
    "duration": re.compile(_UNIT_TIME, re.IGNORECASE),
}
_STARTS = "".join(sorted({w[0] for w in (*_QUALIFIERS, *_WORD_NUMBERS, "between")}))
# Put before a pattern whose matches start with a qualifier or a number (ONE_NUMBER, or a range):
# the positions where no match can start are passed over on one character test.
QUALIFIED_START = rf"(?=[\d{_STARTS}])"
_PATTERNS = [
    (kind, re.compile(rf"(?=[\d$€£{_STARTS}])" + pattern.pattern, pattern.flags))
    for kind, pattern in _PATTERNS
]
_NOT_COUNTED = word_set("""
    years months weeks days hours minutes seconds percent points times ways things others ones people's
    dollars cents euros pounds
    """)
_MONTHS = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s*$",
    re.IGNORECASE,
)


@dataclass
class NumberMention:
    """A quantity as written in one sentence."""

    kind: str  # money, percent, duration, count
    text: str  # as written: "nearly 90 minutes"
    value: float  # in a base unit: minutes, currency units, percent, items
    low: float
    high: float
    unit: str  # "minutes", "USD", "percent", or the counted noun ("allies")
    start: int  # offset in the sentence
    end: int
    weekday: bool = False  # a date named by its weekday ("on Thursday"): sure of the weekday only
    cue: str = ""  # the word that says what happened on a date ("attack", "kill")


def _one_number(text: str) -> float | None:
    text = text.lower().replace(",", "").strip()
    try:
        return float(text)
    except ValueError:
        pass
    parts = re.split(r"[- ]+", text)
    if len(parts) > 1 and parts[0] in {"a", "an"} and parts[1] not in _MULTIPLIERS:
        parts = parts[1:]  # "a nine percent raise": an article, not a number
    if any(p not in _WORD_NUMBERS for p in parts):
        return None
    total = 0.0
    for n, part in enumerate(parts):
        if part in _MULTIPLIERS:
            total = (total or 1.0) * _MULTIPLIERS[part]  # "two dozen", "a hundred"
        elif n and not (parts[n - 1] in _TENS and _WORD_NUMBERS[part] < 10):
            return None  # "one three years" is two numbers, not one
        else:
            total += _WORD_NUMBERS[part]
    return total


_TENS = frozenset({"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"})


_RANGE = re.compile(rf"^(?:between\s+)?({_ONE_NUM})\s*(?:-|to|or|and)\s*({_ONE_NUM})$", re.IGNORECASE)


def number_range(text: str) -> tuple[float, float] | None:
    """The number a figure states, as (low, high): "40 or 50" is (40, 50), "two dozen" (24, 24)."""
    text = text.strip()
    m = _RANGE.match(text)
    if m:
        a, b = _one_number(m.group(1)), _one_number(m.group(2))
        if a is not None and b is not None and 0 <= a < b:
            return a, b
    value = _one_number(re.sub(r"^between\s+", "", text, flags=re.IGNORECASE))
    return None if value is None else (value, value)


def _number(text: str) -> float | None:
    span = number_range(text)
    return None if span is None else (span[0] + span[1]) / 2


ROUNDING = 0.015  # a bare round figure ("90 minutes", "240,000") is itself a rounding


def is_round(raw: str, value: float) -> bool:
    """A figure written as a round number: a whole multiple of five, ten or more, no decimals."""
    return "." not in raw and value >= 10 and value % 5 == 0


def _interval(value: float, qualifier: str | None, spread: float = 0.0) -> tuple[float, float]:
    lo, hi = _QUALIFIERS.get(re.sub(r"\s+", " ", (qualifier or "").lower()), (1.0, 1.0))
    return (value - spread) * lo, (value + spread) * hi


_PART_OF_NAME = re.compile(r"(?:\b[A-Z]{1,3}[- ]?|\d[:.])$")  # "AK-47 rifles", "at 09:10 hours"


def _looks_like_year_or_date(sentence: str, m: re.Match[str], value: float) -> bool:
    number = m.group("n") or ""
    if re.fullmatch(r"(?:19|20)\d\d", number):
        return True
    if m.group("q") is None and _PART_OF_NAME.search(sentence[max(0, m.start() - 4) : m.start()]):
        return True  # the digits of a model name or of a clock time, not a quantity
    return bool(_MONTHS.search(sentence[max(0, m.start() - 12) : m.start()]))


def find_numbers(sentence: str) -> list[NumberMention]:
    """Every quantity in one sentence (years, dates and bare numbers are left out)."""
    if not _MAYBE.search(sentence):
        return []
    found: list[NumberMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        needs = _NEEDS.get(kind)
        if needs is not None and needs.search(sentence) is None:
            continue
        for m in pattern.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            mention = _read(kind, sentence, m)
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda n: n.start)


def _read(kind: str, sentence: str, m: re.Match[str]) -> NumberMention | None:
    qualifier = m.group("q")
    unit: str
    spread = 0.0
    if kind == "duration" and m.group("hh"):
        value, unit = 90.0, "minutes"
    else:
        raw = m.group("n")
        span = number_range(raw) if raw else None
        if span is None or _looks_like_year_or_date(sentence, m, span[0]):
            return None
        value, spread = (span[0] + span[1]) / 2, (span[1] - span[0]) / 2
        if kind == "money":
            value, spread = (x * _SCALES.get((m.group("s") or "").lower(), 1.0) for x in (value, spread))
            unit = {"$": "USD", "€": "EUR", "£": "GBP"}[m.group("cur")]
        elif kind == "percent":
            unit = "percent"
        elif kind == "fraction":
            kind, unit = "percent", "percent"
            value = value * _FRACTIONS[m.group("f").lower()] * 100
            spread = 0.0
        elif kind == "duration":
            if (raw or "").lower() in {"a", "an"} and m.group("u").lower() == "second":
                return None  # "a second offence": an ordinal, not a length of time
            if m.group("old") or re.match(r"\s+old\b", sentence[m.end() :]):
                return None  # "a 17-year-old", "35 years old": an age, not a length of time
            base = m.group("u").lower().rstrip("s")
            scale = _MINUTES[base]
            value, spread = (value + (0.5 if m.group("h") else 0.0)) * scale, spread * scale
            unit = "minutes"
        else:
            noun = m.group("noun").lower()
            if noun in _NOT_COUNTED or (raw or "").lower() in {"a", "an"} or value <= 2:
                return None  # "two leaders": too small to be a figure anyone disputes
            scale = _SCALES.get((m.group("s") or "").lower(), 1.0)
            value, spread = value * scale, spread * scale
            unit = noun
    if not qualifier and not spread and is_round(m.group("n") or "", value):
        spread = value * ROUNDING
    low, high = _interval(value, qualifier, spread)
    text = re.sub(r"\s+of$", "", m.group(0).strip())
    return NumberMention(kind, text, value, low, high, unit, m.start(), m.start() + len(text))


def mention(
    kind: str, text: str, start: int, value: float, lo: float, hi: float, thing: str
) -> NumberMention:
    """A reading of `text` found at `start` of its sentence (surrounding spaces trimmed)."""
    text = text.strip()
    return NumberMention(kind, text, value, lo, hi, thing, start, start + len(text))


def qualified(n: str, qualifier: str | None) -> tuple[float, float, float] | None:
    """(value, low, high) of a number as written with its qualifier ("about 40", "more than 100")."""
    span = number_range(n)
    if span is None:
        return None
    lo, hi = QUALIFIERS.get(re.sub(r"\s+", " ", (qualifier or "").lower()), (1.0, 1.0))
    if not qualifier and span[0] == span[1] and is_round(n, span[0]):
        lo, hi = 1 - ROUNDING, 1 + ROUNDING
    return (span[0] + span[1]) / 2, span[0] * lo, span[1] * hi


_EXACT_KINDS = frozenset({"year", "time", "calibre", "magnitude", "age", "date"})


def agree(a: NumberMention, b: NumberMention) -> bool:
    """Whether two mentions of one quantity are compatible (their intervals meet)."""
    # Rounding only ($65.9 billion is not $66.5 billion); a year, a clock time or a calibre is exact.
    if a.kind == "date" and (a.weekday or b.weekday):
        # "On Thursday" counted back from a publication date that may be days off (an update, a
        # late copy): the weekday it names is what is sure, whatever week it fell in.
        return any(
            (a.value + d - b.value) % 7 == 0 for d in range(int(a.low - a.value), int(a.high - a.value) + 1)
        )
    exact = a.kind in _EXACT_KINDS
    slack = 0.0 if exact else 0.005 * max(abs(a.value), abs(b.value))
    return a.low <= b.high + slack and b.low <= a.high + slack


def same_dimension(a: NumberMention, b: NumberMention) -> bool:
    """Money with money (same currency), durations with durations, counts of the same things."""
    if a.kind != b.kind:
        return False
    if a.kind == "count":
        return a.unit.rstrip("s") == b.unit.rstrip("s")
    if a.kind == "distance":
        # "15 miles north of Detroit" and "50 miles north of here": one kind of distance, but two
        # places named are two distances.
        (base_a, _, from_a), (base_b, _, from_b) = a.unit.partition(" from "), b.unit.partition(" from ")
        return base_a == base_b and (from_a == from_b or not (from_a and from_b))
    return a.unit == b.unit


def dimension(m: NumberMention) -> tuple[str, str]:
    """The dimension a figure is compared within: its kind and unit (a distance's place aside)."""
    return (m.kind, m.unit.partition(" from ")[0] if m.kind == "distance" else m.unit)
