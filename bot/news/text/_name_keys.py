"""Identity keys of people's names: "Zelensky", "Zelenskyy" and "Selensky" share one key, so do
"Hegseth" and "Hesgeth"; whether two names are one person."""

from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz.distance import Levenshtein

from bot.news.text._case import lower
from bot.news.text._names import is_initial, surname_of


def _fold(text: str) -> str:
    if text.isascii():
        return lower(text)  # nothing to decompose (most names)
    return lower("".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)))


_NOT_LETTERS = re.compile(r"[^a-z]")
# Each substitution with a letter it cannot match without: on a key without it, it changes nothing
# and is not run (most names skip most of them). "" is always run.
_TRANSLIT = [
    (re.compile(r"yy\b"), "y", "yy"),
    (re.compile(r"ii\b"), "y", "ii"),
    (re.compile(r"iy\b"), "y", "iy"),
    (re.compile(r"ij\b"), "y", "ij"),
    (re.compile(r"(?<=\w)i\b"), "y", "i"),
    (re.compile(r"^z|(?<=[aeiou])s(?=[aeiou])"), "s", ""),
    (re.compile(r"z"), "s", "z"),
    (re.compile(r"kh"), "h", "kh"),
    (re.compile(r"ck"), "k", "ck"),
    (re.compile(r"w"), "v", "w"),
    (re.compile(r"j"), "y", "j"),
    (re.compile(r"ph"), "f", "ph"),
    (re.compile(r"(\w)\1"), r"\1", ""),
]


@functools.lru_cache(maxsize=2048)
def name_key(word: str) -> str:
    """A spelling-tolerant key for a surname: Zelenskyy/Zelensky/Selensky -> "selensky".

    Cached (a pure function of a short string): matching names asks for the same few keys many
    times per article, and a dozen substitutions each time were a tenth of quote extraction."""
    key = _fold(word)
    if not (key.isascii() and key.isalpha()):
        key = _NOT_LETTERS.sub("", key)
    for pattern, repl, needed in _TRANSLIT:
        if needed in key:
            key = pattern.sub(repl, key)
    return key


@functools.lru_cache(maxsize=2048)  # pure, and asked for the same pairs again and again
def same_surname(a: str, b: str) -> bool:
    """Whether two surnames are one person's: equal keys, or a one-letter slip in a long name."""
    return keys_match(name_key(a), name_key(b))


def keys_match(ka: str, kb: str) -> bool:
    """`same_surname` on keys made by `name_key`."""
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if min(len(ka), len(kb)) < 6 or ka[0] != kb[0] or abs(len(ka) - len(kb)) > 1:
        return False
    distance = Levenshtein.distance(ka, kb)
    # Two letters swapped ("Hesgeth") or one slipped in a long name; not "Sanders"/"Sandler".
    return distance == 1 or (distance == 2 and sorted(ka) == sorted(kb))


@functools.lru_cache(maxsize=2048)
def given_name(name: str) -> str | None:
    """The first given name, if the name has one that is not an initial ("Dmitri S. Peskov" -> Dmitri)."""
    words = [w for w in name.split()[:-1] if not is_initial(w)]
    return words[0] if words else None


def same_person(a: str, b: str) -> bool:
    """Whether two names can be one person's: same surname, and given names that do not clash."""
    if not same_surname(surname_of(a), surname_of(b)):
        return False
    return given_names_agree(given_name(a), given_name(b))


def given_names_agree(a: str | None, b: str | None) -> bool:
    """ "Dmitry" and "Dmitri" agree, so does a missing one; "Donald" and "Eric" do not."""
    if a is None or b is None:
        return True
    return same_surname(a, b)
