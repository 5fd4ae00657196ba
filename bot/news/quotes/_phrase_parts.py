"""Small pieces the phrase reader is built from: where a found name ends, pronouns, name-like tokens."""

from __future__ import annotations

from dataclasses import dataclass

from bot.news.text import (
    PERSON_PRONOUNS,
    ROLE_WORDS,
    TITLE_ABBREVIATIONS,
    NamePhrase,
    Token,
    is_initial,
    is_name_word,
    word_set,
)

DETERMINERS = word_set("the a an another one some many several two three four his her their its")


@dataclass(slots=True)  # made several times per quote: no per-instance dict
class Found:
    """An attribution read from the text: the phrase naming the speaker and the cue."""

    phrase: NamePhrase | None
    cue: str | None
    pos: int  # where the speaker phrase is (for resolving pronouns)
    pronoun: str | None = None  # "he", "she", … when the speaker is a pronoun
    end: int = -1  # where the speaker phrase ends


def token_after(toks: list[Token], found: Found | None) -> int:
    """Index of the first token after a phrase read from toks (len(toks) if none)."""
    if found is None:
        return len(toks)
    end = found.end if found.end >= 0 else found.pos + 1
    return next((n for n, t in enumerate(toks) if t.start >= end), len(toks))


def namey(t: Token) -> bool:
    return is_name_word(t) or is_initial(t.text) or t.lower in ROLE_WORDS or t.lower in TITLE_ABBREVIATIONS


def namey_title(t: Token) -> bool:
    return t.lower in ROLE_WORDS or t.lower in TITLE_ABBREVIATIONS


def pronoun(tok: Token) -> Found | None:
    """A personal pronoun as a speaker to resolve later."""
    if tok.lower in PERSON_PRONOUNS:
        return Found(None, None, tok.start, pronoun=tok.lower, end=tok.end)
    return None


def phrase_end(toks: list[Token], i: int) -> int:
    """Index just past the name-like run that starts at toks[i]."""
    j = i + (i < len(toks) and toks[i].lower in DETERMINERS)
    while j < len(toks) and toks[j].is_word and namey(toks[j]):
        j += 1
    return j


def strip_parenthesis(toks: list[Token]) -> list[Token]:
    out: list[Token] = []
    depth = 0
    for t in toks:
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(t)
    return out


def name_before_comma(toks: list[Token], lo: int, hi: int) -> bool:
    """Whether a name word comes in toks[lo:hi] before any comma ("conservative commentator Jonah …")."""
    for t in toks[lo:hi]:
        if t.text == ",":
            return False
        if is_name_word(t):
            return True
    return False
