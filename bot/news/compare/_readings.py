"""Figures read by what they count: "11 shots", "three people were injured", "Orozco, 27",
"shortly after 3 p.m.", "a magnitude 6.1 quake", "10 kilometres deep".

Each reading is a `NumberMention` whose `kind` is the dimension (count, age, time, distance, ...)
and whose `unit` names the counted thing within it ("injured", "shots", the person an age belongs
to), so that figures are compared only with figures of the same thing. Casualty words decide the
thing before the noun does: "three people were injured" counts the injured, not people.
"""

from __future__ import annotations

import re

from bot.news.compare._numbers import (
    ONE_NUMBER,
    QUALIFIERS,
    ROUNDING,
    NumberMention,
    find_numbers,
    is_round,
    number_range,
)
from bot.news.quotes import person_part
from bot.news.text import name_key

_QUAL = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_N = ONE_NUMBER

# What was done to people, by the words news copy uses for it.
CASUALTY = {
    "killed": "killed",
    "dead": "killed",
    "died": "killed",
    "deaths": "killed",
    "fatalities": "killed",
    "lives": "killed",
    "bodies": "killed",
    "killing": "killed",
    "injured": "injured",
    "injuring": "injured",
    "injuries": "injured",
    "wounded": "injured",
    "wounding": "injured",
    "hurt": "injured",
    "hospitalised": "injured",
    "hospitalized": "injured",
    "missing": "missing",
    "arrested": "arrested",
    "arresting": "arrested",
    "arrests": "arrested",
    "detained": "arrested",
    "evacuated": "evacuated",
    "evacuating": "evacuated",
    "rescued": "rescued",
    "displaced": "displaced",
    "homeless": "displaced",
}
# Nouns that count the same thing under other names.
_SAME_THING = {
    "people": "people",
    "persons": "people",
    "residents": "people",
    "mourners": "people",
    "protesters": "people",
    "protestors": "people",
    "demonstrators": "people",
    "rioters": "people",
    "marchers": "people",
    "youths": "people",
    "teens": "people",
    "teenagers": "people",
    "men": "people",
    "women": "people",
    "workers": "people",
    "employees": "people",
    "civilians": "people",
    "adults": "people",
    "shots": "shots",
    "rounds": "shots",
    "bullets": "shots",
    "gunshots": "shots",
    "houses": "buildings",
    "homes": "buildings",
    "buildings": "buildings",
    "structures": "buildings",
    "crew": "crew",
    "riders": "passengers",
    "commuters": "passengers",
    "passengers": "passengers",
    "travellers": "passengers",
    "travelers": "passengers",
    "sailors": "crew",
    "seamen": "crew",
}
_PRE_VERB = re.compile(
    rf"\b(?P<verb>killing|killed|injuring|injured|wounding|wounded|arrested|arresting|evacuated|evacuating|"
    rf"rescued)\s+(?:(?P<q>at least|about|some|nearly|more than|up to|around)\s+)?(?P<n>{_N})"
    rf"(?:\s+(?:other\s+)?(?:people|persons|others|men|women|workers|employees|co-workers|residents))?\b"
    r"(?!\s+(?:times|years|months|weeks|days|hours|minutes|buildings|doors|houses|blocks|miles|feet|km|percent)\b)",
    re.IGNORECASE,
)
_POST_VERB = re.compile(
    r"^\s+(?:[a-z-]+\s+){0,2}?(?:(?:were|was|have been|had been|are|is|being|been)\s+)?"
    r"(?:(?:reported|confirmed|feared|believed|later|also|critically|seriously|fatally|slightly)\s+){0,2}"
    r"(?P<verb>killed|dead|died|injured|wounded|hurt|missing|arrested|detained|evacuated|rescued|displaced"
    r"|hospitali[sz]ed|homeless)\b",
    re.IGNORECASE,
)
_TOLL = re.compile(
    rf"\bdeath toll\s+(?:\w+\s+){{0,2}}?(?:to|at|of|reached|hit)\s+(?:(?P<q>{_QUAL})\s+)?(?P<n>{_N})\b",
    re.IGNORECASE,
)
_BARE = re.compile(
    rf"(?:(?P<q>{_QUAL})\s+)?(?P<n>{_N})\s+(?:people\s+|persons\s+)?(?P<verb>dead|injured|wounded|hurt|missing)\b",
    re.IGNORECASE,
)
# "dozens of people", "hundreds of homes": a vague count, but a range all the same.
_VAGUE = re.compile(
    r"\b(?P<n>dozens|scores|hundreds|thousands)\s+of\s+(?:\w+\s+){0,2}?(?P<noun>[a-z]{3,}s|people)\b"
    r"(?P<after>\s+(?:\w+\s+)?(?:were\s+|was\s+|have been\s+)?\w+)?",
    re.IGNORECASE,
)
_VAGUE_RANGE = {
    "dozens": (24.0, 99.0),
    "scores": (40.0, 199.0),
    "hundreds": (200.0, 999.0),
    "thousands": (2000.0, 9999.0),
}
_NONE = re.compile(
    r"\b(?:no|zero)\s+(?P<what>injuries|deaths|fatalities|casualties|arrests)\b"
    r"|\b(?:no one|nobody|none)\s+(?:\w+\s+){0,2}?(?:was|were|has been|had been)\s+"
    r"(?:\w+\s+)?(?P<verb>killed|injured|hurt|wounded|arrested)\b",
    re.IGNORECASE,
)
_ANOTHER = re.compile(
    r"\b(?:(?P<verb>wounded|wounding|injured|injuring|killed|killing)\s+(?:a|the)\s+third"
    r"|(?:critically\s+|seriously\s+)?(?P<verb2>wounded|wounding|injured|injuring)\s+another"
    r"|another\s+(?:\w+\s+)?(?P<verb3>wounded|injured))\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    rf"(?:(?P<q>shortly after|just after|shortly before|just before|{_QUAL}|after|before)\s+)?"
    r"(?:(?P<h>\d{1,2})(?:[:.](?P<m>\d\d))?\s?(?P<ap>[ap])\.?m\b\.?|(?P<word>noon|midnight))",
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
    rf"(?:(?P<q>{_QUAL})\s+)?(?P<n>{_N})[- ]?(?P<u>km|kilometres?|kilometers?|nautical miles?|miles?|metres?|meters?"
    r"|feet|foot|ft|yards?)\b(?P<tail>\s+\w+)?",
    re.IGNORECASE,
)
_KG = {"kg": 1.0, "kilogram": 1.0, "kilo": 1.0, "pound": 0.4536, "lb": 0.4536, "ton": 907.2, "tonne": 1000.0}
_WEIGHT = re.compile(
    rf"(?:(?P<q>{_QUAL})\s+)?(?P<n>{_N})[- ]?(?P<u>kg|kilograms?|kilos?|pounds?|lbs?|tons|tonnes?)\b",
    re.IGNORECASE,
)
_AWAY = re.compile(
    rf"(?:(?P<q>{_QUAL})\s+)?(?P<n>{_N})\s+(?P<u>buildings|doors|houses|homes|blocks)\s+(?:away|down|from)\b",
    re.IGNORECASE,
)
_CROWD = re.compile(rf"\bcrowd\s+(?:of|at|estimated at)\s+(?:(?P<q>{_QUAL})\s+)?(?P<n>\d[\d,]*)\b", re.I)
_SHOT_TIMES = re.compile(rf"\bshot\s+(?:(?P<q>{_QUAL})\s+)?(?P<n>{_N})\s+times\b", re.IGNORECASE)


def normalize(sentence: str) -> str:
    """Tokenized copy made readable: "3: 30 p. m." -> "3:30 p.m.", "1, 500" -> "1,500", "16 - year" -> "16-year"."""
    s = re.sub(r"(?<=\d),\s(?=\d{3}\b)", ",", sentence)
    s = re.sub(r"(?<=\d):\s(?=\d\d\b)", ":", s)
    s = re.sub(r"\b([ap])\.\s?m\.", r"\1.m.", s, flags=re.IGNORECASE)
    s = re.sub(r"(?<=\w)\s-\s(?=\w)", "-", s)
    return re.sub(r"(?<![\w.])\.\s(?=\d)", ".", s)


def _mention(
    kind: str, text: str, start: int, value: float, lo: float, hi: float, thing: str
) -> NumberMention:
    text = text.strip()
    return NumberMention(kind, text, value, lo, hi, thing, start, start + len(text))


def _qualified(n: str, qualifier: str | None) -> tuple[float, float, float] | None:
    span = number_range(n)
    if span is None:
        return None
    lo, hi = QUALIFIERS.get(re.sub(r"\s+", " ", (qualifier or "").lower()), (1.0, 1.0))
    if not qualifier and span[0] == span[1] and is_round(n, span[0]):
        lo, hi = 1 - ROUNDING, 1 + ROUNDING
    return (span[0] + span[1]) / 2, span[0] * lo, span[1] * hi


_HARM = re.compile(
    r"kill|dead|died|death|injur|wound|hurt|missing|arrest|detain|evacuat|rescu|displac|hospitali|homeless"
    r"|fatalit|casualt|bodies|lives",
    re.IGNORECASE,
)


def _casualties(s: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    if not _HARM.search(s):
        return out  # no word of harm: the patterns below cannot match
    for m in _TOLL.finditer(s):
        read = _qualified(m.group("n"), m.group("q"))
        if read is not None:
            out.append(_mention("count", m.group(0), m.start(), *read, "killed"))
    for m in _PRE_VERB.finditer(s):
        read = _qualified(m.group("n"), m.group("q"))
        if read is not None and m.group("n").lower() not in {"a", "an", "one"}:
            out.append(_mention("count", m.group(0), m.start(), *read, CASUALTY[m.group("verb").lower()]))
    for m in _BARE.finditer(s):
        read = _qualified(m.group("n"), m.group("q"))
        if read is not None and m.group("n").lower() not in {"a", "an"}:
            out.append(_mention("count", m.group(0), m.start(), *read, CASUALTY[m.group("verb").lower()]))
    for m in _VAGUE.finditer(s):
        lo, hi = _VAGUE_RANGE[m.group("n").lower()]
        verb = _POST_VERB.match(s[m.end("noun") :])
        if verb is None or m.group("noun").lower() in _VAGUE_RANGE:
            # "thousands of commuters" is colour ("dozens of people were hurt" is a toll), and
            # "hundreds of thousands" a scale this reading does not follow.
            continue
        thing = CASUALTY[verb.group("verb").lower()]
        text = s[m.start() : m.end("noun")]
        out.append(_mention("count", text, m.start(), (lo + hi) / 2, lo, hi, thing))
    for m in _NONE.finditer(s):
        word = (m.group("what") or m.group("verb") or "").lower()
        thing = {"casualties": "injured"}.get(word) or CASUALTY.get(word, "injured")
        out.append(_mention("count", m.group(0), m.start(), 0.0, 0.0, 0.0, thing))
    for m in _ANOTHER.finditer(s):
        done = str(m.group("verb") or m.group("verb2") or m.group("verb3")).lower()
        # "killed two and wounded a third": one more person, written without a digit (shown "= 1").
        out.append(_mention("count", m.group(0) + " (= 1)", m.start(), 1.0, 1.0, 1.0, CASUALTY[done]))
        out[-1].end = m.end()
    return out


def _singular(noun: str) -> str:
    """ "allies" -> "ally", "families" -> "family", "customers" -> "customer" (a label, not a lemma)."""
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith("s") and not noun.endswith("ss") and len(noun) > 3:
        return noun[:-1]
    return noun


def _thing_of_count(s: str, mention: NumberMention) -> str:
    """The counted thing: a casualty word after the figure wins over its noun."""
    after = _POST_VERB.match(s[mention.end :])
    if after:
        return CASUALTY[after.group("verb").lower()]
    noun = mention.unit.lower()
    words = mention.text.lower().split()
    if noun == "members" and len(words) >= 3:
        noun = words[-2]  # "140 crew members" count the crew
    if noun in CASUALTY:
        return CASUALTY[noun]
    thing = _SAME_THING.get(noun, _singular(noun))
    if thing == "people" and _CROWD_WORDS.search(s):
        return "crowd"  # people who gathered, marched, rioted: the size of a crowd
    if thing == "shots":
        # Shots fired and bullets that hit are two quantities ("fired 11 shots; seven hit him").
        window = s[max(0, mention.start - 40) : mention.end + 40]
        return "hits" if _HIT.search(window) and not _FIRED.search(window) else "shots fired"
    return thing


_CROWD_WORDS = re.compile(
    r"\b(?:crowds?|gather(?:ed|ing)?|march(?:ed|ing|ers)?|rall(?:y|ied)|protest(?:ed|ers|ors)?|vigil|"
    r"demonstrat(?:ed|ors|ion)|mourners|rioters|mob)\b",
    re.IGNORECASE,
)
_HIT = re.compile(r"\b(?:hit|hitting|struck|entered|wounds?|autopsy)\b", re.IGNORECASE)
_FIRED = re.compile(r"\bfired\b|\bfiring\b|\btotal of\b", re.IGNORECASE)


_ZONED = re.compile(r"\b(?P<h>[01]?\d|2[0-3]):?(?P<m>[0-5]\d)\s*(?:hours\s+)?(?P<z>GMT|UTC|Z)\b")


def _times(s: str) -> list[NumberMention]:
    out = []
    for m in _ZONED.finditer(s):
        minutes = int(m.group("h")) * 60.0 + int(m.group("m"))
        # A clock time in another zone is another reading: only compared with times in that zone.
        out.append(_mention("time", m.group(0), m.start(), minutes, minutes, minutes, "time of day (GMT)"))
    for m in _TIME.finditer(s):
        if m.group("word"):
            minutes = 720.0 if m.group("word").lower() == "noon" else 1440.0
        else:
            hour = int(m.group("h")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
            if int(m.group("h")) > 12:
                continue
            minutes = hour * 60.0 + int(m.group("m") or 0)
        q = (m.group("q") or "").lower()
        lo, hi = _TIME_QUAL.get(q, (-10, 10) if q in QUALIFIERS else (0, 0))
        out.append(
            _mention("time", m.group(0), m.start(), minutes, minutes + lo, minutes + hi, "time of day")
        )
    return out


_YEAR = re.compile(r"\b(?:in|since|from|until|during|by)\s+(?P<n>(?:19|20)\d\d)\b(?![-–/]|\s*-\s*\d)")


def _years(s: str) -> list[NumberMention]:
    """A year an event happened in ("voters in 2009 approved", "built in 1935"); dates are left
    out ("June 24, 2005" says when, not which year an outlet gives for something)."""
    out = []
    for m in _YEAR.finditer(s):
        value = float(m.group("n"))
        out.append(_mention("year", m.group(0), m.start(), value, value, value, "year"))
    return out


def _ages(s: str) -> list[NumberMention]:
    out = []
    for m in _AGE.finditer(s):
        raw = m.group("n") or m.group("n2") or m.group("n3")
        read = _qualified(raw, None)
        if read is None or not 0 < read[0] < 120:
            continue
        who = m.group("who") or m.group("who3") or (m.group("name") or "").strip()
        if not who:
            continue  # "the 29-year-old": whose age it is cannot be told here
        # A first name tells family members apart ("Jeremy Ortiz", the deputy's son); a surname
        # alone joins the one full name of the story that ends with it (see `figures.collect`).
        names = [name_key(w) for w in person_part(who).split()[-2:]]
        thing = who if who.islower() else " ".join(names)
        out.append(_mention("age", m.group(0), m.start(), *read, thing))
    return out


def _specials(s: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    low = s.lower()
    # Each reader only where its key word is (the patterns are slow to try at every position).
    calibre = "calib" in low or "mm" in low
    for m in _CALIBRE.finditer(s) if calibre else ():
        if m.group("n"):
            value = float("0." + m.group("n"))
            out.append(_mention("calibre", m.group(0), m.start(), value, value, value, "inch calibre"))
        else:
            value = float(m.group("mm"))
            out.append(_mention("calibre", m.group(0), m.start(), value, value, value, "mm calibre"))
    quake = "magnitude" in low or "richter" in low or "measur" in low
    for m in _MAGNITUDE.finditer(s) if quake else ():
        value = float(m.group("n") or m.group("n2") or m.group("n3") or m.group("n4"))
        out.append(_mention("magnitude", m.group(0), m.start(), value, value, value, "magnitude"))
    for m in _DISTANCE.finditer(s) if _UNIT_WORD.search(low) else ():
        read = _qualified(m.group("n"), m.group("q"))
        if read is None:
            continue
        unit = m.group("u").lower()
        scale = _KM.get(re.sub(r"\s+", " ", unit).rstrip("s"), _KM.get(unit, 1.0))
        tail = (m.group("tail") or "").strip().lower()
        thing = "depth" if re.search(r"\b(?:deep|depth|below|underground)\b", s, re.I) else "distance"
        thing = "height" if tail in {"tall", "high"} or "-" in m.group(0) else thing
        value, lo, hi = (x * scale for x in read)
        text = m.group(0)[: len(m.group(0)) - len(m.group("tail") or "")]
        # A converted unit is a rounding: "six miles" is "10 kilometres".
        out.append(_mention("distance", text, m.start(), value, lo * 0.95, hi * 1.05, thing))
    for m in _WEIGHT.finditer(s) if _WEIGHT_WORD.search(low) else ():
        read = _qualified(m.group("n"), m.group("q"))
        after = s[m.end() : m.end() + 12].lower()
        if read is None or re.match(r"\s*(?:sterling|a year|in\b)", after):
            continue  # "500 pounds sterling", "a million pounds in aid": money, not weight
        unit = m.group("u").lower().rstrip("s")
        value, lo, hi = (x * _KG.get(unit, 1.0) for x in read)
        out.append(_mention("weight", m.group(0), m.start(), value, lo * 0.98, hi * 1.02, "weight"))
    for m in _AWAY.finditer(s) if "away" in low or "down" in low or "from" in low else ():
        read = _qualified(m.group("n"), m.group("q"))
        if read is not None:
            thing = "blocks away" if m.group("u").lower() == "blocks" else "buildings away"
            out.append(_mention("distance", m.group(0), m.start(), *read, thing))
    for m in _CROWD.finditer(s) if "crowd" in low else ():
        read = _qualified(m.group("n"), m.group("q"))
        if read is not None:
            out.append(_mention("count", m.group(0), m.start(), *read, "crowd"))
    for m in _SHOT_TIMES.finditer(s) if "times" in low else ():
        read = _qualified(m.group("n"), m.group("q"))
        if read is not None:
            out.append(_mention("count", m.group(0), m.start(), *read, "hits"))
    return out


_RELATIVE = re.compile(r"\b(?:other|additional|extra|further|more|neighbou?ring|new)\b", re.IGNORECASE)
_VAGUE_BEFORE = re.compile(r"\b(?:several|a few|few|many|tens of|hundreds of)\s*$", re.IGNORECASE)
_WEIGHT_WORD = re.compile(r"kg\b|kilo|pound|lbs?\b|tons\b|tonne")
_UNIT_WORD = re.compile(r"km\b|kilomet|mile|metre|meter|feet|foot|ft\b|yard")
_ANY_NUMBER = re.compile(
    r"\d|\b(?:no|zero|none|nobody|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen|half|third|quarter|fifth|tenth|hours?|"
    r"another|noon|midnight|dozens|scores|hundreds|thousands)\b|[$€£%]",
    re.IGNORECASE,
)


def read_figures(sentence: str) -> list[NumberMention]:
    """Every figure of one (normalized) sentence, each with what it counts; overlaps resolved in
    favour of the more specific reading (a casualty over a plain count, an age over a duration)."""
    found: list[NumberMention] = []
    if not _ANY_NUMBER.search(sentence):
        return found

    def free(m: NumberMention) -> bool:
        return not any(f.start < m.end and m.start < f.end for f in found)

    readers = [*_specials(sentence), *_casualties(sentence), *_ages(sentence), *_times(sentence)]
    for m in [*readers, *_years(sentence)]:
        if free(m):
            found.append(m)
    for m in find_numbers(sentence):
        if not free(m) or _VAGUE_BEFORE.search(sentence[: m.start]):
            continue  # "several hundred thousand deaths": a guess at a scale, not a figure
        if m.kind == "count":
            if _RELATIVE.search(re.sub(rf"^(?:{_QUAL})\s+", "", m.text, flags=re.IGNORECASE)):
                continue  # "four neighboring departments", "two extra life sentences": besides one already counted
            m.unit = _thing_of_count(sentence, m)
        elif m.kind == "money":
            purpose = _PURPOSE.match(sentence[m.end :])
            if purpose and purpose.group(1).lower() not in _NOT_PURPOSE:
                m.unit = f"{m.unit} {purpose.group(1).lower()}"  # "$150 fine": money and what for
        found.append(m)
    return sorted(found, key=lambda n: n.start)


_PURPOSE = re.compile(r"\W{0,3}\s?([a-z]{3,})\b")
_NOT_PURPOSE = frozenset(
    [
        "in",
        "of",
        "for",
        "to",
        "and",
        "or",
        "from",
        "the",
        "per",
        "each",
        "was",
        "were",
        "is",
        "are",
        "will",
        "has",
        "had",
        "have",
        "over",
        "last",
        "this",
        "that",
        "on",
        "at",
        "by",
        "with",
        "more",
        "less",
        "than",
        "worth",
        "total",
        "each",
        "apiece",
        "annually",
        "year",
        "month",
        "week",
        "day",
    ]
)

_ATTRIBUTION = re.compile(
    r"\baccording to (?P<a>(?:the\s)?[\w.'’ -]{2,40}?)(?=[,.;]|$)"
    r"|(?P<b>police|officials|authorities|(?:[A-Z][\w'’.-]+\s?){1,3}"
    r"|the\s+(?:[a-z]+\s){0,3}?(?:chief|spokes(?:man|woman|person)|coroner|sheriff|mayor|governor|police|officials?"
    r"|authorities|agency|ministry|department|minister))\s+(?:said|says|told|reported|confirmed)\b"
)


def attribution(sentence: str) -> str | None:
    """Whom the sentence credits for what it states ("police", "the coroner"), if it says."""
    m = _ATTRIBUTION.search(sentence)
    if m is None:
        return None
    who = (m.group("a") or m.group("b") or "").strip()
    return who or None
