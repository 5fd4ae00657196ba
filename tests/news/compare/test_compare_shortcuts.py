"""The shortcuts that make `compare` fast give what the plain definitions give (issue 12).

Each shortcut (a quick test before a slow pattern, grouped alternations, pruned pair gathering) is
checked against the plain version it replaced, written out here, on real sentences: the seeds and
the compare_dev articles from ../shared. Speed itself is measured by bench/compare_identity.py.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from itertools import islice

import pytest

from bot.news.compare._clauses import CLAUSE_POINT, _split, _vectors, link_clauses
from bot.news.compare._numbers import (
    _MAYBE,
    _PATTERNS,
    QUALIFIERS,
    NumberMention,
    _alternation,
    _read,
    find_numbers,
)
from bot.news.compare._points import RELATED, StoryPoints, article_sentences
from bot.news.compare._readings import _any_number, normalize
from tests.paths import DATA, SEEDS

_ARTICLES = 120  # compare_dev articles read: enough sentences with every kind of figure, in a second


def _texts() -> Iterator[str]:
    for path in sorted(SEEDS.glob("*.txt")):
        yield path.read_text(encoding="utf-8")
    with (DATA / "ecbplus_dev" / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in islice(fh, _ARTICLES):
            yield json.loads(line)["text"]


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    return [s for text in _texts() for s in article_sentences(text, min_words=3)]


def _plain_normalize(sentence: str) -> str:
    """normalize() as five passes over every sentence, as it was first written."""
    s = re.sub(r"(?<=\d),\s(?=\d{3}\b)", ",", sentence)
    s = re.sub(r"(?<=\d):\s(?=\d\d\b)", ":", s)
    s = re.sub(r"\b([ap])\.\s?m\.", r"\1.m.", s, flags=re.IGNORECASE)
    s = re.sub(r"(?<=\w)\s-\s(?=\w)", "-", s)
    return re.sub(r"(?<![\w.])\.\s(?=\d)", ".", s)


_PLAIN_ANY_NUMBER = re.compile(
    r"\d|\b(?:no|zero|none|nobody|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen|half|third|quarter|fifth|tenth|hours?|"
    r"another|noon|midnight|dozens|scores|hundreds|thousands)\b|[$€£%]",
    re.IGNORECASE,
)


def test_normalize_and_the_number_test_are_the_plain_ones(sentences: list[str]) -> None:
    tricky = ["at 3: 30 p. m. on 1, 500 acres", "a 16 - year - old, . 5 miles", "No one. Fifteen. canteen"]
    mended = 0
    for s in [*sentences, *tricky]:
        assert normalize(s) == _plain_normalize(s), s
        mended += normalize(s) != s
        clean = normalize(s)
        assert _any_number(clean) == bool(_PLAIN_ANY_NUMBER.search(clean)), clean
    assert mended >= 3  # the sentences exercise the mends, not only the quick way past them


def test_grouped_alternation_matches_as_the_plain_one(sentences: list[str]) -> None:
    words = sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True)
    grouped = re.compile(rf"\b(?:{_alternation(words)})\s+\d+", re.IGNORECASE)
    plain = re.compile(rf"\b(?:{'|'.join(words)})\s+\d+", re.IGNORECASE)
    found = 0
    for s in [*sentences, "More than 40, nearly 90, no more than 12 and up to 7"]:
        assert [m.group(0) for m in grouped.finditer(s)] == [m.group(0) for m in plain.finditer(s)]
        found += len(plain.findall(s))
    assert found >= 10


def _plain_find_numbers(sentence: str) -> list[NumberMention]:
    """find_numbers() with every pattern tried at every position of a sentence that may hold a
    number (its first test, older than the shortcuts): no quick tests per pattern, no lookaheads."""
    found: list[NumberMention] = []
    if not _MAYBE.search(sentence):
        return found
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        plain = re.compile(re.sub(r"^\(\?=\[[^\]]*\]\)", "", pattern.pattern), pattern.flags)
        assert plain.pattern != pattern.pattern  # the lookahead was there, and is gone
        for m in plain.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            mention = _read(kind, sentence, m)
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda n: n.start)


def test_figures_are_the_plain_patterns_figures(sentences: list[str]) -> None:
    read = 0
    for s in sentences:
        clean = normalize(s)
        assert find_numbers(clean) == _plain_find_numbers(clean), clean
        read += len(find_numbers(clean))
    assert read >= 50


def _clause_vectors(points: StoryPoints) -> tuple[list[tuple[int, int]], list[dict[str, float]]]:
    """Each clause's (sentence, clause) and unit vector, as link_clauses reads them."""
    owners, vectors, _ = _vectors(_split(points.sentences, None))
    return owners, vectors


@pytest.fixture(scope="module")
def seed_points() -> StoryPoints:
    split = [article_sentences(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    return StoryPoints(split)


def test_sentence_neighbours_are_every_related_pair(seed_points: StoryPoints) -> None:
    sents = seed_points.sentences
    pairs = 0
    for i, a in enumerate(sents):
        found = dict(seed_points.neighbours[i])
        for j, b in enumerate(sents):
            if a.article == b.article:
                assert j not in found
                continue
            dot = math.fsum(w * b.vector.get(t, 0.0) for t, w in a.vector.items())
            if abs(dot - RELATED) > 1e-9:
                assert (j in found) == (dot >= RELATED), (i, j, dot)
            if j in found:
                assert found[j] == pytest.approx(dot, abs=1e-12)
                pairs += 1
    assert pairs >= 20


def test_clause_links_are_every_close_pair(seed_points: StoryPoints) -> None:
    links = link_clauses(seed_points.sentences, seed_points.groups)
    owners, vectors = _clause_vectors(seed_points)
    figures = [{t for t in v if t[0].isdigit()} for v in vectors]
    counts = links.clauses
    expected: set[tuple[int, int]] = set()
    for c, (x, _) in enumerate(owners):
        for d, (y, _) in enumerate(owners):
            ax, ay = seed_points.sentences[x].article, seed_points.sentences[y].article
            if ax == ay or (counts[x] == 1 and counts[y] == 1):
                continue  # one outlet's, or two one-clause sentences (compared whole)
            if figures[c] and figures[d] and not figures[c] & figures[d]:
                continue
            dot = math.fsum(w * vectors[d].get(t, 0.0) for t, w in vectors[c].items())
            assert abs(dot - CLAUSE_POINT) > 1e-9  # no pair on the edge: the test would be moot
            if dot >= CLAUSE_POINT:
                expected.add((x, y))
    found = {(x, y) for x, near in links.best.items() for y in near}
    assert found == expected
    assert len(expected) >= 10
