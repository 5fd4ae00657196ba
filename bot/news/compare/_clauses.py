"""Clause links: two sentences that state one fact inside longer sentences about other things.

A lead sentence often packs three facts ("in a wheelchair Monday when he pulled a gun on two guards
during a transfer from Huntsville to Beaumont"); its cosine with another outlet's sentence on one
of them is diluted by the rest. Comparing the clauses of the two sentences finds the fact they
share ("walked off wearing one of their uniforms" / "in one of the guard's uniforms"). Clauses
are read in fact terms (`_fact_terms`: word roots, "nobody"); two clauses giving other figures
("six rifles" / "14 rifles") state two facts, however alike their words. Every linked pair of
clauses is kept, so that a lead linked to another by one fact may be linked by its others too.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.news.compare._fact_terms import WORD, FactTerms
from bot.news.compare._points import Sentence

__all__ = ["ClauseLinks", "clause_links", "link_clauses"]

# Clause boundaries: punctuation, and the conjunctions that start a new statement. One pass over
# the sentence finds marks and words (as plain strings: a mark starts with one of _MARKS or a
# space, a word never does); a conjunction is a word that cuts.
_TOKENS = re.compile(f"[,;:—–()]|\\s-\\s|{WORD}")
_MARKS = frozenset(",;:—–()")
_CUT_WORDS = frozenset(["and", "but", "while", "when", "after", "before", "where", "then", "because", "as"])
_MIN_TERMS = 3  # a clause of fewer content words ("police said") states nothing on its own
_COMMON = 0.05  # a term in more than this share of the sentences is common (see link_clauses)
CLAUSE_POINT = 0.4  # cosine at which two clauses state the same thing
_NO_POSTINGS: dict[int, list[tuple[int, float]]] = {}  # never written to
_MARGIN = 1e-9  # far above the rounding of a sum of a few dozen products of unit weights


def _is_word(token: str) -> bool:
    return token[0] not in _MARKS and not token[0].isspace()


def _split(sentences: Sequence[Sentence], terms: FactTerms | None) -> list[list[dict[str, int]]]:
    """The fact terms of each clause of each sentence; `terms`: the story's fact terms (made from
    the sentences' words when not given)."""
    tokens = [_TOKENS.findall(FactTerms.fold(s.text)) for s in sentences]  # one pass per sentence
    if terms is None:
        terms = FactTerms(words=(t for found in tokens for t in found if _is_word(t)))
    return [_clauses(found, terms) for found in tokens]


def _clauses(tokens: Sequence[str], terms: FactTerms) -> list[dict[str, int]]:
    """The fact terms of each clause of a sentence (its marks and words as `_TOKENS` finds them)
    with enough of them; short runs join the next."""
    out: list[dict[str, int]] = []
    pending: dict[str, int] = {}
    term_of = terms.term
    for word in tokens:
        if word[0] not in _MARKS and not word[0].isspace() and word not in _CUT_WORDS:
            term = term_of(word)
            if term is not None:
                pending[term] = pending.get(term, 0) + 1
        elif len(pending) >= _MIN_TERMS:
            out.append(pending)
            pending = {}
    if len(pending) >= _MIN_TERMS:
        out.append(pending)
    elif pending and out:
        for term, n in pending.items():
            out[-1][term] = out[-1].get(term, 0) + n
    return out


@dataclass
class ClauseLinks:
    """Which sentences of other groups state a fact one clause of a sentence states.

    `best[i][j]`: the best clause cosine between sentences i and j; `pairs[i][j]`: every pair of
    their clauses as close as CLAUSE_POINT, as (clause of i, clause of j); `clauses[i]`: how many
    clauses sentence i has. A lead that packs three facts links to other leads through each one.
    """

    best: dict[int, dict[int, float]]
    pairs: dict[int, dict[int, list[tuple[int, int]]]]
    clauses: list[int]


def clause_links(
    sentences: Sequence[Sentence], groups: Sequence[int], terms: FactTerms | None = None
) -> dict[int, dict[int, float]]:
    """For each sentence, the sentences of other groups with a clause as close as CLAUSE_POINT to
    one of its own, and that best clause cosine; `terms`: the story's fact terms."""
    return link_clauses(sentences, groups, terms).best


def _vectors(
    split: Sequence[list[dict[str, int]]],
) -> tuple[list[tuple[int, int]], list[dict[str, float]], set[str]]:
    """Each clause's owner (sentence, clause), its unit TF-IDF vector, and the story's common terms."""
    df: Counter[str] = Counter()
    for clauses in split:
        df.update({t for clause in clauses for t in clause})
    total = max(1, len(split))
    idf = {t: math.log(1 + total / n) for t, n in df.items()}
    owners: list[tuple[int, int]] = []
    vectors: list[dict[str, float]] = []
    for i, clauses in enumerate(split):
        for k, clause in enumerate(clauses):
            # A term used once weighs its idf (1 + log 1 is exactly 1): no logarithm to take.
            vec = {t: idf[t] if c == 1 else (1 + math.log(c)) * idf[t] for t, c in clause.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            owners.append((i, k))
            vectors.append({t: v / norm for t, v in vec.items()})
    return owners, vectors, {t for t, n in df.items() if n > _COMMON * total}


Postings = dict[str, dict[int, list[tuple[int, float]]]]  # per term and group: (clause, weight)


def _close_pairs(
    vectors: Sequence[dict[str, float]], common: set[str], group: Sequence[int], several: Sequence[bool]
) -> Iterator[tuple[int, int, float]]:
    """(later clause, earlier clause, cosine) of the pairs of clauses of other groups at least
    CLAUSE_POINT alike, but those of two sentences of one clause each (compared whole already).

    Each clause is compared with the earlier ones through inverted indexes built as they go: only
    clauses sharing a term are compared, each pair once; a clause passes over its own group's list
    whole. A term in many sentences ("fire" in a fire story) has long postings and little weight.
    Its share of a cosine is at most its weight here times its greatest weight anywhere: when that
    bound over a clause's common terms cannot lift a pair to CLAUSE_POINT, the pair must share a
    rarer term, and only such pairs are gathered; their common terms are added exactly after (for
    those the bound leaves within reach). The pairs are the same as comparing every pair, for a
    fraction of the work.
    """
    greatest: dict[str, float] = {}
    for vec in vectors:
        for t, w in vec.items():
            if w > greatest.get(t, 0.0):
                greatest[t] = w
    postings: Postings = {}  # every clause
    in_parts: Postings = {}  # clauses of sentences of several clauses
    for c, vec in enumerate(vectors):
        own = group[c]
        index = postings if several[c] else in_parts
        shared = [(t, w) for t, w in vec.items() if t in common]
        bound = sum(w * greatest[t] for t, w in shared)  # the most the common terms can add
        exact = bound >= CLAUSE_POINT
        dots: defaultdict[int, float] = defaultdict(float)
        for term, weight in vec.items():
            if exact or term not in common:
                for g, posting in index.get(term, _NO_POSTINGS).items():
                    if g != own:
                        for d, other in posting:
                            dots[d] += weight * other
            entry = (c, weight)
            for into in (postings, in_parts) if several[c] else (postings,):
                by_group = into.get(term)
                if by_group is None:
                    into[term] = {own: [entry]}
                elif own in by_group:
                    by_group[own].append(entry)
                else:
                    by_group[own] = [entry]
        if not exact and shared:
            # A pair that even the bound cannot lift to CLAUSE_POINT stays below it: its common
            # terms are not worth adding (the margin keeps rounding from deciding).
            short = CLAUSE_POINT - bound - _MARGIN
            for d, dot in dots.items():
                if dot >= short:
                    vd = vectors[d]
                    dots[d] = dot + sum(w * vd.get(t, 0.0) for t, w in shared)
        for d, sim in dots.items():
            if sim >= CLAUSE_POINT:
                yield c, d, sim


def link_clauses(
    sentences: Sequence[Sentence], groups: Sequence[int], terms: FactTerms | None = None
) -> ClauseLinks:
    """The clause links of a story's sentences (see ClauseLinks); `terms`: the story's fact terms."""
    split = _split(sentences, terms)
    owners, vectors, common = _vectors(split)
    figures = [{t for t in vec if t[0].isdigit()} for vec in vectors]
    # Each clause is compared with the earlier ones through inverted indexes built as they go:
    # only clauses sharing a term are ever compared, each pair once, never two of one group. Two
    # sentences of one clause each are compared as whole sentences already: such pairs are skipped.
    group = [groups[sentences[o].article] for o, _ in owners]
    counts = [len(clauses) for clauses in split]
    out = ClauseLinks({i: {} for i in range(len(sentences))}, {i: {} for i in range(len(sentences))}, counts)
    for c, d, sim in _close_pairs(vectors, common, group, [counts[o] > 1 for o, _ in owners]):
        # Other figures make another fact ("six rifles" seized today, "14 rifles" in five raids).
        if not (figures[c] and figures[d] and not figures[c] & figures[d]):
            (x, kx), (y, ky) = owners[c], owners[d]
            out.best[x][y] = out.best[y][x] = max(out.best[x].get(y, 0.0), sim)
            out.pairs[x].setdefault(y, []).append((kx, ky))
            out.pairs[y].setdefault(x, []).append((ky, kx))
    return out
