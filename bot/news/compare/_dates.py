"""Days an event happened on, read against the article's publication date: "on Thursday",
"yesterday", "the previous day", "June 20", "10 Nov 11". An article published on Friday 11
November that says the attack came "on Thursday" dates it 10 November; one that says "on Friday",
11 November: two outlets giving two days for one attack is a disagreement, whatever the words.

A day is compared only with days of the same kind of happening (the incident itself, an arrest, a
court's decision), read from the words of its sentence; a day whose sentence names no happening, the
day something was said ("police said Thursday") and a day still to come ("will be sentenced May 3")
are left out.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from bot.news.compare._numbers import NumberMention

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_DAY = re.compile(
    rf"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    rf"|\b(?P<rel>(?i:yesterday|today))\b"
    rf"|\b(?P<m1>{_MONTH})\.?\s(?P<d1>[0-3]?\d)\b(?:,?\s(?P<y1>(?:19|20)\d\d)\b)?"
    rf"|\b(?P<d2>[0-3]?\d)\s(?P<m2>{_MONTH})\b\.?(?:,?\s(?P<y2>(?:19|20)?\d\d)\b)?"
)
_DAY_KEY = re.compile(r"day|\d", re.IGNORECASE)  # every _DAY match holds one: a quick test before it
# "The previous day" counts from another happening, not from the publication: left out.
_RELATIVE = {"yesterday": -1, "today": 0}
# What happened on the day, by kind. The nearest such word in the sentence says what is dated.
_HAPPENINGS = {
    "arrest": r"arrest(?:ed)?|caught|captured|detained|apprehended|surrendered",
    "court": r"charged|charges?|convicted|sentenced|verdict|jury|arraigned|indicted|trial",
    "incident": r"shooting|shot|kill(?:ed|ing)|murder(?:ed|ing)?|slaying|slain|attack(?:ed|s)?|incident|happened"
    r"|occurred|took place|taken place|fire|blaze|broke out|quake|earthquake|struck|explosion|exploded|crash(?:ed)?"
    r"|foiled|thwarted|intercepted|riot(?:s|ing)?|rampage|escaped?|died|looted|collapsed",
}
_HAPPENING = re.compile("|".join(rf"\b(?P<{k}>{v})\b" for k, v in _HAPPENINGS.items()), re.IGNORECASE)
# The day something was said, or a day to come: not the day of what happened.
_SAID = re.compile(r"\b(?:said|says|told|announced|added|stated|reported|confirmed)\s+(?:\w+\s+){0,2}$", re.I)
_FUTURE = re.compile(
    r"\b(?:will|would|scheduled|due|expected|set to|next|later|until|plans?)\b", re.IGNORECASE
)
_MIDNIGHT = re.compile(r"\bmidnight\b|\b(?:11|12)(?::\d\d)?\s?[ap]\.?m\b", re.IGNORECASE)
_CONTEXT_WORDS = 6  # words of its clause shown before a day: "on Friday" alone tells a reader nothing
_CLAUSE_END = re.compile(r"[,;()\"“”—–]|(?<!\d):|\s-\s")
# How far from the day its happening may be named: before it, the clause's verb ("foiled a pirate
# attack on merchant vessels … on Friday"); after it, only a noun or verb it leads ("Thursday
# foiled", "the June 20 shooting"), not a clause of its own ("Monday to survivors of a quake").
_BEFORE_WORDS, _AFTER_WORDS = 10, 3


def _resolve(m: re.Match[str], published: datetime | None) -> date | None:
    """The calendar day a mention names, counting back from the publication day where it must."""
    pub = published.date() if published is not None else None
    if m.group("wd"):
        if pub is None:
            return None
        back = (pub.weekday() - _WEEKDAYS.index(m.group("wd").lower())) % 7
        return pub - timedelta(days=back)  # news copy names the last such day, or today
    if m.group("rel"):
        return None if pub is None else pub + timedelta(days=_RELATIVE[m.group("rel").lower()])
    month = _MONTHS.index((m.group("m1") or m.group("m2"))[:3].lower()) + 1
    day = int(m.group("d1") or m.group("d2"))
    year_text = m.group("y1") or m.group("y2")
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    elif pub is not None:
        year = pub.year if (month, day) <= (pub.month, pub.day + 1) else pub.year - 1
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None  # "June 31": not a day


def _happening(sentence: str, start: int, end: int) -> tuple[str, str] | None:
    """The kind of happening nearest the day in its sentence and its word (stemmed), if any,
    within a few words of it."""
    best: tuple[int, str, str] | None = None
    lo = len(" ".join(sentence[:start].split()[-_BEFORE_WORDS:]))
    hi = len(" ".join(sentence[end:].split()[:_AFTER_WORDS]))
    for h in _HAPPENING.finditer(sentence, max(0, start - lo - 1), end + hi + 1):
        kind = next(k for k, v in h.groupdict().items() if v)
        # The verb before the day is its clause's ("was arrested … yesterday, near where the
        # shooting occurred"): a word after it counts at twice its distance.
        distance = start - h.end() if h.end() <= start else 2 * (h.start() - end)
        if distance >= 0 and (best is None or distance < best[0]):
            best = (distance, kind, _stem(h.group(0)))
    return best[1:] if best else None


def _stem(word: str) -> str:
    """ "attacked", "attacks" -> "attack"; "shot", "shooting" -> "shoot" (a key, not a lemma)."""
    word = word.lower()
    word = {"shot": "shoot", "slain": "slay", "caught": "catch", "struck": "strike"}.get(word, word)
    return re.sub(r"(?:ing|ed|es|s)$", "", word) if len(word) > 5 else word


def _shown(sentence: str, start: int, end: int, day: date) -> str:
    """The day with the few words before it in its clause, and the calendar day it names."""
    before = _CLAUSE_END.split(sentence[:start])[-1].split()[-_CONTEXT_WORDS:]
    return " ".join([*before, sentence[start:end]]) + f" ({day:%a} {day.day} {day:%b})"


def read_days(sentence: str, published: datetime | None) -> list[NumberMention]:
    """The days a sentence dates a happening on, as day numbers (ordinals) with what happened."""
    out: list[NumberMention] = []
    if _DAY_KEY.search(sentence) is None or not _DAY.search(sentence):
        return out
    for m in _DAY.finditer(sentence):
        head = sentence[max(0, m.start() - 40) : m.start()]
        if _SAID.search(head) or _FUTURE.search(" ".join(head.split()[-5:])):
            continue
        day = _resolve(m, published)
        happening = _happening(sentence, m.start(), m.end()) if day is not None else None
        if day is None or happening is None:
            continue
        kind, cue = happening
        value = float(day.toordinal())
        # Around midnight the day is either side of it ("arrested around midnight Friday"); and
        # "yesterday" is a day off when the page's date is the update's, not the report's.
        spread = 1.0 if _MIDNIGHT.search(sentence) or m.group("rel") else 0.0
        text = _shown(sentence, m.start(), m.end(), day)
        thing = f"day of the {kind}"
        lo, hi = value - spread, value + spread
        found = NumberMention(
            "date", text, value, lo, hi, thing, m.start(), m.end(), bool(m.group("wd")), cue
        )
        out.append(found)
    return out
