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


def clause_links(sentences: Sequence[Sentence], groups: Sequence[int]) -> dict[int, dict[int, float]]:
    """For each sentence, the sentences of other groups with a clause as close as CLAUSE_POINT to
    one of its own, and that best clause cosine."""
    df: Counter[str] = Counter()
    for s in sentences:
        df.update(s.terms.keys())
    total = max(1, len(sentences))
    known: dict[str, str | None] = {}  # each word's term, worked out once
    owners: list[int] = []
    vectors: list[dict[str, float]] = []
    for i, s in enumerate(sentences):
        for terms in _clauses(s.text, known):
            vec = {t: (1 + math.log(c)) * math.log(1 + total / max(1, df[t])) for t, c in terms.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            owners.append(i)
            vectors.append({t: v / norm for t, v in vec.items()})
    # Each clause is compared with the earlier ones through an inverted index built as it goes:
    # only clauses sharing a term are ever compared, each pair once, never two of one group.
    group = [groups[sentences[o].article] for o in owners]
    postings: dict[str, list[tuple[int, float]]] = {}
    links: dict[int, dict[int, float]] = {i: {} for i in range(len(sentences))}
    for c, vec in enumerate(vectors):
        own = group[c]
        dots: dict[int, float] = {}
        for term, weight in vec.items():
            posting = postings.setdefault(term, [])
            for d, other in posting:
                if group[d] != own:
                    dots[d] = dots.get(d, 0.0) + weight * other
            posting.append((c, weight))
        for d, sim in dots.items():
            if sim >= CLAUSE_POINT:
                x, y = owners[c], owners[d]
                links[x][y] = links[y][x] = max(links[x].get(y, 0.0), sim)
    return links
