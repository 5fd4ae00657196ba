"""Casualty figures: "three people were injured", "killing 10", "the death toll rose to 15",
"dozens of people were hurt", "no one was killed". The casualty word decides what is counted
(the injured, not people), so that tolls are compared only with tolls of the same harm.
"""

from __future__ import annotations

import re

from bot.news.compare._numbers import (
    ONE_NUMBER,
    QUALIFIED_START,
    QUALIFIER_PATTERN,
    NumberMention,
    mention,
    qualified,
)

_QUAL = QUALIFIER_PATTERN
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
_PRE_VERB = re.compile(
    rf"\b(?P<verb>killing|killed|injuring|injured|wounding|wounded|arrested|arresting|evacuated|evacuating|"
    rf"rescued)\s+(?:(?P<q>at least|about|some|nearly|more than|up to|around)\s+)?(?P<n>{_N})"
    rf"(?:\s+(?:other\s+)?(?:people|persons|others|men|women|workers|employees|co-workers|residents))?\b"
    r"(?!\s+(?:times|years|months|weeks|days|hours|minutes|buildings|doors|houses|blocks|miles|feet|km|percent)\b)",
    re.IGNORECASE,
)
POST_VERB = re.compile(
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
    rf"{QUALIFIED_START}(?:(?P<q>{_QUAL})\s+)?(?P<n>{_N})\s+(?:people\s+|persons\s+)?(?P<verb>dead|injured|wounded|hurt|missing)\b",
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

_HARM = re.compile(
    r"kill|dead|died|death|injur|wound|hurt|missing|arrest|detain|evacuat|rescu|displac|hospitali|homeless"
    r"|fatalit|casualt|bodies|lives",
    re.IGNORECASE,
)


def casualties(s: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    if not _HARM.search(s):
        return out  # no word of harm: the patterns below cannot match
    for m in _TOLL.finditer(s):
        read = qualified(m.group("n"), m.group("q"))
        if read is not None:
            out.append(mention("count", m.group(0), m.start(), *read, "killed"))
    for m in _PRE_VERB.finditer(s):
        read = qualified(m.group("n"), m.group("q"))
        if read is not None and m.group("n").lower() not in {"a", "an", "one"}:
            out.append(mention("count", m.group(0), m.start(), *read, CASUALTY[m.group("verb").lower()]))
    for m in _BARE.finditer(s):
        read = qualified(m.group("n"), m.group("q"))
        if read is not None and m.group("n").lower() not in {"a", "an"}:
            out.append(mention("count", m.group(0), m.start(), *read, CASUALTY[m.group("verb").lower()]))
    for m in _VAGUE.finditer(s):
        lo, hi = _VAGUE_RANGE[m.group("n").lower()]
        verb = POST_VERB.match(s[m.end("noun") :])
        if verb is None or m.group("noun").lower() in _VAGUE_RANGE:
            # "thousands of commuters" is colour ("dozens of people were hurt" is a toll), and
            # "hundreds of thousands" a scale this reading does not follow.
            continue
        thing = CASUALTY[verb.group("verb").lower()]
        text = s[m.start() : m.end("noun")]
        out.append(mention("count", text, m.start(), (lo + hi) / 2, lo, hi, thing))
    for m in _NONE.finditer(s):
        word = (m.group("what") or m.group("verb") or "").lower()
        thing = {"casualties": "injured"}.get(word) or CASUALTY.get(word, "injured")
        out.append(mention("count", m.group(0), m.start(), 0.0, 0.0, 0.0, thing))
    for m in _ANOTHER.finditer(s):
        done = str(m.group("verb") or m.group("verb2") or m.group("verb3")).lower()
        # "killed two and wounded a third": one more person, written without a digit (shown "= 1").
        out.append(mention("count", m.group(0) + " (= 1)", m.start(), 1.0, 1.0, 1.0, CASUALTY[done]))
        out[-1].end = m.end()
    return out
