"""Figures read by what they count: "11 shots", "three people were injured", "Orozco, 27",
"shortly after 3 p.m.", "a magnitude 6.1 quake", "10 kilometres deep".

Each reading is a `NumberMention` whose `kind` is the dimension (count, age, time, distance, ...)
and whose `unit` names the counted thing within it ("injured", "shots", the person an age belongs
to), so that figures are compared only with figures of the same thing. Casualty words decide the
thing before the noun does: "three people were injured" counts the injured, not people.
"""

from __future__ import annotations

import re

from bot.news.compare._casualties import CASUALTY, POST_VERB, casualties
from bot.news.compare._durations import duration_subject, subject_unit
from bot.news.compare._measures import ages, specials, times, years
from bot.news.compare._numbers import QUALIFIER_PATTERN, NumberMention, find_numbers

_QUAL = QUALIFIER_PATTERN
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
    "engines": "fire engines",
    "appliances": "fire engines",
    "tenders": "fire engines",
}
__all__ = ["CASUALTY", "attribution", "normalize", "read_figures"]


_DIGIT = re.compile(r"\d")
_GROUP_SPACE = re.compile(r"(?<=\d),\s(?=\d{3}\b)")
_CLOCK_SPACE = re.compile(r"(?<=\d):\s(?=\d\d\b)")
_AM_PM = re.compile(r"\b([ap])\.\s?m\.", re.IGNORECASE)
_AM_PM_KEY = re.compile(r"m\.", re.IGNORECASE)  # what every _AM_PM match holds
_SPACED_HYPHEN = re.compile(r"(?<=\w)\s-\s(?=\w)")
_POINT_SPACE = re.compile(r"(?<![\w.])\.\s(?=\d)")


def normalize(sentence: str) -> str:
    """Tokenized copy made readable: "3: 30 p. m." -> "3:30 p.m.", "1, 500" -> "1,500", "16 - year" -> "16-year"."""
    # Each mend only where its key character is: most sentences have no digit, and none of them
    # is worth a pass over the sentence there (the output is the same, for a fraction of the work).
    s = sentence
    digits = _DIGIT.search(s) is not None
    if digits and "," in s:
        s = _GROUP_SPACE.sub(",", s)
    if digits and ":" in s:
        s = _CLOCK_SPACE.sub(":", s)
    if _AM_PM_KEY.search(s):
        s = _AM_PM.sub(r"\1.m.", s)
    if "-" in s:
        s = _SPACED_HYPHEN.sub("-", s)
    return _POINT_SPACE.sub(".", s) if digits else s


def _singular(noun: str) -> str:
    """ "allies" -> "ally", "families" -> "family", "customers" -> "customer" (a label, not a lemma)."""
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith("s") and not noun.endswith("ss") and len(noun) > 3:
        return noun[:-1]
    return noun


def _thing_of_count(s: str, mention: NumberMention) -> str:
    """The counted thing: a casualty word after the figure wins over its noun."""
    after = POST_VERB.match(s[mention.end :])
    if after:
        return CASUALTY[after.group("verb").lower()]
    noun = mention.unit.lower()
    words = mention.text.lower().split()
    if noun == "members" and len(words) >= 3:
        noun = words[-2]  # "140 crew members" count the crew
    if noun in CASUALTY:
        return CASUALTY[noun]
    thing = _SAME_THING.get(noun, _singular(noun))
    if thing == "shots" and _AMMUNITION.search(s[mention.end : mention.end + 40]):
        return "rounds of ammunition"  # "300 rounds of ammunition were seized": not shots fired
    if thing == "people" and _CROWD_WORDS.search(s):
        return "crowd"  # people who gathered, marched, rioted: the size of a crowd
    if thing == "shots":
        # Shots fired and bullets that hit are two quantities ("fired 11 shots; seven hit him").
        window = s[max(0, mention.start - 40) : mention.end + 40]
        return "hits" if _HIT.search(window) and not _FIRED.search(window) else "shots fired"
    return thing


def _counted(s: str, mention: NumberMention) -> str:
    """The counted thing with what sets it apart from this event's own count of it: "an additional
    six engines" are more engines besides the first ones, and "14 rifles in their five operations
    so far" a running total, not what was seized this time."""
    thing = _thing_of_count(s, mention)
    if thing in CASUALTY.values():
        return thing  # a toll is a toll: "killed ... so far" is the toll to date
    if _MORE_BEFORE.search(s[max(0, mention.start - 16) : mention.start]):
        thing = f"more {thing}"
    if _RUNNING_TOTAL.search(s):
        thing = f"{thing} (running total)"
    return thing


_AMMUNITION = re.compile(
    r"^\s+(?:of\s+)?(?:\w+\s+)?(?:ammunition|ammo)\b|^\s+(?:were\s+)?(?:seized|found|confiscated|recovered)",
    re.I,
)
_MORE_BEFORE = re.compile(r"\b(?:additional|further|extra|more|another)\s+$", re.IGNORECASE)
# A count summed over more than this event: "so far", "to date", "during the five operations".
_RUNNING_TOTAL = re.compile(
    r"\b(?:so far|thus far|to date|altogether|in all|cumulative(?:ly)?|since (?:it|they|he|she) (?:began|started)"
    r"|(?:in|during|over) (?:the|their|its|his|her|all)\s+(?:\w+\s+)?(?:operations|raids|missions|patrols|years|seasons))\b",
    re.IGNORECASE,
)
_CROWD_WORDS = re.compile(
    r"\b(?:crowds?|gather(?:ed|ing)?|march(?:ed|ing|ers)?|rall(?:y|ied)|protest(?:ed|ers|ors)?|vigil|"
    r"demonstrat(?:ed|ors|ion)|mourners|rioters|mob)\b",
    re.IGNORECASE,
)
_HIT = re.compile(r"\b(?:hit|hitting|struck|entered|wounds?|autopsy)\b", re.IGNORECASE)
_FIRED = re.compile(r"\bfired\b|\bfiring\b|\btotal of\b", re.IGNORECASE)


_LEADING_QUALIFIER = re.compile(rf"^(?:{_QUAL})\s+", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?:other|additional|extra|further|more|neighbou?ring|new)\b", re.IGNORECASE)
_VAGUE_BEFORE = re.compile(r"\b(?:several|a few|few|many|tens of|hundreds of)\s*$", re.IGNORECASE)
# A sentence can hold a figure only with a digit, a currency, or one of these words (or a word
# ending in "teen"). Three searches, each fast to run, where one pattern of all of them was slow
# (its "\w+teen" was tried at every word): the same sentences pass.
_NUMBER_WORDS = (
    "no|zero|none|nobody|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    "forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen|half|third|quarter|fifth|tenth|hours?|another|"
    "noon|midnight|dozens|scores|hundreds|thousands"
)
_FIRST_LETTERS = "".join(sorted({w[0] for w in _NUMBER_WORDS.split("|")}))
_ANY_SIGN = re.compile(r"\d|[$€£%]")
_ANY_TEEN = re.compile(r"\wteen\b", re.IGNORECASE)
_ANY_WORD = re.compile(rf"\b(?=[{_FIRST_LETTERS}])(?:{_NUMBER_WORDS})\b", re.IGNORECASE)


def _any_number(sentence: str) -> bool:
    """Whether the sentence has a digit, a currency or a number word: if not, it holds no figure."""
    return any(p.search(sentence) is not None for p in (_ANY_SIGN, _ANY_TEEN, _ANY_WORD))


def read_figures(sentence: str) -> list[NumberMention]:
    """Every figure of one (normalized) sentence, each with what it counts; overlaps resolved in
    favour of the more specific reading (a casualty over a plain count, an age over a duration)."""
    found: list[NumberMention] = []
    if not _any_number(sentence):
        return found

    def free(m: NumberMention) -> bool:
        return not any(f.start < m.end and m.start < f.end for f in found)

    readers = [*specials(sentence), *casualties(sentence), *ages(sentence), *times(sentence)]
    for m in [*readers, *years(sentence)]:
        if free(m):
            found.append(m)
    for m in find_numbers(sentence):
        if not free(m) or _VAGUE_BEFORE.search(sentence[: m.start]):
            continue  # "several hundred thousand deaths": a guess at a scale, not a figure
        if m.kind == "count":
            if _RELATIVE.search(_LEADING_QUALIFIER.sub("", m.text)):
                continue  # "four neighboring departments", "two extra life sentences": besides one already counted
            m.unit = _counted(sentence, m)
        elif m.kind == "money":
            purpose = _PURPOSE.match(sentence[m.end :])
            if purpose and purpose.group(1).lower() not in _NOT_PURPOSE:
                m.unit = f"{m.unit} {purpose.group(1).lower()}"  # "$150 fine": money and what for
        elif m.kind == "duration":
            subject = duration_subject(sentence, m)
            m.unit = subject_unit(subject) if subject else m.unit  # "the tremor lasted 10 seconds"
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
