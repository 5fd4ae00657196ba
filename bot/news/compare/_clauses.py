"""Clause links: two sentences that state one fact inside longer sentences about other things.

A lead sentence often packs three facts ("in a wheelchair Monday when he pulled a gun on two guards
during a transfer from Huntsville to Beaumont"); its cosine with another outlet's sentence on one
of them is diluted by the rest. Comparing the clauses of the two sentences finds the fact they
share ("walked off wearing one of their uniforms" / "in one of the guard's uniforms").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from bot.news.compare._points import Sentence, terms_of

__all__ = ["clause_links"]

# Clause boundaries: punctuation, and the conjunctions that start a new statement.
_CUT = re.compile(r"[,;:—–()]|\s-\s|\b(?:and|but|while|when|after|before|where|then|because|as)\b")
_MIN_TERMS = 3  # a clause of fewer content words ("police said") states nothing on its own
CLAUSE_POINT = 0.4  # cosine at which two clauses state the same thing


def _clauses(text: str, known: dict[str, str | None]) -> list[Counter[str]]:
    """The content terms of each clause of a sentence with enough of them; short runs join the next."""
    out: list[Counter[str]] = []
    pending: Counter[str] = Counter()
    for piece in _CUT.split(text):
        pending.update(terms_of(piece, known))
        if len(pending) >= _MIN_TERMS:
            out.append(pending)
            pending = Counter()
    if pending and out:
        out[-1].update(pending)
    return out


def clause_links(
    sentences: Sequence[Sentence], groups: Sequence[int], known: dict[str, str | None] | None = None
) -> dict[int, dict[int, float]]:
    """For each sentence, the sentences of other groups with a clause as close as CLAUSE_POINT to
    one of its own, and that best clause cosine; `known`: words whose terms are worked out."""
    df: Counter[str] = Counter()
    for s in sentences:
        df.update(s.terms.keys())
    total = max(1, len(sentences))
    known = {} if known is None else known  # each word's term, worked out once
    idf = {t: math.log(1 + total / n) for t, n in df.items()}
    owners: list[int] = []
    vectors: list[dict[str, float]] = []
    for i, s in enumerate(sentences):
        for terms in _clauses(s.text, known):
            vec = {t: (1 + math.log(c)) * idf.get(t, math.log(1 + total)) for t, c in terms.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            owners.append(i)
            vectors.append({t: v / norm for t, v in vec.items()})
    # Each clause is compared with the earlier ones through inverted indexes built as they go:
    # only clauses sharing a term are ever compared, each pair once, never two of one group. Two
    # sentences of one clause each are compared as whole sentences already: such pairs are skipped.
    group = [groups[sentences[o].article] for o in owners]
    count = Counter(owners)
    postings: dict[str, list[tuple[int, float]]] = {}  # every clause
    in_parts: dict[str, list[tuple[int, float]]] = {}  # clauses of sentences of several clauses
    links: dict[int, dict[int, float]] = {i: {} for i in range(len(sentences))}
    for c, vec in enumerate(vectors):
        own, several = group[c], count[owners[c]] > 1
        index = postings if several else in_parts
        dots: dict[int, float] = {}
        for term, weight in vec.items():
            for d, other in index.get(term, ()):
                if group[d] != own:
                    dots[d] = dots.get(d, 0.0) + weight * other
            postings.setdefault(term, []).append((c, weight))
            if several:
                in_parts.setdefault(term, []).append((c, weight))
        for d, sim in dots.items():
            if sim >= CLAUSE_POINT:
                x, y = owners[c], owners[d]
                links[x][y] = links[y][x] = max(links[x].get(y, 0.0), sim)
    return links
