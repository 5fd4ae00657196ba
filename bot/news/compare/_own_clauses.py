"""The clause of a sentence that only its outlet reports, when the rest is what others say.

Wire copy packs a new fact into a sentence about a shared one: "The new death toll came after the
bodies of two more victims were found in the village of Ziranag", "… 923 rounds of ammunition,
thereby ensuring that the Navy remains a force not to be trifled with". The sentence as a whole is
close to another outlet's (the toll, the haul) and is rightly not listed as its outlet's own; the
clause that carries the new fact is listed instead, on its own.

The clause is scored on its own words but shown as an editor would list it: with its subject
("The man, who did not want to be identified, called 911 ..." lists "The man called 911 ...", never
"Called 911 ...") and with its source ("..., according to general manager Victor Anand", "Police
said ..."): a point that lost who did or said it is no point.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.news.compare._points import Sentence, terms_of
from bot.news.text import word_set

__all__ = ["MIN_NOVEL", "OwnClause", "own_clause"]

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
_MAX_SHOWN = 60  # words: a clause shown with its subject and source stays one point, not a passage
# A clause opening in lower case has its subject when it opens on one of these ("about 3,500
# residents left", "the crew ..."); "called 911 when ...", "thereby ensuring ..." have none.
_SUBJECT_OPENERS = word_set(
    """a an the this these those that its his her their our my your some many most all both each
    every several no one two three four five six seven eight nine ten dozens hundreds thousands
    another other others few more about nearly around almost roughly over at up only he she they it
    we i you there"""
)
# "The man, who did not want to be identified, called 911": the subject before a relative clause.
_RELATIVE = re.compile(r"(?:^|(?<=[.;:]\s))([^,;\"“”]{2,80}?),\s*(?:who|whose|which)\b[^,;\"“”]*,\s*$")
# Who said it, when the sentence says so outside the clause.
_ACCORDING = re.compile(r"\baccording to [^,;\"“”]+?(?=\s*[,;]|\.?[\"”]?\s*$)")
_SAID_AFTER = re.compile(
    r",\s*((?:[^,;\"“”]{1,60}?\s(?:said|says|told [^,;.\"“”]+|added|reported))|(?:said|says)\s[^,;\"“”]{1,60}?)"
    r"\.?[\"”]?\s*$"
)
_SAID_BEFORE = re.compile(r"^([A-Z][\w.'’\- ]{0,60}?\s(?:said|says|told \w+|reported))(?: that)?\s")
# "after the bodies were found": a clause of its own once the word tying it to the rest is gone.
_SUBORDINATE = re.compile(r"(?:after|although|whereas)\s+(?=\S)", re.IGNORECASE)
_SOURCED = re.compile(r"\b(?:said|says|told|according to|reported|added)\b")


@dataclass(frozen=True)
class OwnClause:
    """A clause only its outlet reports: `clause` is what is new (scored), `shown` how it is listed."""

    clause: Sentence
    shown: str


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


def _has_subject(text: str) -> bool:
    """Whether a clause opens on its subject (a name, a figure, a quotation, "the crew", "he")."""
    first = text.split(maxsplit=1)[0] if text.split() else ""
    return not first[:1].islower() or first.lower().strip(",.") in _SUBJECT_OPENERS


def _opening(text: str, start: int) -> int:
    """Where the clause starting at `start` shows its first word (after marks and "and")."""
    raw = text[start:]
    first = start + len(raw) - len(raw.lstrip(_STRIP))
    m = _JOINER.match(text, first)
    return m.end() if m else first


def _with_subject(text: str, spans: list[tuple[int, int]], k: int, clause: str) -> str:
    """Clause `k` of `text` with its subject: the subject before a relative clause ("The man, who
    ..., called 911" -> "The man called 911"), else the sentence up to the clause's end."""
    if (m := _SUBORDINATE.match(clause)) and _has_subject(clause[m.end() :]):
        clause = clause[m.end() :]
    if _has_subject(clause):
        return clause
    first = _opening(text, spans[k][0])
    if m := _RELATIVE.search(text, 0, first):
        return f"{m.group(1).strip(_STRIP)} {clause}"
    # A clause that hangs on the main one ("thereby ensuring ...") is shown with the sentence up to
    # its end: a list item before it ("31 magazines and 923 rounds, thereby ...") has no subject.
    return text[: spans[k][1]].strip(_STRIP)


def _with_source(text: str, shown: str) -> str:
    """`shown` (a part of sentence `text`) with who said it when the sentence says so elsewhere."""
    if _SOURCED.search(shown):
        return shown
    if (m := _ACCORDING.search(text)) and m.group(0) not in shown:
        return f"{shown.rstrip(' .')}, {m.group(0)}."
    if (m := _SAID_AFTER.search(text)) and m.group(1) not in shown:
        return f"{shown.rstrip(' .')}, {m.group(1)}."
    if (m := _SAID_BEFORE.match(text)) and not shown.startswith(m.group(1)):
        common = shown.split()[0].lower() in _SUBJECT_OPENERS  # "The crew" -> "the crew", not "Anand"
        return f"{m.group(1)} {shown[:1].lower() + shown[1:] if common else shown}"
    return shown


def own_clause(
    s: Sentence, users: Mapping[str, set[int]], group: int, known: dict[str, str | None]
) -> OwnClause | None:
    """The clause of `s` mostly in words no other group uses (`users`: the groups using each
    term), with how it is shown (its subject and source kept); None when no clause is, or `s`
    is one clause."""
    spans = _clause_spans(s.text)
    if len(spans) < 2:
        return None
    best: tuple[float, OwnClause] | None = None
    for k, (start, end) in enumerate(spans):
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
        shown = _with_source(s.text, _with_subject(s.text, spans, k, text))
        if len(shown.split()) > _MAX_SHOWN:
            continue
        vector = {t: s.vector[t] for t in terms if t in s.vector}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        clause = Sentence(s.article, s.position, text[:1].upper() + text[1:], terms)
        clause.vector = {t: v / norm for t, v in vector.items()}
        weight = sum(s.vector.get(t, 0.0) ** 2 for t in novel)  # the clause with most that is new
        if best is None or weight > best[0]:
            best = (weight, OwnClause(clause, shown[:1].upper() + shown[1:]))
    return best[1] if best else None
