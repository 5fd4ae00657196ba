"""Plain-text pages: find the article body among menus, teasers, ads and footers.

Every non-blank line is classified (`lines.classify`). The body is the stretch of lines that
maximises "prose words minus furniture" (a maximum-sum segment, as in Body Text Extraction):
short lines inside it (subheadings, one-line quotes) stay, while long runs of link lists or
teasers cut it off, so an "About us" blurb below the related-posts list is not mistaken for
the article. Inside the body, definite furniture ("Advertisement", share bars, contact lines)
is dropped line by line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bot.news.cleaning._lines import (
    BULLET,
    LineKind,
    PageLine,
    describe_line_keyed,
    normalise_line,
    words_of,
)

_FOOTNOTE = re.compile(r"^(?:\[(\d{1,3})\]|(\d{1,3})\.)\s+\S")
_FOOTNOTE_MARK = re.compile(r"\s?\[(\d{1,3})\]")
_TERMINAL_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")


@dataclass
class TextPage:
    """A plain-text page split into its article body and the furniture around it."""

    lines: list[PageLine]
    start: int  # body = lines[start:end]
    end: int
    body: list[str] = field(default_factory=list)  # kept paragraphs, in order
    dropped: list[PageLine] = field(default_factory=list)  # furniture removed from inside the body
    references: list[str] = field(default_factory=list)  # footnoted sources cited by the body

    @property
    def header(self) -> list[PageLine]:
        """Lines above the body."""
        return self.lines[: self.start]

    @property
    def footer(self) -> list[PageLine]:
        """Lines below the body."""
        return self.lines[self.end :]

    @property
    def text(self) -> str:
        """The article body: paragraphs separated by blank lines."""
        return "\n\n".join(self.body)


def split_lines(raw: str) -> list[PageLine]:
    """The page's non-blank lines, unwrapped and classified."""
    raw_lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    texts: list[tuple[str, int]] = []
    blanks = 0
    for raw_line in raw_lines:
        text = normalise_line(raw_line)
        if not text:
            blanks += 1
            continue
        texts.append((text, blanks))
        blanks = 0
    texts = _unwrap(texts)
    lines = []
    for i, (text, before) in enumerate(texts):
        kind, words, key = describe_line_keyed(text)
        lines.append(PageLine(i, text, kind, len(words), bool(BULLET.match(text)), before, key))
    return lines


def clean_text_page(raw: str) -> TextPage:
    """The page with its body found and cleaned."""
    lines = split_lines(raw)
    if not lines:
        return TextPage(lines, 0, 0)
    counts = Counter(line.key for line in lines)
    scores = [_score(line, counts) for line in lines]
    start, end = _best_segment(scores)
    page = TextPage(lines, start, end)
    outside = Counter(line.key for line in lines[:start] + lines[end:])
    refs = _footnotes(lines, start, end)
    seen: set[str] = set()
    for line in lines[start:end]:
        key = line.key
        if line.index in refs:
            page.references.append(line.text)
            page.dropped.append(line)
        elif line.kind in (LineKind.BOILER, LineKind.META):
            page.dropped.append(line)
        elif line.kind is not LineKind.PROSE and outside[key]:
            page.dropped.append(line)  # a headline or menu entry repeated from the page's furniture
        elif key in seen and line.kind is LineKind.PROSE:
            page.dropped.append(line)  # pull quotes and doubled paragraphs
        else:
            seen.add(key)
            page.body.append(line.text)
    if refs:
        page.body = [_FOOTNOTE_MARK.sub("", p) for p in page.body]
    return page


def _score(line: PageLine, counts: Counter[str]) -> float:
    """How much a line argues for being inside the body (positive) or outside it (negative)."""
    if line.kind is LineKind.PROSE:
        score = float(line.words)
        if counts[line.key] > 1:
            score /= 2  # teasers repeated in several lists look like prose but are not the article
    elif line.kind is LineKind.SHORT:
        score = -(2.0 + 0.5 * line.words) - (1.0 if line.bullet else 0.0)
    else:
        score = -(4.0 + line.words)
    if line.blank_before >= 3:
        score -= 3.0  # a wide gap usually separates the article from what follows
    return score


def _best_segment(scores: list[float]) -> tuple[int, int]:
    """The contiguous [start, end) with the largest total score (Kadane)."""
    best, best_start, best_end = float("-inf"), 0, 0
    total, start = 0.0, 0
    for i, s in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += s
        if total > best:
            best, best_start, best_end = total, start, i + 1
    if best <= 0:
        return 0, 0
    return best_start, best_end


def _footnotes(lines: list[PageLine], start: int, end: int) -> set[int]:
    """Indices of numbered reference lines at the end of the body whose marker the body uses."""
    body_text = " ".join(line.text for line in lines[start:end])
    marks = set(_FOOTNOTE_MARK.findall(body_text))
    refs: set[int] = set()
    for line in reversed(lines[start:end]):
        m = _FOOTNOTE.match(line.text)
        if m is None or (m.group(1) or m.group(2)) not in marks:
            break
        refs.add(line.index)
    return refs


def _unwrap(texts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Join lines of hard-wrapped paragraphs (e-mail style text) back together."""
    if len(texts) < 4:
        return texts
    lengths = sorted(len(t) for t, _ in texts)
    width = lengths[int(len(lengths) * 0.9)]
    long_lines = [t for t, _ in texts if len(t) >= 0.7 * width]
    wrapped = (
        40 <= width <= 100
        and len(long_lines) >= 3
        and sum(1 for t in long_lines if not _TERMINAL_END.search(t)) >= 0.5 * len(long_lines)
    )
    out: list[tuple[list[str], int]] = []  # parts of each joined line, blank lines above it
    for text, before in texts:
        if out and before == 0 and _continues(out[-1][0][-1], text, wrapped, width):
            parts = out[-1][0]
            if parts[-1].endswith("-") and text[:1].islower():
                parts[-1] = parts[-1][:-1] + text  # a word hyphenated across the break
            else:
                parts.append(text)
        else:
            out.append(([text], before))
    return [(" ".join(parts), before) for parts, before in out]


def _continues(prev: str, text: str, wrapped: bool, width: int) -> bool:
    if BULLET.match(text):
        return False
    if _TERMINAL_END.search(prev):
        return wrapped and text[:1].islower()
    if text[:1].islower() and len(words_of(prev)) >= 5:
        return True
    return wrapped and len(prev) >= 0.6 * width
