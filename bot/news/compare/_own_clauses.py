"""The clause of a sentence that only its outlet reports, when the rest is what others say.

Wire copy packs a new fact into a sentence about a shared one: "The new death toll came after the
bodies of two more victims were found in the village of Ziranag", "… 923 rounds of ammunition,
thereby ensuring that the Navy remains a force not to be trifled with". The sentence as a whole is
close to another outlet's (the toll, the haul) and is rightly not listed as its outlet's own; the
clause that carries the new fact is listed instead, on its own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from bot.news.compare._points import Sentence, terms_of

__all__ = ["MIN_NOVEL", "own_clause"]

# Where one statement ends and another starts inside a sentence: punctuation, a full stop left
# inside by a quotation, and the words that open a clause of its own.
_CUT = re.compile(
    r"(?<=[.!?])\s*[\"”]?\s+(?=[\"“]?[A-Z])|(?<!\d)[,:](?!\d)|[;—–()]|\s-\s|"
    r"\s(?=(?:after|when|while|because|which|thereby|although|whereas|as well as)\b)"
)
# A clause that opens on these ("who said most of that was lost") has lost its subject.
_NO_SUBJECT = re.compile(r"(?:who|whom|whose|which|that|because|while|when|as)\b", re.IGNORECASE)
_JOINER = re.compile(r"(?:and|but|or|then)\s+", re.IGNORECASE)  # "and about 3,500 residents left"
_MARKS = re.compile(r"[\"“”]")
_MIN_WORDS = 6  # a shorter run ("Qeshm Governor Heydar Alishvandi said") joins its neighbour
MIN_NOVEL = 4  # new terms a clause needs: as many as a sentence near another outlet's
_NOVEL_SHARE = 0.5  # ... and at least this share of its terms: the clause is mostly new
_STRIP = " ,;:-—–()\"“”'"


def _clause_spans(text: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence, each of at least _MIN_WORDS words (short runs join the next)."""
    cuts = [0, *(m.start() for m in _CUT.finditer(text)), len(text)]
    spans: list[tuple[int, int]] = []
    start = 0
    for end in cuts[1:]:
        if len(text[start:end].split()) >= _MIN_WORDS:
            spans.append((start, end))
            start = end
    if start < len(text) and spans:
        spans[-1] = (spans[-1][0], len(text))  # a short tail joins the clause before it
    return spans


def own_clause(
    s: Sentence, users: Mapping[str, set[int]], group: int, known: dict[str, str | None]
) -> Sentence | None:
    """The clause of `s` mostly in words no other group uses (`users`: the groups using each
    term), as a sentence of its own; None when no clause is, or `s` is one clause."""
    spans = _clause_spans(s.text)
    if len(spans) < 2:
        return None
    best: tuple[float, Sentence] | None = None
    for start, end in spans:
        raw = s.text[start:end]
        first = start + len(raw) - len(raw.lstrip(_STRIP))  # where its first word starts
        if len(_MARKS.findall(s.text, 0, first)) % 2:
            continue  # inside a quotation: cut from it, the words lose their speaker
        text = raw.strip(_STRIP)
        text = text[m.end() :] if (m := _JOINER.match(text)) else text
        if _NO_SUBJECT.match(text):
            continue
        terms = terms_of(text, known)
        novel = [t for t in terms if users.get(t) == {group}]
        if len(novel) < MIN_NOVEL or len(novel) < _NOVEL_SHARE * len(terms):
            continue
        vector = {t: s.vector[t] for t in terms if t in s.vector}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        clause = Sentence(s.article, s.position, text[:1].upper() + text[1:], terms)
        clause.vector = {t: v / norm for t, v in vector.items()}
        weight = sum(s.vector.get(t, 0.0) ** 2 for t in novel)  # the clause with most that is new
        if best is None or weight > best[0]:
            best = (weight, clause)
    return best[1] if best else None
