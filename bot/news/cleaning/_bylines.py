"""Authors: byline, "Author:" and contact lines of a page, and author names from page markup."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.news.cleaning._dates import deglue
from bot.news.cleaning._furniture import words_set
from bot.news.cleaning._lines import LineKind, line_key, strip_bullet
from bot.news.cleaning._outlets import smart_case
from bot.news.cleaning._text_page import TextPage

_MAX_META_CHARS = 400  # bylines live in short lines
_PARTICLES = words_set("de da di du del della der den van von la le bin al ibn dos das st.")
_ROLE_WORDS = words_set(
    "staff writer reporter correspondent editor editors contributor columnist news team desk bureau service "
    "press wire agency media group online digital newsroom photographer producer anchor senior chief "
    "political reporters associated international national local"
)
_AUTHOR_LABEL = re.compile(
    r"^(?i:authors?|autor(?:en)?|auteurs?|autore|written by|reporting by|additional reporting by|text|texto)\s*:?\s+"
)
BY_PREFIX = re.compile(r"(?:^|(?<=\s))(?i:by|von|par|por|door)\s*:?\s+(?=[A-Z])")
_CONTACT = re.compile(r"^(.{3,60}?)\s+(?:can be (?:reached|contacted)|is reachable)\b", re.I)
_NAME_CUT = re.compile(r"\s*(?:\||·|•|—|–| - |\(|\bon\b|\bat\b|\d|$)")
_MONTH_WORDS = words_set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)


def _person(text: str) -> str | None:
    """A person's name, or None when the text does not look like one."""
    name = text.strip(" .,;:*_'\"“”")
    tokens = name.split()
    if not 2 <= len(tokens) <= 5 or len(name) > 50:
        return None
    for i, token in enumerate(tokens):
        bare = token.strip(".,")
        if bare.lower() in _ROLE_WORDS:
            return None
        if 0 < i < len(tokens) - 1 and bare.lower() in _PARTICLES:
            continue
        if not re.fullmatch(r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*", bare) or any(c.isdigit() for c in bare):
            return None
    return name


def _split_names(text: str) -> list[str]:
    return [p for p in re.split(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*", text) if p.strip()]


def names_in_line(text: str, minimum: int = 2) -> list[str]:
    """Names when the whole line is a list of at least `minimum` names ("A B, C D and E F")."""
    parts = _split_names(text)
    names = [_person(p) for p in parts]
    if len(parts) < minimum or any(n is None for n in names):
        return []
    return [n for n in names if n]


def _names_after(text: str) -> list[str]:
    """Names at the start of a byline's tail ("Jane Doe and John Roe, Staff Writers | May 2")."""
    head = _NAME_CUT.split(text, maxsplit=1)[0]
    out = []
    for part in _split_names(head):
        name = _person(part)
        if name is None:
            break
        out.append(name)
    return out


def find_byline(page: TextPage, exclude: Iterable[str] = ()) -> list[str]:
    """The article's authors, deduplicated, from byline, author and contact lines."""
    found: list[str] = []
    for line in page.header:
        if line.kind is LineKind.PROSE or len(line.text) > _MAX_META_CHARS:
            continue
        text = deglue(strip_bullet(line.text)).strip(" *_")
        label = _AUTHOR_LABEL.match(text)
        by = BY_PREFIX.search(text)
        if label:
            found += _names_after(text[label.end() :])
        elif by:
            found += _names_after(text[by.end() :])
        else:
            found += names_in_line(text)
    for line in [*page.dropped, *page.footer]:
        if len(line.text) > _MAX_META_CHARS:
            continue
        text = strip_bullet(line.text).strip(" *_")
        label = _AUTHOR_LABEL.match(text)
        by = BY_PREFIX.match(text)
        contact = _CONTACT.match(text)
        if label:
            found += _names_after(text[label.end() :])
        elif by and line.kind is LineKind.META:
            found += _names_after(text[by.end() :])
        elif contact:
            found += _names_after(contact.group(1))
    excluded = [line_key(e) for e in exclude]
    out: list[str] = []
    seen: set[str] = set()
    for name in found:
        key = line_key(name)
        if key in seen or any(x and (x in key or key in x) for x in excluded):
            continue
        seen.add(key)
        out.append(name)
    return out


def tidy_authors(names: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    """Author names from page markup, tidied: shouted names in title case, trailing dates and
    agency names ("JANE DOE Associated Press") cut, the outlet itself ("CNN Business") left out."""
    excluded = [line_key(e) for e in exclude if e]
    out: list[str] = []
    for raw in names:
        tokens = raw.split()
        while tokens and (tokens[-1].lower().strip(".,") in _MONTH_WORDS or tokens[-1][:1].isdigit()):
            tokens.pop()
        caps = 0
        while caps < len(tokens) and tokens[caps].isupper() and len(tokens[caps]) > 1:
            caps += 1
        if caps >= 2 and caps < len(tokens):
            tokens = tokens[:caps]
        name = " ".join(tokens)
        if name.isupper() and len(tokens) >= 2:  # keep single-word agency names ("PTI") as written
            name = smart_case(name)
        key = line_key(name)
        if not key or any(x and (x in key or key in x) for x in excluded):
            continue
        out.append(name)
    return list(dict.fromkeys(out))
