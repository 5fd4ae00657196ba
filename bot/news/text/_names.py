"""People's and bodies' names: tokens, reading a name out of a title-laden phrase.

"Kremlin spokesman Dmitry Peskov" is the name "Dmitry Peskov" with roles {kremlin, spokesman}.
Identity keys of names are in `_name_keys.py`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from bot.news.text._case import lower
from bot.news.text._lexicon import (
    FEMALE_GIVEN_NAMES,
    FEMALE_TITLES,
    MALE_TITLES,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    NOT_NAMES,
    ORG_WORDS,
    ROLE_HEADS,
    ROLE_WORDS,
    TITLE_ABBREVIATIONS,
)

_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"  # U.S. U.N. J.D.
    r"|[^\W\d_](?:[\w'’\-]*\w)?\.?"  # words, possibly with a trailing dot
    r"|\d[\w,.:/\-]*\w|\d"  # numbers
    r"|\S",  # punctuation, one character
)
# Runs of non-space characters are `str.split()`'s words (it and `\s` agree on what whitespace
# is: both ask `Py_UNICODE_ISSPACE`), each found at its offset by `str.find` from the end of the
# last one (what lies between is whitespace, so the first match is the run). No token spans
# whitespace (`\S` takes any other character), so a run holds whole tokens; most runs are one
# plain word ("said"), which is its own token, and only the others ("said,", "U.S.", "Sanders’")
# go through `_TOKEN`. Splitting is several times cheaper than a regex's `findall` of
# (gap, run) pairs, compiled or not.
_POSSESSIVE_ENDS = ("'", "’", "'s", "’s")
_MARKS_AFTER_WORDS = frozenset(",;:?!)")  # each its own token after a word ("said," -> said ,)


class Token:
    """A word or punctuation character with its offsets.

    A plain slotted class rather than a frozen dataclass: quote extraction builds one per word,
    and the frozen dataclass's `object.__setattr__` per field was a quarter of its time. Equality,
    hashing and repr are the dataclass's (on text, start and end); nothing assigns to a token.
    """

    __slots__ = ("end", "is_cap", "is_word", "lower", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.lower = lower(text)
        # Read several times per token (name runs, phrases, cues): worked out once, here.
        first = text[0]
        self.is_word = first.isalnum()
        # `isupper` without a method call for ASCII (compiled, `ord` and the comparisons are
        # native; `str.isupper` is a Python-level call there): the same answer for every letter.
        code = ord(first)
        self.is_cap = 65 <= code <= 90 if code < 128 else first.isupper()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Token)
        return (self.text, self.start, self.end) == (other.text, other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.end))

    def __repr__(self) -> str:
        return f"Token(text={self.text!r}, start={self.start!r}, end={self.end!r})"

    @property
    def bare(self) -> str:
        """The word without a possessive ending ("Zelensky's" -> "Zelensky")."""
        text = self.text
        if text[-1] not in "s'’":
            return text  # most words: nothing to strip
        if text.endswith(("'s", "’s")) and len(text) > 2:
            return text[:-2]
        return text.rstrip("'’") if text[-1] in "'’" and len(text) > 1 else text

    @property
    def possessive(self) -> bool:
        # `['’]s?$` without a regex (a token never holds a newline, so `$` is the end). Every
        # possessive ending ends with one of three characters: most words stop at that test.
        text = self.text
        if text[-1] not in "s'’":
            return False
        return len(text) > 2 and text.endswith(_POSSESSIVE_ENDS) and text[-2] != "n"


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words and punctuation of text[start:end]; sentence-final dots are split off words.

    A "¶" token goes between tokens on different lines, so no phrase runs across paragraphs."""
    out: list[Token] = []
    size = len(text)
    stop = size if end is None else end
    prev_end = -1  # end of the last token, -1 before the first
    pos = start  # end of the last run
    for run in text[start:stop].split():
        s = text.find(run, pos, stop)
        if s > pos and prev_end >= 0 and "\n" in text[pos:s]:
            out.append(Token("¶", prev_end, prev_end))
        pos = s + len(run)
        if run.isalpha() and (pos < stop or stop == size):
            # A plain word is the whole run (`_TOKEN` takes every letter), and no possessive
            # apostrophe follows it: whitespace or the text's end does (`end` may cut a word).
            out.append(Token(run, s, pos))
        else:
            _split_run(text, run, s, out)
        prev_end = out[-1].end
    return out


def _split_run(text: str, run: str, s: int, out: list[Token]) -> None:
    """The tokens of one run of non-space characters starting at `s` (not a plain word)."""
    head, last = run[:-1], run[-1]
    # The common runs, as `_TOKEN` reads them: a word with a comma or a full stop ("said,",
    # "year."), a lone mark. Possessives cannot arise: no apostrophe follows within the run.
    alpha = head.isalpha()
    if alpha and last in _MARKS_AFTER_WORDS:
        e = s + len(head)
        out.append(Token(head, s, e))
        out.append(Token(last, e, e + 1))
        return
    if alpha and last == ".":
        e = s + len(run)
        if len(run) > 2 and _ends_sentence(run, text, e):
            out.append(Token(head, s, e - 1))
            out.append(Token(".", e - 1, e))
        else:
            out.append(Token(run, s, e))  # "Mr." "A."
        return
    if not head and last != "s":
        out.append(Token(run, s, s + 1))  # a lone mark or digit; a lone "s" may take an apostrophe
        return
    covered = s
    pos = s
    for word in _TOKEN.findall(run):
        s = pos
        e = pos = s + len(word)
        if s < covered:
            continue
        last = word[-1]
        if last == "s":
            after = text[e : e + 2]
            if after[:1] in {"'", "’"} and (len(after) < 2 or not after[1].isalnum()):
                out.append(Token(word + after[0], s, e + 1))  # "Sanders’ campaign"
                covered = e + 1
                continue
        covered = e
        if last == "." and len(word) > 2 and word.count(".") == 1 and _ends_sentence(word, text, e):
            out.append(Token(word[:-1], s, e - 1))
            out.append(Token(".", e - 1, e))
        else:
            out.append(Token(word, s, e))


def _ends_sentence(word: str, text: str, end: int) -> bool:
    """Whether a word's one trailing dot ends a sentence rather than an abbreviation."""
    low = lower(word)
    return (
        low not in TITLE_ABBREVIATIONS
        and low not in NAME_SUFFIXES
        and low not in ROLE_WORDS
        and not _continues(text, end)
    )


def _continues(text: str, pos: int) -> bool:
    """Whether the sentence goes on after a dot ("R-Pa., said"): then the dot ends an abbreviation."""
    rest = text[pos : pos + 3].lstrip(" ")
    return bool(rest) and (rest[0] == "," or rest[0].islower())


def is_initial(word: str) -> bool:
    """ "S." in "Dmitri S. Peskov"."""
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def is_name_word(tok: Token) -> bool:
    """A capitalised word that can be part of a name (not "The", "Wednesday", "According")."""
    if not tok.is_word or not tok.is_cap:
        return False
    text = tok.text
    # Without a possessive ending the bare word is the word, lowered once already.
    low = tok.lower if text[-1] not in "s'’" else lower(tok.bare)
    return low not in NOT_NAMES or is_initial(text)


@dataclass(frozen=True)
class NamePhrase:
    """A phrase naming or describing who speaks (frozen: `read_phrase` hands out shared ones)."""

    text: str  # as written, trimmed
    name: str | None  # the person's or body's name, without titles ("Pete Hegseth")
    roles: frozenset[str] = field(default_factory=frozenset)
    gender: str = ""  # "m", "f" or "" when unknown
    kind: str = "person"  # person | body | description | anonymous

    @property
    def surname(self) -> str | None:
        return surname_of(self.name) if self.name and self.kind == "person" else None


@functools.lru_cache(maxsize=2048)
def surname_of(name: str) -> str:
    """The family name: the last word that is not a suffix or an initial.

    Cached: a pure function asked for the same few names many times per article."""
    words = [w for w in name.replace(",", " ").split() if lower(w) not in NAME_SUFFIXES]
    for word in reversed(words):
        if not is_initial(word):
            return word
    return words[-1] if words else name


def gender_of(title_words: list[str], name: str | None) -> str:
    """Guess a gender from an honorific or a common given name, else ""."""
    lows = {lower(w) for w in title_words}
    if lows & FEMALE_TITLES:
        return "f"
    if lows & MALE_TITLES:
        return "m"
    if name:
        first = lower(name.split()[0])
        if first in FEMALE_GIVEN_NAMES and len(name.split()) > 1:
            return "f"
    return ""


def read_phrase(tokens: list[Token]) -> NamePhrase | None:
    """Read a speaker phrase (determiner, roles, name) from its tokens; None if it names no one."""
    return _phrase_of(tuple([t.text for t in tokens]))


@functools.lru_cache(maxsize=4096)
def _phrase_of(texts: tuple[str, ...]) -> NamePhrase | None:
    """`read_phrase` of tokens with these texts: nothing else of a token (not its offsets) counts,
    so the phrase is cached by them. Articles name the same people and bodies over and over
    ("Trump", "the White House"); reading a phrase was a tenth of quote extraction."""
    return _read_phrase([Token(text, 0, 0) for text in texts])


def _read_phrase(tokens: list[Token]) -> NamePhrase | None:
    toks = [t for t in tokens if t.text not in {"(", ")"}]
    while toks and not toks[-1].is_word:
        toks = toks[:-1]
    if not toks:
        return None
    text = " ".join(t.text for t in toks)
    first = toks[0].lower
    determiner = first in {"the", "a", "an", "another", "one", "some", "its", "his", "her", "their"}
    body = toks[1:] if determiner else toks
    if not body:
        return None
    lows = [t.lower for t in body]
    of = lows.index("of") if "of" in lows else None
    if of is not None and of > 0 and body[of - 1].is_cap and body[of - 1].lower not in ROLE_WORDS:
        body = body[:of]  # "Paul D. Ryan of Wisconsin", "President Volodymyr Zelensky of Ukraine"
    # The name is the run of name words after the last role word (or lower-case word).
    cut = 0
    for i, tok in enumerate(body):
        low = lower(tok.bare)
        if (
            low in ROLE_WORDS
            or (tok.is_word and not tok.is_cap and low not in NAME_PARTICLES)
            or tok.possessive
        ):
            cut = i + 1
    name_toks = [t for t in body[cut:] if t.is_word or t.text == "-"]
    if cut and all(t.lower in NAME_SUFFIXES for t in name_toks):
        # "Martin Luther King Jr.": the last "role" word was part of the name.
        while cut and body[cut - 1].is_cap and not body[cut - 1].possessive:
            cut -= 1
        name_toks = [t for t in body[cut:] if t.is_word]
    roles = frozenset(lower(t.bare) for t in body[:cut] if t.is_word)
    titles = [t.text for t in body[:cut]]
    if name_toks and all(is_name_word(t) or t.lower in NAME_PARTICLES for t in name_toks):
        if name_toks[0].lower in NAME_PARTICLES and len(name_toks) > 1:
            name_toks = name_toks[1:]
        name = " ".join(t.bare for t in name_toks)
        if name_toks[-1].lower in NAME_SUFFIXES and len(name_toks) > 1:
            name = " ".join(t.bare for t in name_toks[:-1])
        if first == "the" and toks[0].is_cap and not roles:
            name = f"The {name}"  # "The Washington Post" keeps its article
        if any(lower(t.bare) in ORG_WORDS for t in name_toks):
            return NamePhrase(text, name, roles, "", "body")  # "Marsh Landing Country Club"
        return NamePhrase(text, name, roles, gender_of(titles, name), "person")
    if any(t.possessive for t in body[: max(cut, 1)]) and cut:
        head = lower(body[cut - 1].bare) if cut else ""
        # "Zelensky's office": a body named after its owner; "the Kremlin's spokesman": a person.
        if head not in ROLE_HEADS:
            return NamePhrase(text, _strip_determiner(text), roles, "", "body")
    caps = [t for t in body if t.is_cap and lower(t.bare) not in NOT_NAMES]
    head_word = lower(body[-1].bare)
    if caps and head_word not in ROLE_HEADS and body[-1].is_cap:
        return NamePhrase(text, _strip_determiner(text), roles, "", "body")  # "the Kremlin", "CNN"
    if head_word in ROLE_HEADS or head_word.rstrip("s") in ROLE_HEADS:
        kind = "anonymous" if first in {"a", "an", "another", "one", "some"} else "description"
        return NamePhrase(text, None, roles | {head_word}, "", kind)
    return NamePhrase(text, None, roles, "", "anonymous")


def _strip_determiner(text: str) -> str:
    for det in ("the ", "The "):
        if text.startswith(det) and len(text) > 4 and text[4].islower():
            return text[4:]
    return text[4:] if text.startswith("the ") else text
