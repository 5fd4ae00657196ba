"""Text analysis for clustering: word terms, named-entity tokens, headline terms and a lead fingerprint."""

from __future__ import annotations

import re
from collections import Counter

# Function words plus words every news story uses ("said", weekdays, months): they say nothing about
# which event an article covers, and dropping them keeps vectors short.
_STOP = frozenset(
    """
    a about above after again against all almost along already also although always am among an and another
    any anyone anything are around as at back be became because become been before being below between both
    but by came can cannot could did do does doing done down during each either else enough even ever every
    few for from further get gets getting got had has have having he her here hers herself him himself his
    how however i if in into is it its itself just least less like made make makes many may me might more
    most much must my myself near need never new next no nor not now of off often on once one only or other
    others our ours ourselves out over own per perhaps rather really said same say saying says see seen
    several shall she should since so some something still such than that the their theirs them themselves
    then there these they thing things this those though through thus to too toward towards under until up
    upon us use used very via was way we well were what whatever when where whether which while who whom
    whose why will with within without would yet you your yours yourself also told tell tells asked ask
    according added adds including include includes includ week weeks day days year years month months time
    times today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec mr mrs ms dr st two three four five six seven eight nine ten first second third last
    news report reports reported reporting reporter reporters story article photo image images video
    via read more click share comments comment advertisement subscribe newsletter sign copyright reserved
    rights www com http https html people part going want wants go goes went come comes know think
    """.split()
)
# Capitalised words that are not names: sentence openers and titles.
_NOT_ENTITY = _STOP | frozenset(
    """
    president minister senator sen rep gov governor secretary chairman chief officials official former
    spokesman spokeswoman spokesperson director leader house white state states department administration
    party committee court supreme federal national united but so yet thursday democrats republicans
    democrat republican opinion editor editorial
    """.split()
)
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’\-]*[A-Za-z\u00c0-\u024f]|\d+(?:[.,]\d+)*")
_SENTENCE = re.compile(r"(?<=[.!?…\"”])\s+|\n+")
_POSSESSIVE = re.compile(r"['’]s?$")
_LEAD_WORDS = 60  # words of the opening that count double: the lead says what the story is
_FINGERPRINT_CHARS = 400


def stem(word: str) -> str:
    """Fold a lower-case English word to a crude stem (plurals and common verb endings)."""
    n = len(word)
    if n > 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if n > 5 and word.endswith("ing"):
        return word[:-3]
    if n > 4 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2]
    if n > 4 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def is_meaningful_title(title: str | None) -> bool:
    """Tell a real headline from a placeholder such as a file name or a slug ("abortion_9_1")."""
    if not title:
        return False
    t = title.strip()
    return " " in t and "_" not in t and sum(c.isalpha() for c in t) >= 8


def _words(sentence: str) -> list[str]:
    return [_POSSESSIVE.sub("", w) for w in _WORD.findall(sentence)]


def analyse(title: str | None, text: str, max_chars: int) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Return (body terms, entity tokens, headline terms) as counts; the lead's words count double."""
    body: Counter[str] = Counter()
    entities: Counter[str] = Counter()
    headline: Counter[str] = Counter()
    seen_words = 0
    first_sentence = True
    lower_seen: set[str] = set()
    sentence_initial: list[str] = []
    for sentence in _SENTENCE.split(text[:max_chars]):
        words = _words(sentence)
        if not words:
            continue
        for i, word in enumerate(words):
            low = word.lower()
            if low in _STOP or len(low) < 2:
                seen_words += 1
                continue
            term = stem(low) if not low[0].isdigit() else low
            weight = 2 if seen_words < _LEAD_WORDS else 1
            body[term] += weight
            if first_sentence:
                headline[term] += 1
            seen_words += 1
            if word[0].isupper():
                if low in _NOT_ENTITY:
                    continue
                if i == 0:
                    sentence_initial.append(low)
                else:
                    entities[low] += weight
            elif word[0].isalpha():
                lower_seen.add(low)
        first_sentence = False
    # A sentence-initial capital is a name only if the word is a name elsewhere too.
    for low in sentence_initial:
        if low in entities and low not in lower_seen:
            entities[low] += 1
    for low in lower_seen:
        entities.pop(low, None)
    if is_meaningful_title(title):
        assert title is not None
        for word in _words(title):
            low = word.lower()
            if low not in _STOP and len(low) > 1:
                headline[stem(low) if not low[0].isdigit() else low] += 1
    return body, entities, headline


def fingerprint(text: str) -> str:
    """Lower-case alphanumeric opening of a text: what near-identical wire copies share."""
    out: list[str] = []
    size = 0
    for word in _WORD.findall(text[: _FINGERPRINT_CHARS * 3]):
        out.append(word.lower())
        size += len(word) + 1
        if size >= _FINGERPRINT_CHARS:
            break
    return " ".join(out)


def top_terms(counts: Counter[str], limit: int) -> list[tuple[str, int]]:
    """The `limit` highest counts, ties broken by first appearance (Counter keeps insertion order)."""
    return counts.most_common(limit)
