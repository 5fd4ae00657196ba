"""Sentences about another time: "In December 2003, a quake in Bam killed more than 31,000 people",
"In early March, a gunman wounded three people at a printing plant". Their figures belong to an
earlier event the article recalls for background, not to the story's own, and are not compared
with the story's figures (a past toll is no disagreement with today's).
"""

from __future__ import annotations

import re
from datetime import datetime

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# "in 2003", "since 1991", "in December 2003", "December 26, 2003": a year the sentence is set in.
_YEAR = re.compile(
    rf"\b(?:(?:in|since|during|from|until|of)\s+(?:(?:early|late|mid-?)\s*)?(?:{_MONTH}\s+)?"
    rf"|{_MONTH}\s+(?:\d{{1,2}},?\s+)?)(?P<year>(?:19|20)\d\d)\b"
)
# "In early March, ...", "last February": a month the sentence is set in (May is also a verb).
_IN_MONTH = re.compile(
    rf"\b(?:[Ii]n|[Ll]ast)\s+(?:(?P<part>early|late|mid-?)\s*)?(?P<month>{_MONTH})\b(?!\s+\d)"
)
_EARLY_DAYS = 10
_AGO = re.compile(
    r"\b(?:last year|(?:a|two|three|several|many|\d+) years? ago|decades? ago)\b", re.IGNORECASE
)


def another_time(sentence: str, published: datetime | None) -> bool:
    """Whether the sentence is set at a time other than the article's own (its year or month).

    Without a publication date only "years ago" and "last year" tell; a year alone could be the
    article's own.
    """
    if _AGO.search(sentence):
        return True
    if published is None:
        return False
    for m in _YEAR.finditer(sentence):
        if int(m.group("year")) not in (published.year, published.year - 1 if published.month == 1 else 0):
            return True
    for m in _IN_MONTH.finditer(sentence):
        month = _MONTHS.index(m.group("month").lower()) + 1
        before = (published.month - 2) % 12 + 1
        late = m.group("part") in (None, "late")  # "in early March" is no story of last week
        if month != published.month and not (month == before and late and published.day <= _EARLY_DAYS):
            return True  # not this month (nor the end of the one before, for a story told early in a month)
    return False
