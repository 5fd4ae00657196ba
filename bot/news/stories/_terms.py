"""Text analysis for clustering: word terms, name tokens, headline terms, shingle samples, a fingerprint."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass

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
    rights www com http https html people part going want wants go goes went come comes know think sen
    gov rep reps
    """.split()  # noqa: SIM905
)
# Capitalised words that are not names: sentence openers and titles.
_NOT_ENTITY = _STOP | frozenset(
    """
    president minister senator sen rep gov governor secretary chairman chief officials official former
    spokesman spokeswoman spokesperson director leader house white state states department administration
    party committee court supreme federal national united but so yet thursday democrats republicans
    democrat republican opinion editor editorial
    """.split()  # noqa: SIM905
)
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’\-]*[A-Za-z\u00c0-\u024f]|\d+(?:[.,]\d+)*")
# Words, plus sentence ends (terminal punctuation before a space, or a line break) as their own tokens.
_TOKEN = re.compile(
    r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’\-]*[A-Za-z\u00c0-\u024f]|\d+(?:[.,]\d+)*|"
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bSen)(?<!\bGov)(?<!\bRep)(?<!\b[A-Z])\.[\"”’)]?\s"
    r"|[!?…][\"”’)]?\s|\n"
)
_ENDS = frozenset(".!?…\n")
_TITLE_CASE_TELLS = frozenset(
    "and or of to in for on at with from by as is are was will be its his her".split()  # noqa: SIM905
)
_POSSESSIVE = re.compile(r"['’]s\b")
_LEAD_WORDS = 60  # words of the opening that count double: the lead says what the story is
_HEADLINE_WORDS = 30  # with the title, the opening words form the headline vector
_FINGERPRINT_CHARS = 400
_CACHE_LIMIT = 200_000
_MASK = 0xFFFFFFFF
_BASE = 1_000_003


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


@dataclass(slots=True)
class Analysis:
    """Everything clustering takes from one article's text."""

    terms: Counter[str]  # stemmed content words; the lead's count double
    entities: Counter[str]  # lower-cased name tokens (capitalised mid-sentence, never lower-case)
    headline: Counter[str]  # the title's and the opening's content words
    shingles: list[int]  # sampled hashes of word shingles
    fingerprint: str  # the lower-cased opening, for spotting copies


class TextAnalyser:
    """Turns article text into an `Analysis`; keeps small per-instance caches of stems and word hashes."""

    def __init__(self, max_chars: int, shingle_words: int, shingle_sampling: int) -> None:
        self.max_chars = max_chars
        self.shingle_words = shingle_words
        self.shingle_sampling = shingle_sampling
        self._stems: dict[str, str] = {}
        self._hashes: dict[str, int] = {}

    def _stem(self, low: str) -> str:
        term = self._stems.get(low)
        if term is None:
            if len(self._stems) > _CACHE_LIMIT:
                self._stems.clear()
            term = low if low[0].isdigit() else stem(low)
            self._stems[low] = term
        return term

    def analyse(self, title: str | None, text: str) -> Analysis:
        """Analyse the opening `max_chars` of `text` (and the title, when it is a real one)."""
        terms: dict[str, int] = {}
        entities: dict[str, int] = {}
        headline: dict[str, int] = {}
        lows: list[str] = []  # every word, lower-cased, for shingles and the fingerprint
        lower_seen: set[str] = set()
        sentence_initial: list[str] = []
        pending: list[tuple[str, int]] = []  # this sentence's capitalised words (name, weight)
        title_case = False
        first = True  # next word starts a sentence
        stop, not_entity, stems = _STOP, _NOT_ENTITY, self._stems
        for token in _TOKEN.findall(_POSSESSIVE.sub("", text[: self.max_chars])):
            if token[0] in _ENDS:  # sentence end: keep its names unless it was Title Case
                if not title_case:
                    for low, weight in pending:
                        entities[low] = entities.get(low, 0) + weight
                pending.clear()
                title_case = False
                first = True
                continue
            low = token.lower()
            lead = len(lows) < _LEAD_WORDS
            if len(lows) < _HEADLINE_WORDS and low not in stop and len(low) > 1:
                term = stems.get(low) or self._stem(low)
                headline[term] = headline.get(term, 0) + 1
            lows.append(low)
            upper = token[0].isupper()
            if low in stop or len(low) < 2:
                # "Trump Meets With Kim And Moon": a capitalised function word marks a Title Case line.
                title_case = title_case or (upper and not first and low in _TITLE_CASE_TELLS)
                first = False
                continue
            term = stems.get(low) or self._stem(low)
            terms[term] = terms.get(term, 0) + (2 if lead else 1)
            if upper:
                if low not in not_entity:
                    if first:
                        sentence_initial.append(low)
                    else:
                        pending.append((low, 2 if lead else 1))
            elif token[0].isalpha():
                lower_seen.add(low)
            first = False
        if not title_case:
            for low, weight in pending:
                entities[low] = entities.get(low, 0) + weight
        # A sentence-initial capital is a name only if the word is a name elsewhere too.
        for low in sentence_initial:
            if low in entities:
                entities[low] += 1
        for low in lower_seen.intersection(entities):
            del entities[low]
        if is_meaningful_title(title):
            assert title is not None
            for word in _WORD.findall(_POSSESSIVE.sub("", title)):
                low = word.lower()
                if low not in stop and len(low) > 1:
                    term = self._stem(low)
                    headline[term] = headline.get(term, 0) + 1
        return Analysis(
            Counter(terms), Counter(entities), Counter(headline), self._shingles(lows), _fingerprint(lows)
        )

    def _shingles(self, lows: list[str]) -> list[int]:
        """Rolling hashes of every `shingle_words`-word window, keeping those divisible by the sampling.

        Two reports of one event share long word sequences (quotes, agency copy, the same figures);
        reports of two different events of the same kind rarely do. Keeping a fixed residue class
        samples the same shingles in every document, so shared samples estimate shared shingles.
        """
        size = self.shingle_words
        if len(lows) < size:
            return []
        hashes = self._hashes
        if len(hashes) > _CACHE_LIMIT:
            hashes.clear()
        word_hashes = []
        for low in lows:
            h = hashes.get(low)
            if h is None:
                h = zlib.crc32(low.encode())
                hashes[low] = h
            word_hashes.append(h)
        top = pow(_BASE, size - 1, 1 << 32)
        h = 0
        for wh in word_hashes[:size]:
            h = (h * _BASE + wh) & _MASK
        modulus = self.shingle_sampling
        out = {h} if h % modulus == 0 else set()
        for i in range(size, len(word_hashes)):
            h = ((h - word_hashes[i - size] * top) * _BASE + word_hashes[i]) & _MASK
            if h % modulus == 0:
                out.add(h)
        return sorted(out)


def _fingerprint(lows: list[str]) -> str:
    """The lower-cased opening words, about `_FINGERPRINT_CHARS` long: what wire copies share."""
    out: list[str] = []
    size = 0
    for low in lows:
        out.append(low)
        size += len(low) + 1
        if size >= _FINGERPRINT_CHARS:
            break
    return " ".join(out)
