"""Measures and moments: clock times, years, ages of named people, calibres, magnitudes,
distances, weights, "three doors down", crowd sizes, "shot seven times".
"""

from __future__ import annotations

import re

from bot.news.compare._numbers import (
    ONE_NUMBER,
    QUALIFIED_START,
    QUALIFIER_PATTERN,
    QUALIFIERS,
    NumberMention,
    mention,
    qualified,
)
from bot.news.quotes import person_part
from bot.news.text import name_key, word_set

_QUAL = QUALIFIER_PATTERN
_N = ONE_NUMBER

# The characters a time of day starts with: a digit, a qualifier's first letter, noon, midnight.
_TIME_STARTS = "".join(sorted({"s", "j", "a", "b", "n", "m", *(q[0] for q in QUALIFIERS)}))
_TIME = re.compile(
    rf"(?=[\d{_TIME_STARTS}])(?:(?P<q>shortly after|just after|shortly before|just before|{_QUAL}|after|before)\s+)?"
    r"(?:(?P<h>\d{1,2})(?:[:.](?P<m>\d\d))?\s?(?:(?P<ap>[ap])\.?m\b\.?|(?<=[:.]\d\d)(?=\s*in\s+the\s+(?P<part>morning|afternoon|evening)\b))"
    r"|\b(?P<word>noon|midnight)\b|\b(?P<hh>[01]?\d|2[0-3])[:.](?P<mm>[0-5]\d)\s+hours\b(?!\s*\(?\s*(?:GMT|UTC)))",
    re.IGNORECASE,
)
_TIME_QUAL = {
    "shortly after": (0, 15),
    "just after": (0, 10),
    "after": (0, 30),
    "shortly before": (-15, 0),
    "just before": (-10, 0),
    "before": (-30, 0),
}
_AGE = re.compile(
    r"\b(?P<n>\d{1,3}|[A-Za-z]+(?:-[a-z]+)?)-year-old(?:\s+(?P<name>(?:[A-Z][\w'’-]+\s?){1,3}|[a-z]+))?"
    r"|(?P<who>(?:[A-Z][\w'’.-]*\s){0,3}[A-Z][\w'’-]+),\s(?P<n2>\d{1,3})(?=[,;]|\s(?:and|was|is|who|of|from|had|has|were)\b)"
    r"|(?P<who3>[A-Z][\w'’-]+),?\s(?:aged|age)\s(?P<n3>\d{1,3})\b",
)
_CALIBRE = re.compile(
    r"(?<![\d])\.\s?(?P<n>\d{2,3})[- ]?(?:caliber|calibre)\b|\b(?P<mm>\d{1,2})\s?mm\b", re.I
)
_MAGNITUDE = re.compile(
    r"\bmagnitude(?:\s+of)?[- ](?P<n>\d(?:\.\d)?)\b|\b(?P<n2>\d(?:\.\d)?)[- ]magnitude\b"
    r"|\b(?P<n3>\d\.\d)\s+on the Richter|\bmeasur(?:ing|ed)\s+(?P<n4>\d\.\d)\b",
    re.IGNORECASE,
)
_KM = {"nautical mile": 1.852, "km": 1.0, "kilometre": 1.0, "kilometer": 1.0, "mile": 1.609, "metre": 0.001, "meter": 0.001,
       "foot": 0.0003048, "feet": 0.0003048, "ft": 0.0003048, "yard": 0.0009144}  # fmt: skip
_DISTANCE = re.compile(
    rf"{QUALIFIED_START}(?:(?P<q>{_QUAL})\s+)?(?P<n>{_N})[- ]?(?P<u>km|kilometres?|kilometers?|nautical miles?|miles?|metres?|meters?"
    r"|feet|foot|ft|yards?)\b(?P<tail>\s+\w+)?",
    re.IGNORECASE,
)
# "... south of Tehran", "(700 miles) southeast of Tehran", "from Detroit": where a distance is measured from.
_FROM_PLACE = re.compile(
    r"\s*(?:\([^()]{1,25}\)\s*)?(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of|from|outside(?:\s+of)?)"
    r"\s+(?:the\s+)?(?:capital\s+|city\s+of\s+)?(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
)
_KG = {"kg": 1.0, "kilogram": 1.0, "kilo": 1.0, "pound": 0.4536, "lb": 0.4536, "ton": 907.2, "tonne": 1000.0}
_WEIGHT = re.compile(
    rf"{QUALIFIED_START}(?:(?P<q>{_QUAL})\s+)?(?P<n>{_N})[- ]?(?P<u>kg|kilograms?|kilos?|pounds?|lbs?|tons|tonnes?)\b",
    re.IGNORECASE,
)
_AWAY = re.compile(
    rf"{QUALIFIED_START}(?:(?P<q>{_QUAL})\s+)?(?P<n>{_N})\s+(?P<u>buildings|doors|houses|homes|blocks)\s+(?:away|down|from)\b",
    re.IGNORECASE,
)
_CROWD = re.compile(rf"\bcrowd\s+(?:of|at|estimated at)\s+(?:(?P<q>{_QUAL})\s+)?(?P<n>\d[\d,]*)\b", re.I)
_SHOT_TIMES = re.compile(rf"\bshot\s+(?:(?P<q>{_QUAL})\s+)?(?P<n>{_N})\s+times\b", re.IGNORECASE)

_ZONED = re.compile(r"\b(?P<h>[01]?\d|2[0-3]):?(?P<m>[0-5]\d)\s*(?:hours\s+)?(?P<z>GMT|UTC|Z)\b")


_TIME_KEY = re.compile(r"\d|noon|midnight", re.IGNORECASE)  # what every time of day holds


def times(s: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    if _TIME_KEY.search(s) is None:
        return out  # the patterns below are slow to try at every position of a sentence
    for m in _ZONED.finditer(s):
        minutes = int(m.group("h")) * 60.0 + int(m.group("m"))
        # A clock time in another zone is another reading: only compared with times in that zone.
        out.append(mention("time", m.group(0), m.start(), minutes, minutes, minutes, "time of day (GMT)"))
    for m in _TIME.finditer(s):
        if m.group("word"):
            minutes = 720.0 if m.group("word").lower() == "noon" else 1440.0
        elif m.group("hh"):
            minutes = int(m.group("hh")) * 60.0 + int(m.group("mm"))  # "09:25 hours": a 24-hour clock
        elif m.group("part"):
            # "9:25 in the morning": the part of the day says a.m. or p.m.
            hour = int(m.group("h")) % 12 + (0 if m.group("part").lower() == "morning" else 12)
            minutes = hour * 60.0 + int(m.group("m") or 0)
        else:
            hour = int(m.group("h")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
            if int(m.group("h")) > 12:
                continue
            minutes = hour * 60.0 + int(m.group("m") or 0)
        q = (m.group("q") or "").lower()
        lo, hi = _TIME_QUAL.get(q, (-10, 10) if q in QUALIFIERS else (0, 0))
        out.append(mention("time", m.group(0), m.start(), minutes, minutes + lo, minutes + hi, "time of day"))
    return out


_YEAR = re.compile(r"\b(?:in|since|from|until|during|by)\s+(?P<n>(?:19|20)\d\d)\b(?![-–/]|\s*-\s*\d)")


def years(s: str) -> list[NumberMention]:
    """A year an event happened in ("voters in 2009 approved", "built in 1935"); dates are left
    out ("June 24, 2005" says when, not which year an outlet gives for something)."""
    out = []
    for m in _BUILT.finditer(s):
        # "built in 1935" is the building's age told as a year (`figures.collect` makes it one).
        value = float(m.group("n"))
        out.append(mention("year", m.group(0), m.start(), value, value, value, YEAR_BUILT))
    for m in _YEAR.finditer(s):
        value = float(m.group("n"))
        out.append(mention("year", m.group(0), m.start(), value, value, value, "year"))
    return out


YEAR_BUILT = "year built"
BUILDING = "building"  # the thing a building's age counts
_BUILT = re.compile(
    r"\b(?:built|constructed|erected|completed|dat(?:es|ing|ed) (?:back )?to|dat(?:es|ing|ed) from)\s+(?:in\s+)?"
    r"(?P<n>(?:1[6-9]|20)\d\d)\b(?!s)"
)
_BUILDINGS = word_set("""
    building structure warehouse house home church barn mill store plant factory bridge hall school hotel
    theater theatre tower
    """)


_AGE_KEY = re.compile(r"-year-old|,\s\d|\sage")  # what every _AGE match holds


def ages(s: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    if _AGE_KEY.search(s) is None:
        return out
    for m in _AGE.finditer(s):
        raw = m.group("n") or m.group("n2") or m.group("n3")
        read = qualified(raw, None)
        if read is None or not 0 < read[0] < 120:
            continue
        who = m.group("who") or m.group("who3") or (m.group("name") or "").strip()
        if not who:
            continue  # "the 29-year-old": whose age it is cannot be told here
        # A first name tells family members apart ("Jeremy Ortiz", the deputy's son); a surname
        # alone joins the one full name of the story that ends with it (see `figures.collect`).
        names = [name_key(w) for w in person_part(who).split()[-2:]]
        # "a 47-year-old man" names nobody: such ages need like words around them to be one person's.
        thing = f"{who} (unnamed)" if who.islower() else " ".join(names)
        thing = BUILDING if who.lower() in _BUILDINGS else thing  # "the 86-year-old structure"
        out.append(mention("age", m.group(0), m.start(), *read, thing))
    return out


def specials(s: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    low = s.lower()
    # Each reader only where its key word is (the patterns are slow to try at every position).
    calibre = "calib" in low or "mm" in low
    for m in _CALIBRE.finditer(s) if calibre else ():
        if m.group("n"):
            value = float("0." + m.group("n"))
            out.append(mention("calibre", m.group(0), m.start(), value, value, value, "inch calibre"))
        else:
            value = float(m.group("mm"))
            out.append(mention("calibre", m.group(0), m.start(), value, value, value, "mm calibre"))
    quake = "magnitude" in low or "richter" in low or "measur" in low
    for m in _MAGNITUDE.finditer(s) if quake else ():
        value = float(m.group("n") or m.group("n2") or m.group("n3") or m.group("n4"))
        out.append(mention("magnitude", m.group(0), m.start(), value, value, value, "magnitude"))
    for m in _DISTANCE.finditer(s) if _UNIT_WORD.search(low) else ():
        read = qualified(m.group("n"), m.group("q"))
        if read is None:
            continue
        unit = m.group("u").lower()
        scale = _KM.get(re.sub(r"\s+", " ", unit).rstrip("s"), _KM.get(unit, 1.0))
        tail = (m.group("tail") or "").strip().lower()
        thing = "depth" if re.search(r"\b(?:deep|depth|below|underground)\b", s, re.I) else "distance"
        thing = "height" if tail in {"tall", "high"} or "-" in m.group(0) else thing
        place = _FROM_PLACE.match(s, m.end("u"))
        if place and thing == "distance":
            thing = f"distance from {name_key(place.group('place'))}"  # "1,500 km south of Tehran"
        value, lo, hi = (x * scale for x in read)
        text = m.group(0)[: len(m.group(0)) - len(m.group("tail") or "")]
        # A converted unit is a rounding: "six miles" is "10 kilometres".
        out.append(mention("distance", text, m.start(), value, lo * 0.95, hi * 1.05, thing))
    for m in _WEIGHT.finditer(s) if _WEIGHT_WORD.search(low) else ():
        read = qualified(m.group("n"), m.group("q"))
        after = s[m.end() : m.end() + 12].lower()
        if read is None or re.match(r"\s*(?:sterling|a year|in\b)", after):
            continue  # "500 pounds sterling", "a million pounds in aid": money, not weight
        unit = m.group("u").lower().rstrip("s")
        value, lo, hi = (x * _KG.get(unit, 1.0) for x in read)
        out.append(mention("weight", m.group(0), m.start(), value, lo * 0.98, hi * 1.02, "weight"))
    for m in _AWAY.finditer(s) if "away" in low or "down" in low or "from" in low else ():
        read = qualified(m.group("n"), m.group("q"))
        if read is not None:
            thing = "blocks away" if m.group("u").lower() == "blocks" else "buildings away"
            out.append(mention("distance", m.group(0), m.start(), *read, thing))
    for m in _CROWD.finditer(s) if "crowd" in low else ():
        read = qualified(m.group("n"), m.group("q"))
        if read is not None:
            out.append(mention("count", m.group(0), m.start(), *read, "crowd"))
    for m in _SHOT_TIMES.finditer(s) if "times" in low else ():
        read = qualified(m.group("n"), m.group("q"))
        if read is not None:
            out.append(mention("count", m.group(0), m.start(), *read, "hits"))
    return out


_WEIGHT_WORD = re.compile(r"kg\b|kilo|pound|lbs?\b|tons\b|tonne")
_UNIT_WORD = re.compile(r"km\b|kilomet|mile|metre|meter|feet|foot|ft\b|yard")
