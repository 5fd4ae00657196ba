"""Points of a story: which sentences several outlets share, which only one outlet reported.

Sentences are compared by TF-IDF over the story's own sentences (a word every article uses says
little), names folded so that "Zelenskyy" and "Zelensky" count as one word. The lists an editor
reads are made beside this: shared points in `_shared` (with `_clauses`), unique ones in `_unique`.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from bot.news.compare._figure_words import cut_suffix
from bot.news.text import (
    find_quote_spans,
    mask_quotes,
    name_key,
    paragraphs,
    split_sentences,
    synonym_of,
    word_set,
)

_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w’'.-]*[\w]|[A-Za-z]|\d[\d,.]*\d|\d")
_STOP = word_set("""
    a an the and or but of to in on at for with by from as is are was were be been being it its this that these
    those he his him she her they their them we our us you your i me my not no than more most very will would
    can could should may might must do does did have has had so if then there here all any just also only
    about into over up out what which who whom how when where why said says say told mr mrs ms according
    after before while since because during one two new last first
    """)
_MOST_WORDS = 80  # a longer "sentence" is a run-on list or a mis-split page, not a point
# The lookahead names the first letters of the alternatives below (keep them in step): most
# positions of a sentence are passed over on one character test, 2-3 times faster than without.
_BOILERPLATE = re.compile(
    r"(?=[hwcsna@])(?:https?://|www\.|@\w|\bclick\b|\bsubscribe\b|\bnewsletter\b|\bcookie|\badvertisement\b|"
    r"\bsign up\b|\bcontributed (?:to )?(?:this )?(?:story|reporting)\b|\bcan be reached\b|\ball rights reserved\b)",
    re.IGNORECASE,
)
SAME_POINT = 0.38  # cosine at which two sentences state the same thing
SHARED_POINT = 0.28  # … and at which they are listed as one shared point
RELATED = 0.2  # below this, no other outlet said anything like it


@dataclass
class Sentence:
    """One sentence of one article, with its weighted terms."""

    article: int
    position: int
    text: str
    terms: Counter[str]
    vector: dict[str, float] = field(default_factory=dict)

    @property
    def words(self) -> int:
        return len(self.text.split())


def terms_of(text: str, known: dict[str, str | None] | None = None) -> Counter[str]:
    """The content terms of a text; `known` remembers each word's term across calls."""
    known = {} if known is None else known
    get = known.get
    terms: list[str] = []
    for word in _WORD.findall(text):
        term = get(word, _UNKNOWN)
        if term is _UNKNOWN:
            term = known[word] = _word_term(word)
        if term is not None:
            terms.append(term)
    return Counter(terms)  # counted in C, keys in order of first use as before


_UNKNOWN = "\0"  # no word's term: marks a word not looked at yet


# A figure and the word after it: "50 - year - old", "923 rounds", "$4.2 million" (the word is
# "million": what it counts is further on, and the figure alone tells the amount apart).
_COUNTED = re.compile(r"(\d[\d,.]*\d|\d)\s*(?:-\s*)?([A-Za-z]+)")


def counted_figures(text: str, known: dict[str, str | None] | None = None) -> set[tuple[str, str]]:
    """The figures of a text with the term of the word each counts; `known` as for terms_of."""
    known = {} if known is None else known
    out: set[tuple[str, str]] = set()
    for figure, word in _COUNTED.findall(text):
        if word not in known:
            known[word] = _word_term(word)
        term = known[word]
        if term is not None:
            out.add((figure.rstrip(".,"), term))
    return out


def _word_term(word: str) -> str | None:
    low = word.lower().strip(".")
    if low in _STOP or len(low) < 2:
        return None
    if word[0].isupper() and word.isalpha():
        return name_key(word)
    synonym = synonym_of(low)
    if synonym is not None:
        return synonym  # "lawyer" and "attorney" are one term  # "Zelenskyy" and "Zelensky" are one term
    return _stem(low)


_SUFFIXES = ("ing", "ied", "ies", "ed", "es", "s", "ly")


def _stem(word: str) -> str:
    return cut_suffix(word, _SUFFIXES, ie_to_y=True)


def article_sentences(text: str, min_words: int = 6) -> list[str]:
    """The sentences of an article that can carry a point (no bylines, links, one-word lines);
    figures may come from shorter lines ("Second violation: a $150 fine.") with a lower `min_words`.

    A quotation of several sentences stays in one piece with its attribution ("“… territory. That
    is why …,” Zelensky said …"): cut at its inner full stop, the second half has no speaker and
    the first no closing mark. Where that makes a sentence too long to be a point, it is cut anyway.
    """
    mask = mask_quotes(text, [p for q in find_quote_spans(text) for p in q.pieces])
    out: list[str] = []
    for ps, pe in paragraphs(text):
        for ms, me in split_sentences(text, ps, pe, mask=mask):
            pieces = [(ms, me)]
            if len(text[ms:me].split()) > _MOST_WORDS:
                pieces = split_sentences(text, ms, me)
            for ss, se in pieces:
                sentence = text[ss:se].strip()
                words = sentence.split()
                if not min_words <= len(words) <= _MOST_WORDS or _BOILERPLATE.search(sentence):
                    continue
                if sum(map(str.isalpha, sentence)) < 0.6 * len(sentence) or _is_heading(sentence):
                    continue
                out.append(sentence)
    return out


def _is_heading(sentence: str) -> bool:
    """A subheading inside the text ("Trump's Position on Ukraine's Role in Peace Talks"): no
    closing stop and its words capitalised. It names a section; it reports nothing."""
    if sentence[-1] in ".!?…\"”’'":
        return False
    words = [w for w in sentence.split() if w.lower() not in _STOP]
    return bool(words) and sum(w[0].isupper() or w[0].isdigit() for w in words) >= 0.75 * len(words)


def build_sentences(
    split: Sequence[Sequence[str]], known: dict[str, str | None] | None = None
) -> list[Sentence]:
    """Sentences of every article (as `article_sentences` splits them) with TF-IDF vectors;
    `known` remembers each word's term (worked out once)."""
    known = {} if known is None else known
    sentences = [
        Sentence(n, position, text, terms_of(text, known))
        for n, article in enumerate(split)
        for position, text in enumerate(article)
    ]
    df: Counter[str] = Counter()
    for s in sentences:
        df.update(s.terms.keys())
    total = max(1, len(sentences))
    idf = {t: math.log(1 + total / n) for t, n in df.items()}  # worked out once per term
    for s in sentences:
        # A term used once weighs its idf (1 + log 1 is exactly 1): no logarithm to take.
        vec = {t: idf[t] if c == 1 else (1 + math.log(c)) * idf[t] for t, c in s.terms.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        s.vector = {t: v / norm for t, v in vec.items()}
    return sentences


def similarity(a: Sentence, b: Sentence) -> float:
    """Cosine similarity of two sentences' TF-IDF vectors."""
    if len(a.vector) > len(b.vector):
        a, b = b, a
    return sum(v * b.vector.get(t, 0.0) for t, v in a.vector.items())


@dataclass
class PointCluster:
    """Sentences from several articles that state one thing; `center` is the one shown."""

    center: Sentence
    members: list[Sentence]

    @property
    def articles(self) -> list[int]:
        return sorted({m.article for m in self.members})


class StoryPoints:
    """Similarities between the sentences of a story's articles, computed once."""

    def __init__(self, split: Sequence[Sequence[str]], groups: Sequence[int] | None = None) -> None:
        """`split`: each article's sentences; `groups`: articles of one group never confirm each other."""
        self.known: dict[str, str | None] = {}  # each word's term, for whoever splits the text further
        self.sentences = build_sentences(split, self.known)
        # Articles of one group (the same outlet, or a copy and its original) never confirm each other.
        self.groups = list(groups) if groups is not None else list(range(len(split)))
        self.neighbours: dict[int, list[tuple[int, float]]] = {i: [] for i in range(len(self.sentences))}
        # Dot products through an inverted index built as it goes: only sentences sharing a term
        # are ever compared, each pair once, never two of one group.
        # A posting holds each sentence's group beside it; the products of a pair are summed in the
        # order of the later sentence's terms (the same sum, to the last digit, however it is run).
        group = [self.groups[s.article] for s in self.sentences]
        postings: dict[str, list[tuple[int, float, int]]] = {}
        for i, a in enumerate(self.sentences):
            own = group[i]
            dots: defaultdict[int, float] = defaultdict(float)
            for term, weight in a.vector.items():
                posting = postings.get(term)
                if posting is None:
                    postings[term] = [(i, weight, own)]
                    continue
                for j, other, g in posting:
                    if g != own:
                        dots[j] += weight * other
                posting.append((i, weight, own))
            for j, sim in sorted([(j, sim) for j, sim in dots.items() if sim >= RELATED]):
                self.neighbours[i].append((j, sim))
                self.neighbours[j].append((i, sim))

    def support(self, i: int, threshold: float = SAME_POINT) -> set[int]:
        """The groups (other than its own) with a sentence that says what sentence i says."""
        return {self.groups[self.sentences[j].article] for j, sim in self.neighbours[i] if sim >= threshold}

    @cached_property
    def term_groups(self) -> dict[str, set[int]]:
        """Per term, the groups whose sentences use it."""
        out: dict[str, set[int]] = {}
        for s in self.sentences:
            group = self.groups[s.article]
            for term in s.terms:
                users = out.get(term)
                if users is None:
                    out[term] = {group}
                else:
                    users.add(group)
        return out

    @cached_property
    def figure_groups(self) -> dict[tuple[str, str], set[int]]:
        """Per figure with the word it counts ("50", "year" of "a 50-year-old man"), the groups
        whose sentences give it: a figure others give of another thing is new here."""
        out: dict[tuple[str, str], set[int]] = {}
        for s in self.sentences:
            for pair in counted_figures(s.text, self.known):
                out.setdefault(pair, set()).add(self.groups[s.article])
        return out

    def _centrality(self, i: int) -> float:
        return sum(sim for _, sim in self.neighbours[i])

    def summary(self, count: int) -> list[Sentence]:
        """Sentences most outlets agree on, not repeating each other; the lead when alone."""
        order = sorted(
            range(len(self.sentences)),
            key=lambda i: (
                -len(self.support(i, SAME_POINT * 0.8)),
                -self._centrality(i) / (1 + 0.15 * self.sentences[i].position),
                self.sentences[i].position,
            ),
        )
        chosen: list[int] = []
        for i in order:
            s = self.sentences[i]
            if s.words < 8 or s.text.count("“") + s.text.count('"') > 2:
                continue  # fragments and quote-heavy sentences make poor summaries
            if any(similarity(s, self.sentences[c]) >= 0.2 for c in chosen):
                continue
            chosen.append(i)
            if len(chosen) >= count:
                break
        return [self.sentences[i] for i in chosen]
