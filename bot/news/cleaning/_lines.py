"""One line of a page, classified by its features: prose, short, boilerplate or metadata.

The rules are deliberately general (length, punctuation, sentence shape, a vocabulary of site
furniture in a few languages) so that they carry over to pages we have never seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from operator import itemgetter

from bot.news.cleaning._furniture import (
    _BOILER_LINES,
    _SOCIAL,
    _boiler_pattern_low,
    _caption_low,
    _lowered,
)
from bot.news.cleaning._language import any_stopword_ratio, lowered_stopword_ratio
from bot.news.text import lower


class LineKind(Enum):
    """What a line of a page looks like."""

    PROSE = "prose"  # sentence-shaped: the stuff articles are made of
    SHORT = "short"  # headline, subheading, menu entry, list item, caption...
    BOILER = "boiler"  # site furniture that never belongs in an article body
    META = "meta"  # byline, dateline, "Source:" and similar: not body, but metadata


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
BULLET = re.compile(r"^(?:[•·▪●◦‣∙○■□➤►▶*+–—-]|\d{1,2}[.)])\s+")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]*]*$")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_SAMPLE_CHARS = 3000
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def normalise_line(line: str) -> str:
    """The line with invisible characters dropped and whitespace collapsed."""
    # The work is skipped where it would change nothing (every character is ASCII; no whitespace
    # but single spaces, as every other whitespace character is unprintable).
    if not line.isascii():
        if _HAS_INVISIBLE.search(line):  # rare: str.translate looks up every character
            line = line.translate(_INVISIBLE)
        line = line.replace("\xa0", " ")
    if "  " in line or not line.isprintable():
        line = _SPACES.sub(" ", line)
    return line.strip()


def strip_bullet(text: str) -> str:
    """The line without a leading list marker."""
    return BULLET.sub("", text, count=1)


def words_of(text: str) -> list[str]:
    """Word tokens of a line (letters and digits, inner apostrophes/dots/hyphens kept)."""
    return _WORD.findall(text)


def line_key(text: str) -> str:
    """A comparison key: lowercase letters and digits only, single-spaced."""
    return key_of(words_of(text))


def key_of(words: list[str]) -> str:
    """`line_key` of a line whose `words_of` are known.

    Lowercasing the joined words is lowercasing each: str.lower's one context rule (a final
    sigma) sees a space and the end of a word alike."""
    return lower(" ".join(words))  # Python's own lower-casing: see `bot.news.text.lower`


def emails_in(text: str) -> list[str]:
    """E-mail addresses in a line."""
    return _EMAIL.findall(text) if "@" in text else []


# Case matters here: "About Us:" or "About The Riverbend Report:" introduce a site blurb.
_ABOUT_BLURB = re.compile(
    r"^(?i:about)\s+(?:(?i:us|me)|[A-Z0-9][\w&'’.-]*(?:\s+[A-Z0-9][\w&'’.-]*){0,5})\s*:\s"
)
_COMMENT_WORDS = re.compile(
    r"\b(?:komentar\w*|kommentar\w*|commentaires?|comentarios?|comentários?|commenti|commento|reacties?|"
    r"reageer|коммент\w*|komentarz\w*)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^(?:author|authors|autor|autoren|auteur|auteurs|autore|by|von|par|por|source|sources|quelle|fuente|fonte|"
    r"bron|credit|credits|tags?|category|categories|filed under|posted in|topics?|section|editing by|reporting by|"
    r"written by|additional reporting by|updated|published|posted|last updated|modified|aktualisiert|"
    r"veröffentlicht|publié|mis à jour|publicado|actualizado|pubblicato|date|datum)\s*:\s*\S",
    re.IGNORECASE,
)
_STAMP = re.compile(
    r"^(?:updated|published|posted|last updated|modified|aktualisiert|veröffentlicht|publié|mis à jour|"
    r"publicado|actualizado|pubblicato)\b.{0,60}\d",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?i:by|von|par|por|di|door|av|af)\s+\S*[A-Z]")


@dataclass(frozen=True, slots=True)
class PageLine:
    """A non-blank line of a page with the features the cleaner looks at."""

    index: int  # position among the page's non-blank lines
    text: str  # normalised text, bullet kept
    kind: LineKind
    words: int
    bullet: bool
    blank_before: int  # blank lines just above it
    key: str = ""  # `line_key(text)`, computed once


def is_prose(text: str) -> bool:
    """Whether a line reads like running text: sentence-shaped, with lowercase function words."""
    body = strip_bullet(text)
    return _is_prose(body, None)


def _is_prose(body: str, tokens: list[str] | None, key: str | None = None) -> bool:
    """`is_prose` of a line without its list marker; `tokens`: its `words_of`, when known, and
    `key`: their `key_of` (its words are the tokens lower-cased: see `key_of`)."""
    if not body.isascii() and _CJK.search(body):  # isascii is a flag: no scan
        return len(body) >= 20 and bool(re.search(r"[。！？.!?」』”]$", body))
    if tokens is None:
        tokens = words_of(body)
    if len(tokens) < 4:
        return False
    rest = tokens[1:]
    lower = sum(map(str.islower, map(itemgetter(0), rest)))  # words starting lowercase
    lower_ratio = lower / len(rest)
    if lower_ratio < 0.3:
        return False
    # From the key's words when given: the same words lower-cased, in one split.
    if (any_stopword_ratio(tokens) if key is None else lowered_stopword_ratio(key.split(" "))) < 0.12:
        return False
    if _ends_a_sentence(body):
        return True
    return len(tokens) >= 20 and lower_ratio >= 0.45


_CLOSERS, _TERMINALS = "\"'”’»)]*", ".!?…:;"  # `_TERMINAL`'s two character sets


def _ends_a_sentence(body: str) -> bool:
    """`bool(_TERMINAL.search(body))` without trying the pattern at every character: the mark
    is the last character once the closers after it are cut (the two sets share none)."""
    if body.endswith("\n"):  # `$` also matches before a final line break: the pattern decides
        return bool(_TERMINAL.search(body))
    cut = body.rstrip(_CLOSERS)
    return bool(cut) and cut[-1] in _TERMINALS


def is_boilerplate(text: str) -> bool:
    """Whether a line is site furniture (ads, share bars, menus, comment boxes, captions...)."""
    body = strip_bullet(text).strip(" *_|")
    return _is_boilerplate(body, line_key(body))


def _is_boilerplate(body: str, key: str) -> bool:
    if not key:
        return not any(c.isalnum() for c in body) and len(body) > 0
    if key in _BOILER_LINES:
        return True
    # A key is its words single-spaced: counted and its first word cut without splitting it all.
    n = key.count(" ") + 1
    if n >= 2 and key.partition(" ")[0] in _SOCIAL and sum(t in _SOCIAL for t in key.split()) / n >= 0.6:
        return True
    if n > 40:
        return False
    if emails_in(body) and n <= 30:
        return True
    if n <= 6 and _COMMENT_WORDS.search(body):
        return True
    if _ABOUT_BLURB.match(body):
        return True
    low = _lowered(body)  # once for both tests below
    return _caption_low(body, low) or _boiler_pattern_low(body, low)


def is_meta(text: str) -> bool:
    """Whether a line is a byline, dateline or a "Label: value" line such as "Source: Reuters"."""
    body = strip_bullet(text).strip(" *_")
    return _is_meta(body, len(words_of(body)))


def _is_meta(body: str, n: int) -> bool:
    if _STAMP.match(body) and n <= 30:
        return True
    if n > 16:
        return False
    if _LABEL.match(body):
        return True
    return bool(_BYLINE.match(body)) and not is_prose(body)


def classify(text: str) -> LineKind:
    """The kind of one normalised line."""
    return describe_line(text)[0]


def describe_line(text: str) -> tuple[LineKind, list[str]]:
    """The kind of one normalised line and its `words_of`, with the words found once."""
    kind, words, _key = describe_line_keyed(text)
    return kind, words


def describe_line_keyed(text: str) -> tuple[LineKind, list[str], str]:
    """`describe_line`, and the line's `line_key` (made once, as the tests use it too).

    The three tests look at the line without its list marker (and without the " *_|" around it,
    which holds no word characters, so the words are the same); a line without a marker has the
    words of the whole line."""
    words = words_of(text)
    sample = text[:_SAMPLE_CHARS] if len(text) > _SAMPLE_CHARS else text  # judged by its start
    marker = BULLET.match(sample)  # what `strip_bullet` cuts: the pattern is anchored
    bare = sample[marker.end() :] if marker else sample
    whole = marker is None and len(sample) == len(text)
    tokens = words if whole else words_of(bare)
    key = key_of(tokens)
    line = key if whole else key_of(words)
    if _is_meta(bare.strip(" *_"), len(tokens)):
        return LineKind.META, words, line
    if _is_boilerplate(bare.strip(" *_|"), key):
        return LineKind.BOILER, words, line
    return (LineKind.PROSE if _is_prose(bare, tokens, key) else LineKind.SHORT), words, line
