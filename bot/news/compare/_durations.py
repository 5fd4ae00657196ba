"""What a length of time is the length of: "the tremor lasted just over 10 seconds" and "a definite
tremor for one minute" both time the shaking; "wed about three weeks ago" and "married three weeks
before her husband was murdered" both time the marriage. A duration with such a subject is compared
with durations of the same subject whatever else its sentence says; one without stays a plain
duration, compared only when its context is alike.
"""

from __future__ import annotations

import re

from bot.news.compare._numbers import NumberMention

# Words that say what a duration measures, by subject. Kept to things news copy times once per
# story (a quake's shaking, a marriage, a trial, a standoff): a prison term has its parole, a fire
# its many stages, so those stay plain durations.
_SUBJECTS = {
    "shaking": r"tremors?|shaking|shook|shake|jolt(?:ed|ing)?|swaye?d?|swaying",
    "marriage": r"married|marriage|wed|wedded|wedding",
    "trial": r"trial",
    "standoff": r"stand-?off|siege",
}
_SUBJECT = re.compile("|".join(rf"\b(?P<{k}>{v})\b" for k, v in _SUBJECTS.items()), re.IGNORECASE)
_BEFORE_WORDS = 6  # words before the duration that may name its subject
_AFTER_WORDS = 15  # … and after it ("It lasted around 30 seconds — … the coffee cups shaking")
# "two years after the quake in Bam": a gap between two moments, its subject only before it.
_GAP = re.compile(r"^\s+(?:after|before|later|earlier|since|from)\b", re.IGNORECASE)


def duration_subject(sentence: str, m: NumberMention) -> str | None:
    """The subject a duration times ("shaking", "marriage"), from the words around it, or None."""
    before = " ".join(sentence[: m.start].split()[-_BEFORE_WORDS:])
    after = "" if _GAP.match(sentence[m.end :]) else " ".join(sentence[m.end :].split()[:_AFTER_WORDS])
    found = {
        k for part in (before, after) for s in _SUBJECT.finditer(part) for k, v in s.groupdict().items() if v
    }
    return found.pop() if len(found) == 1 else None


def subject_unit(subject: str) -> str:
    """The unit of a duration of this subject: minutes, of the subject alone."""
    return f"minutes ({subject})"


def timed_subject(m: NumberMention) -> bool:
    """Whether this duration has a subject of its own (compared like a toll: the thing says what it is)."""
    return m.kind == "duration" and m.unit.startswith("minutes (")
