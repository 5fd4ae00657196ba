"""Find quoted passages by pairing quotation marks, the way real pages write them.

Pages mix curly and straight marks, write `''…''` for double quotes, leave a quote open at the end
of a paragraph when the next paragraph continues it, and nest single quotes inside double ones.
A mark's role (opening or closing) is read from what touches it rather than from its glyph,
because pages often use the wrong glyph ("…here,“ said X").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.news.text._sentences import paragraphs

# Markup that survives cleaning (embedded tweets, stray tags): its attribute quotes are not speech.
_TAG = re.compile(r"<[a-zA-Z/][^<>]{0,400}>")
# '' or a double mark. Written to start with a character class, which `re` skips ahead by
# (an alternation of a literal and a class is tried at every position): twice as fast.
_DOUBLE = re.compile(r"""["“”„«»'](?:(?<=')'|(?<!'))""")
_SINGLE = re.compile(r"[‘’']")
_OPENERS_BEFORE = set("([{—–-/:;…") | set("“‘«„\"'")
_CLOSERS_AFTER = set(".,;:!?)]}—–-…") | set("”’»\"'")
# What right after a mark keeps it from opening a quote (worked out once, not per mark).
_NOT_OPENING_BEFORE = frozenset(_CLOSERS_AFTER.difference("-—–…'\"‘“"))
_TRIPLE_CLOSE = re.compile(r"(?<=\S)'''(?=[\s.,;:!?)]|$)")
_GLYPH_OPEN = {"“", "„", "«", "‘"}
_GLYPH_CLOSE = {"”", "»", "’"}
_DOUBLE_GLYPHS = {"“", "„", "«", "”", "»"}
# Apostrophes that open a word rather than a quote: '90s, 'em, 'til, rock 'n' roll.
_ELISION = re.compile(r"['’‘](?:\d0s|\d\d\b|em\b|til\b|cause\b|n['’]|tis\b|twas\b)", re.IGNORECASE)


@dataclass
class QuoteSpan:
    """One quoted passage: content offsets (marks excluded), possibly over several paragraphs."""

    start: int
    end: int
    pieces: list[tuple[int, int]] = field(default_factory=list)  # per-paragraph content ranges
    closed: bool = True  # False when the page never closed the final mark
    single: bool = False  # delimited by single marks at top level
    open_mark: int = 0  # offset of the opening mark
    close_mark: int | None = None  # offset of the closing mark (None when unclosed)
    close_end: int | None = None  # offset just past the closing mark


@dataclass
class _Mark:
    pos: int
    width: int
    can_open: bool
    can_close: bool


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _classify(text: str, pos: int, width: int) -> _Mark:
    """Decide whether a mark can open and/or close a quote from the characters around it."""
    left = text[pos - 1] if pos > 0 else ""
    right = text[pos + width] if pos + width < len(text) else ""
    glyph = text[pos]
    can_open = not _is_space(right) and right not in _NOT_OPENING_BEFORE
    can_open = can_open and (_is_space(left) or left in _OPENERS_BEFORE)
    can_close = not _is_space(left) and (_is_space(right) or right in _CLOSERS_AFTER)
    if can_open == can_close:
        if not can_open and _is_space(left) and _is_space(right):
            # A mark floating between spaces (". ” … We both"): look past the space.
            after = text[pos + width : pos + width + 3].lstrip()
            before = text[max(0, pos - 3) : pos].rstrip()
            can_open = bool(after) and (after[0].isalnum() or after[0] == "…")
            can_close = bool(before) and before[-1] in ".,!?;:…'’"
            curly = glyph in _GLYPH_OPEN or glyph in _GLYPH_CLOSE
            if glyph in _DOUBLE_GLYPHS or (can_open == can_close and curly):
                # Tokenized copy spaces every mark ("was “ nothing to indicate … guidelines ” while"):
                # a curly double mark between spaces is what its glyph says (a single one may be
                # an apostrophe: "we ’ ll").
                can_open, can_close = glyph in _GLYPH_OPEN, glyph in _GLYPH_CLOSE
            elif can_open == can_close:
                can_open = can_close = True  # a straight mark between spaces: pairing decides
        elif glyph in _GLYPH_OPEN:
            can_open, can_close = True, False
        elif glyph in _GLYPH_CLOSE:
            can_open, can_close = False, True
        else:
            can_open = can_close = True  # straight mark glued on both sides: decided by pairing
    return _Mark(pos, width, can_open, can_close)


def _spaced_close(text: str, open_mark: _Mark, mark: _Mark) -> bool:
    """A straight mark that can only open, met while a straight-mark quote is open, right after
    a comma or full stop and a space: the quote's closing mark, spaced the tokenized way."""
    if text[mark.pos] != '"' or text[open_mark.pos] != '"' or not mark.can_open:
        return False
    if open_mark.can_close:
        return False  # the quote's own opening was a guess ('sense. " Witnesses'): no second guess
    return mark.pos >= 2 and text[mark.pos - 1] == " " and text[mark.pos - 2] in ",.!?"


def _reopens(text: str, mark: _Mark, following: list[_Mark]) -> bool:
    """Whether a mark taken as a tokenized close after a full stop also opens the next quote."""
    return text[mark.pos - 2] in ".!?" and bool(following) and following[0].can_close


# '“…,” she said. What is he pointing a gun at? He has common sense. "': the speaker goes on
# after the attribution and the page dropped the mark that reopens the quote, keeping the close.
_RESUMED = re.compile(
    r"\s*,?\s*(?:he|she|they|[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){0,2})\s(?:said|says|added|adds|told\s\w+)\.\s+"
    r"(?P<q>[A-Z][^\"“”«»]{10,400}?[.!?])\s*"
)


def _resumed(text: str, last: QuoteSpan | None, mark: _Mark, para_start: int) -> QuoteSpan | None:
    """The quote a lone closing mark ends, right after the attribution of the quote before it."""
    if last is None or last.close_end is None or last.close_end < para_start or not mark.can_close:
        return None
    if mark.pos + mark.width < len(text) and not text[mark.pos + mark.width].isspace():
        return None
    m = _RESUMED.fullmatch(text, last.close_end, mark.pos)
    if m is None:
        return None
    s, e = m.span("q")
    return QuoteSpan(s, e, [(s, e)], open_mark=s, close_mark=mark.pos, close_end=mark.pos + mark.width)


def _double_marks(masked: str, start: int, end: int) -> list[_Mark]:
    marks: list[_Mark] = []
    for m in _DOUBLE.finditer(masked, start, end):
        marks.append(_classify(masked, m.start(), m.end() - m.start()))
    return marks


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


_TURN = re.compile(r"[A-Z][A-Z.' -]{1,30}:")  # a transcript turn: "WALLACE: Do you …"


def _opens_paragraph(masked: str, para: tuple[int, int]) -> _Mark | None:
    """The opening double mark a paragraph starts with, if any (a continued quote)."""
    m = _DOUBLE.match(masked, para[0])
    if m is None or _TURN.match(masked, m.end()):
        return None
    mark = _classify(masked, m.start(), m.end() - m.start())
    return mark if mark.can_open else None


def find_double_quotes(
    text: str, masked: str | None = None, paras: list[tuple[int, int]] | None = None
) -> list[QuoteSpan]:
    """Pair double quotation marks paragraph by paragraph, following quotes across paragraphs.

    `paras`: `paragraphs(masked)`, when the caller has them."""
    masked = mask_markup(text) if masked is None else masked
    spans: list[QuoteSpan] = []
    paras = paragraphs(masked) if paras is None else paras
    pending: QuoteSpan | None = None  # a quote continued from the previous paragraph
    for index, para in enumerate(paras):
        marks = _double_marks(masked, para[0], para[1])  # no star call: slow compiled
        open_mark: _Mark | None = None
        if pending is not None and marks and marks[0].pos == para[0]:
            open_mark = marks.pop(0)
        elif pending is not None:
            pending = None  # continuation promised but the paragraph does not start with a mark
        for n, mark in enumerate(marks):
            if open_mark is None:
                resumed = _resumed(masked, spans[-1] if spans else None, mark, para[0])
                if resumed is not None:
                    spans.append(resumed)
                    continue
                if mark.can_open:
                    open_mark = mark
                continue
            if mark.can_close:
                s, e = _trim(masked, open_mark.pos + open_mark.width, mark.pos)
                if pending is not None:
                    pending.pieces.append((s, e))
                    pending.end, pending.close_mark, pending.close_end = e, mark.pos, mark.pos + mark.width
                    spans.append(pending)
                    pending = None
                elif e > s:
                    spans.append(
                        QuoteSpan(
                            s,
                            e,
                            [(s, e)],
                            open_mark=open_mark.pos,
                            close_mark=mark.pos,
                            close_end=mark.pos + mark.width,
                        )
                    )
                open_mark = None
            elif _spaced_close(masked, open_mark, mark):
                # Tokenized copy: 'tense, "New York …' closes the quote its '"I'm …' opened.
                s_, e_ = _trim(masked, open_mark.pos + open_mark.width, mark.pos)
                if pending is None and e_ > s_:
                    spans.append(
                        QuoteSpan(
                            s_,
                            e_,
                            [(s_, e_)],
                            open_mark=open_mark.pos,
                            close_mark=mark.pos,
                            close_end=mark.pos + mark.width,
                        )
                    )
                    # '… scene. "We've been … damage. " Engineers': a mark after a full stop
                    # that the paragraph's next mark can close opens the speaker's next
                    # sentence (its closing mark dropped, the way continued quotes are written).
                    open_mark = mark if _reopens(masked, mark, marks[n + 1 : n + 2]) else None
                    continue
                open_mark = mark
            elif mark.can_open:
                # An opening mark while a quote is open: the page dropped a closing mark.
                if pending is not None:
                    spans.append(_unclosed(pending))
                    pending = None
                open_mark = mark
        if open_mark is None:
            continue
        # Still open at the end of the paragraph.
        s, e = _trim(masked, open_mark.pos + open_mark.width, para[1])
        if pending is None:
            pending = QuoteSpan(s, e, [], open_mark=open_mark.pos)
        pending.pieces.append((s, e))
        pending.end = e
        nxt = paras[index + 1] if index + 1 < len(paras) else None
        short = len(masked[s:e].split()) < 5 and not pending.pieces[:-1]
        if nxt is None or short or _opens_paragraph(masked, nxt) is None:
            # Unclosed: a long quote ends with its paragraph; a few words left open are not
            # carried into the next paragraph.
            spans.append(_unclosed(pending))
            pending = None
    return spans


def _unclosed(span: QuoteSpan) -> QuoteSpan:
    span.closed = False
    return span


def mask_markup(text: str) -> str:
    """Blank out tags (same length) so their attribute quotes are not taken for speech."""
    # Each pattern needs a character most texts lack: without it, the text is scanned no further.
    masked = _TAG.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text) if "<" in text else text
    # ''' closing a nested single quote and the outer double one: the double is the last two.
    return _TRIPLE_CLOSE.sub("’''", masked) if "'''" in masked else masked


def find_single_quotes(
    text: str, masked: str, covered: list[tuple[int, int]], paras: list[tuple[int, int]] | None = None
) -> list[QuoteSpan]:
    """Top-level single-quoted passages outside double quotes ('We will win,' she said)."""
    spans: list[QuoteSpan] = []
    for para in paragraphs(masked) if paras is None else paras:
        open_mark: _Mark | None = None
        for m in _SINGLE.finditer(masked, para[0], para[1]):
            pos = m.start()
            left = masked[pos - 1] if pos > 0 else ""
            right = masked[pos + 1] if pos + 1 < len(masked) else ""
            if left.isalnum() and right.isalnum():
                continue  # an apostrophe inside a word (most marks: tested before the scan below)
            if any(s - 1 <= pos <= e for s, e in covered):
                continue
            mark = _classify(masked, pos, 1)
            if open_mark is None:
                if mark.can_open and not mark.can_close and not _ELISION.match(masked, pos):
                    open_mark = mark
            elif mark.can_close and not mark.can_open:
                s, e = _trim(masked, open_mark.pos + 1, pos)
                if e > s:
                    spans.append(
                        QuoteSpan(
                            s,
                            e,
                            [(s, e)],
                            single=True,
                            open_mark=open_mark.pos,
                            close_mark=pos,
                            close_end=pos + 1,
                        )
                    )
                open_mark = None
    return spans


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """All quoted passages in reading order: double-quoted ones and top-level single-quoted ones."""
    masked = mask_markup(text)
    paras = paragraphs(masked)  # once for both kinds of marks
    doubles = find_double_quotes(text, masked, paras)
    covered = [(q.open_mark, q.close_mark if q.close_mark is not None else q.end) for q in doubles]
    singles = find_single_quotes(text, masked, covered, paras)
    return sorted(doubles + singles, key=lambda q: q.start)
