"""Text analysis for clustering: word terms, name tokens, headline terms, shingle samples, a fingerprint."""

from __future__ import annotations

import re
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, compress
from typing import Final

from bot.news.text import lower

# Function words plus words every news story uses ("said", weekdays, months): they say nothing about
# which event an article covers, and dropping them keeps vectors short.
_STOP: Final = frozenset(
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
_NOT_ENTITY: Final = _STOP | frozenset(
    """
    president minister senator sen rep gov governor secretary chairman chief officials official former
    spokesman spokeswoman spokesperson director leader house white state states department administration
    party committee court supreme federal national united but so yet thursday democrats republicans
    democrat republican opinion editor editorial
    """.split()  # noqa: SIM905
)
_WORD: Final = re.compile(
    r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’\-]*[A-Za-z\u00c0-\u024f]|\d+(?:[.,]\d+)*"
)
# Words, plus sentence ends (terminal punctuation before a space, or a line break) as their own tokens.
_TOKEN: Final = re.compile(
    r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’\-]*[A-Za-z\u00c0-\u024f]|\d+(?:[.,]\d+)*|"
    # The full stop first, then what may not stand before it: the look-behinds run at full stops only.
    r"\.(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bSen\.)(?<!\bGov\.)(?<!\bRep\.)(?<!\b[A-Z]\.)"
    r"[\"”’)]?\s"
    r"|[!?…][\"”’)]?\s|\n"
)
_ENDS: Final = frozenset(".!?…\n")
_TITLE_CASE_TELLS: Final = frozenset(
    "and or of to in for on at with from by as is are was will be its his her".split()  # noqa: SIM905
)
_POSSESSIVE: Final = re.compile(r"['’]s\b")
_LEAD_WORDS: Final = 60  # words of the opening that count double: the lead says what the story is
_HEADLINE_WORDS: Final = 30  # with the title, the opening words form the headline vector
_FINGERPRINT_CHARS: Final = 400
_CACHE_LIMIT: Final = 200_000
_BASE: Final = 1_000_003


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


# What one token is to the analysis (see `TextAnalyser._describe`); the first three mark sentences.
_END: Final = 0  # a sentence end
_TELL: Final = 1  # a capitalised function word ("And", "Of"): the sentence is a Title Case line
_NAME: Final = 2  # a capitalised content word that may be a name
_FUNCTION: Final = 3  # a stop word or a one-letter word: in the shingles and the fingerprint only
_LOWER: Final = 4  # a lower-case content word: the same word capitalised elsewhere is no name
_OTHER: Final = 5  # a content word neither of the above (a number, a capitalised title word)
# (lower-cased word, its term or None, kind, its CRC-32 for the shingles)
TokenInfo = tuple[str, str | None, int, int]
_LINE_BREAK: TokenInfo = ("\n", None, _END, 0)


class TextAnalyser:
    """Turns article text into an `Analysis`; keeps a small per-instance cache of what each token is.

    News repeats its words: the cache (token -> lower-cased form, stem, kind, hash) turns the
    per-token work into one dictionary look-up, the cost of the analysis being its per-token loop.
    """

    def __init__(self, max_chars: int, shingle_words: int, shingle_sampling: int) -> None:
        self.max_chars = max_chars
        self.shingle_words = shingle_words
        self.shingle_sampling = shingle_sampling
        self._tokens: dict[str, TokenInfo] = {}
        self._chunks: dict[str, tuple[TokenInfo, ...]] = {"\n": (_LINE_BREAK,)}

    def _stem(self, low: str) -> str:
        return low if low[0].isdigit() else stem(low)

    def _describe(self, token: str) -> TokenInfo:
        """What a token is (cached: a pure function of the token)."""
        if len(self._tokens) > _CACHE_LIMIT:
            self._tokens.clear()
        if token[0] in _ENDS:
            info: TokenInfo = (token, None, _END, 0)
        else:
            low = lower(token)
            upper = token[0].isupper()
            if low in _STOP or len(low) < 2:
                kind = _TELL if upper and low in _TITLE_CASE_TELLS else _FUNCTION
                info = (low, None, kind, zlib.crc32(low.encode()))
            else:
                if upper:
                    kind = _NAME if low not in _NOT_ENTITY else _OTHER
                else:
                    kind = _LOWER if token[0].isalpha() else _OTHER
                info = (low, self._stem(low), kind, zlib.crc32(low.encode()))
        self._tokens[token] = info
        return info

    def _infos_of(self, text: str) -> list[TokenInfo]:
        """What each token of `text` is (the tokens as `_TOKEN` finds them once possessives are cut)."""
        get, describe = self._tokens.get, self._describe
        return [get(t) or describe(t) for t in _TOKEN.findall(_POSSESSIVE.sub("", text))]

    def _learn_chunks(self, chunks: list[str]) -> None:
        """Cache what the tokens of each whitespace-free chunk are, when followed by a space.

        One pass over all of them: each is followed by a space and a line break, and the line
        break (a token of its own, never taken by a sentence end, as a space comes first) closes
        that chunk's tokens.
        """
        get, describe = self._tokens.get, self._describe
        known = self._chunks
        found: list[TokenInfo] = []
        i = 0
        for token in _TOKEN.findall(_POSSESSIVE.sub("", " \n".join(chunks) + " \n")):
            if token == "\n":
                known[chunks[i]] = tuple(found)
                found = []
                i += 1
            else:
                found.append(get(token) or describe(token))

    def _token_infos(self, text: str) -> list[TokenInfo]:
        """`_infos_of(text)`, but for runs of line breaks and sentence ends, built chunk by chunk.

        Every token lies within a whitespace-free chunk (a sentence end takes the space after it,
        and a possessive or a look-behind sees the space before it as any other non-word), so the
        tokens of a chunk followed by a space are always the same and are cached: news repeats
        its words. Each line break is a sentence end of its own; where the one after a full stop
        was taken by it, `_infos_of` finds one sentence end where this finds two, and two in a
        row end one sentence.
        """
        end = len(text)  # the last chunk, unless followed by a space, ends no sentence: done apart
        while end and not text[end - 1].isspace():
            end -= 1
        known = self._chunks
        if len(known) > _CACHE_LIMIT:
            known.clear()
            known["\n"] = (_LINE_BREAK,)  # no chunk holds a line break: this key is free
        chunks: list[str] = []
        for line in text[:end].split("\n"):
            chunks += line.split()
            chunks.append("\n")
        # The chunks not cached yet, each once (a set difference: no Python step per chunk).
        # Their order does not matter: what a chunk's tokens are depends on the chunk alone.
        new = set(chunks).difference(known)
        if new:
            self._learn_chunks(list(new))
        infos = list(chain.from_iterable(map(known.__getitem__, chunks)))
        infos.pop()  # no line break after the last line
        if end < len(text):
            infos.extend(self._infos_of(text[end:]))
        return infos

    def analyse(self, title: str | None, text: str) -> Analysis:
        """Analyse the opening `max_chars` of `text` (and the title, when it is a real one)."""
        infos = self._token_infos(text[: self.max_chars])
        # The tokens' fields side by side, and the words among them picked by `compress` (a
        # sentence end's kind, 0, is the one false kind): no per-token Python loop here.
        lows, stems, kinds, hashes = zip(*infos, strict=True) if infos else ((), (), (), ())
        terms, headline = _term_counts(list(compress(stems, kinds)))
        entities = _entity_counts(lows, kinds)
        if is_meaningful_title(title):
            assert title is not None
            for word in _WORD.findall(_POSSESSIVE.sub("", title)):
                low = lower(word)
                if low not in _STOP and len(low) > 1:
                    term = self._stem(low)
                    headline[term] = headline.get(term, 0) + 1
        shingles = self._shingles(list(compress(hashes, kinds)))
        return Analysis(terms, entities, headline, shingles, _fingerprint(compress(lows, kinds)))

    def _shingles(self, word_hashes: list[int]) -> list[int]:
        """Rolling hashes of every `shingle_words`-word window, keeping those divisible by the sampling.

        Two reports of one event share long word sequences (quotes, agency copy, the same figures);
        reports of two different events of the same kind rarely do. Keeping a fixed residue class
        samples the same shingles in every document, so shared samples estimate shared shingles.
        """
        size = self.shingle_words
        if len(word_hashes) < size:
            return []
        hashes, lowest = window_hashes(word_hashes, size)
        modulus = self.shingle_sampling
        if 256 % modulus == 0:  # the residue is the lowest byte's: picked by a byte table, in C
            return sorted(set(compress(hashes, lowest.translate(_RESIDUE_ZERO[modulus]))))
        return sorted({h for h in hashes if h % modulus == 0})


# For each modulus dividing 256: byte -> 1 where the byte is a multiple of it, else 0.
_RESIDUE_ZERO = {m: bytes(int(b % m == 0) for b in range(256)) for m in (1, 2, 4, 8, 16, 32, 64, 128, 256)}


def window_hashes(word_hashes: list[int], size: int) -> tuple[array[int], bytes]:
    """The hash of every `size`-word window, in order, and their lowest bytes.

    A window's hash is `sum(word_hashes[i + j] * _BASE ** (size - 1 - j)) mod 2**32`, what the
    rolling update `h = ((h - old * _BASE ** (size - 1)) * _BASE + new) mod 2**32` gives. All of
    them at once are the coefficients of one product of two big integers (Kronecker
    substitution): the word hashes and the powers of `_BASE` each written into slots wide enough
    for a window's sum before the modulus (under size * 2**64), so no slot carries into the
    next. Python multiplies big integers in C: this takes a third less time than the rolling
    loop over every word, the features' costliest loop."""
    n = len(word_hashes)
    slot = (64 + size.bit_length() + 7) // 8  # bytes per coefficient
    words = array("I", word_hashes)
    if sys.byteorder == "big":
        words.byteswap()  # little-endian throughout
    raw = words.tobytes()
    packed = bytearray(slot * n)
    for k in range(4):  # each 4-byte hash at the start of its slot
        packed[k::slot] = raw[k::4]
    powers = sum(pow(_BASE, k, 1 << 32) << (8 * slot * k) for k in range(size))
    product = (int.from_bytes(packed, "little") * powers).to_bytes(slot * (n + size), "little")
    # Window i is the coefficient of slot i + size - 1; its hash is that slot's lowest 4 bytes.
    first, stop = (size - 1) * slot, n * slot
    low = bytearray(4 * (n - size + 1))
    for k in range(4):
        low[k::4] = product[first + k : stop : slot]
    hashes = array("I", low)
    if sys.byteorder == "big":
        hashes.byteswap()
    return hashes, bytes(low[0::4])


def _term_counts(word_terms: list[str | None]) -> tuple[Counter[str], Counter[str]]:
    """The content words' terms (the lead's count double) and the opening's terms, in text order.

    `word_terms`: each word's term, None for a function word (a term is never empty)."""
    terms: Counter[str] = Counter(filter(None, word_terms))
    terms.update(filter(None, word_terms[:_LEAD_WORDS]))  # the lead's second count
    headline = Counter(filter(None, word_terms[:_HEADLINE_WORDS]))
    return terms, headline


def _entity_counts(lows: tuple[str, ...], kinds: tuple[int, ...]) -> Counter[str]:
    """Name tokens: capitalised mid-sentence, outside Title Case lines, never seen lower-case.

    `lows` and `kinds`: each token's lower-cased form and kind, in text order."""
    entities: Counter[str] = Counter()
    sentence_initial: list[str] = []
    lowered: set[str] = set()  # content words seen lower-case: no names
    pending: list[tuple[str, int]] = []  # this sentence's capitalised words (name, weight)
    title_case = False
    ends = 0  # sentence ends so far: a token's index less these is its index among the words
    last_end = -1  # index of the last sentence end: the token after it starts a sentence
    # One indexed pass over every token: compiled (setup.py), a step is a few machine instructions,
    # where a pipeline of iterators (compress, zip, map over bound methods) costs calls per token.
    for i in range(len(kinds)):
        kind = kinds[i]
        if kind == _END:  # keep the sentence's names unless it was Title Case
            if not title_case:
                for name, weight in pending:
                    entities[name] += weight
            pending.clear()
            title_case = False
            ends += 1
            last_end = i
        elif kind == _NAME:
            if i == last_end + 1:
                sentence_initial.append(lows[i])
            else:
                pending.append((lows[i], 2 if i - ends < _LEAD_WORDS else 1))
        elif kind == _TELL:
            if i != last_end + 1:
                # "Trump Meets With Kim And Moon": a capitalised function word marks a Title Case line.
                title_case = True
        elif kind == _LOWER:
            lowered.add(lows[i])
    if not title_case:
        for name, weight in pending:
            entities[name] += weight
    # A sentence-initial capital is a name only if the word is a name elsewhere too.
    for low in sentence_initial:
        if low in entities:
            entities[low] += 1
    for low in lowered.intersection(entities):
        del entities[low]
    return entities


def _fingerprint(lows: Iterable[str]) -> str:
    """The lower-cased opening words, about `_FINGERPRINT_CHARS` long: what wire copies share."""
    out: list[str] = []
    size = 0
    for low in lows:
        out.append(low)
        size += len(low) + 1
        if size >= _FINGERPRINT_CHARS:
            break
    return " ".join(out)
