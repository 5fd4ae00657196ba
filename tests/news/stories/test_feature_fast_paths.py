"""The feature maker's shortcuts give exactly what the plain computations they stand for give.

The analyser describes each whitespace-free chunk once and reuses it, skips all but the tokens
that decide names, and caps counts by a sort: each is checked against the straightforward form
(one pattern over the whole text, one loop over every token, `Counter.most_common`), on real
articles from the shared sets and on made-up texts aimed at the edges of the shortcut.
"""

from __future__ import annotations

import json
from collections import Counter

from bot.news.settings import ClusteringSettings
from bot.news.stories import _terms
from bot.news.stories._terms import _END, _NOT_ENTITY, _STOP, _TITLE_CASE_TELLS, TextAnalyser, TokenInfo
from bot.news.stories._vectors import capped
from tests.paths import DATA

MADE_UP = [
    "",
    "   \n\n  ",
    "Mr. Smith met Dr. Jones. He said U.S. officials' plans and Jones's view were set.",
    "Gov. Moss and Sen. Ruiz spoke.\nRep. Ito did not. St. Louis waited. A. B. Cole left",
    "The end.\nNext line.\n\nAfter a blank.  Two spaces.\r\nWindows line.",
    '“Quoted.” Then (aside.) and “Why?” he asked… She left! Did she?" No.',
    "rock-'n'-roll and 1,000.5 dollars, 3.2% and 2024. It's Smith’s.",
    "Trailing full stop without a space.",
    "Trump Meets With Kim And Moon\nKim said Trump and Moon met in Seoul. Seoul agreed.",
    "Names: Ängström met Élodie in Zürich. Москва ответила. — – | & …",
    "A line\u2003with em spaces\u00a0and\tTabs. End.\x0bVertical tab. Form\x0cfeed.",
    "x. y. z. i. e. Co. Inc. Ltd. Corp. and so on.",
    "Jones's. Jones’s, Jones's\nJones'",
]


def _collapsed(infos: list[TokenInfo]) -> list[TokenInfo]:
    """Tokens with each run of sentence ends as one (two in a row end one sentence)."""
    out: list[TokenInfo] = []
    for info in infos:
        if not (info[2] == _END and out and out[-1][2] == _END):
            out.append(info if info[2] != _END else ("", None, _END, 0))
    return out


def _articles(limit: int) -> list[tuple[str | None, str]]:
    out: list[tuple[str | None, str]] = []
    for rel in (
        "basil_stories/articles.jsonl",
        "polnear_quotes/dev.jsonl",
        "newswcl50_stories/articles.jsonl",
    ):
        for line in (DATA / rel).read_text(encoding="utf-8").splitlines()[:limit]:
            row = json.loads(line)
            out.append((row.get("title") or None, str(row["text"])))
    return out


def _plain_analysis(analyser: TextAnalyser, title: str | None, text: str) -> tuple[object, ...]:
    """The analysis as one loop over every token of one pattern run over the whole text."""
    terms: Counter[str] = Counter()
    entities: Counter[str] = Counter()
    headline: Counter[str] = Counter()
    lows: list[str] = []
    lower_seen: set[str] = set()
    initial: list[str] = []
    pending: list[tuple[str, int]] = []
    title_case, first = False, True
    for token in _terms._TOKEN.findall(_terms._POSSESSIVE.sub("", text[: analyser.max_chars])):
        if token[0] in _terms._ENDS:
            if not title_case:
                for low, weight in pending:
                    entities[low] += weight
            pending, title_case, first = [], False, True
            continue
        low, n, upper = token.lower(), len(lows), token[0].isupper()
        lows.append(low)
        if low in _STOP or len(low) < 2:
            title_case = title_case or (upper and not first and low in _TITLE_CASE_TELLS)
            first = False
            continue
        term = low if low[0].isdigit() else _terms.stem(low)
        if n < _terms._HEADLINE_WORDS:
            headline[term] += 1
        terms[term] += 2 if n < _terms._LEAD_WORDS else 1
        if upper and low not in _NOT_ENTITY:
            if first:
                initial.append(low)
            else:
                pending.append((low, 2 if n < _terms._LEAD_WORDS else 1))
        elif not upper and token[0].isalpha():
            lower_seen.add(low)
        first = False
    if not title_case:
        for low, weight in pending:
            entities[low] += weight
    for low in initial:
        if low in entities:
            entities[low] += 1
    for low in lower_seen.intersection(entities):
        del entities[low]
    if _terms.is_meaningful_title(title):
        for word in _terms._WORD.findall(_terms._POSSESSIVE.sub("", title or "")):
            low = word.lower()
            if low not in _STOP and len(low) > 1:
                headline[low if low[0].isdigit() else _terms.stem(low)] += 1
    shingles = analyser._shingles([_terms.zlib.crc32(low.encode()) for low in lows])
    return (
        list(terms.items()),
        list(entities.items()),
        list(headline.items()),
        shingles,
        _terms._fingerprint(lows),
    )


def test_chunked_tokens_are_the_patterns_tokens() -> None:
    analyser = TextAnalyser(6000, 8, 4)
    texts = MADE_UP + [text for _, text in _articles(60)]
    for text in texts + texts:  # the second time round every chunk comes from the cache
        assert _collapsed(analyser._token_infos(text)) == _collapsed(analyser._infos_of(text)), text[:80]


def test_analysis_is_the_plain_loops() -> None:
    s = ClusteringSettings()
    analyser = TextAnalyser(s.max_chars, s.shingle_words, s.shingle_sampling)
    docs = [("Trump Meets With Kim", text) for text in MADE_UP] + _articles(120)
    found_names = 0
    for title, text in docs:
        a = analyser.analyse(title, text)
        got = (
            list(a.terms.items()),
            list(a.entities.items()),
            list(a.headline.items()),
            a.shingles,
            a.fingerprint,
        )
        assert got == _plain_analysis(analyser, title, text), text[:80]
        found_names += len(a.entities) > 0
    assert found_names > len(docs) // 2  # names were found: there was something to get wrong


def test_capped_keeps_what_most_common_keeps() -> None:
    analyser = TextAnalyser(6000, 8, 4)
    for title, text in _articles(40):
        a = analyser.analyse(title, text)
        for counts in (a.terms, a.entities, a.headline):
            for limit in (2, 5, 30, 100, 1000):
                assert list(capped(counts, limit).items()) == counts.most_common(limit)


def _rolling_shingles(word_hashes: list[int], size: int, modulus: int) -> list[int]:
    """The sampled shingles the plain way: the rolling hash updated word by word."""
    if len(word_hashes) < size:
        return []
    mask, base = 0xFFFFFFFF, _terms._BASE
    top = pow(base, size - 1, 1 << 32)
    h = 0
    for wh in word_hashes[:size]:
        h = (h * base + wh) & mask
    out = {h} if h % modulus == 0 else set()
    for old, new in zip(word_hashes, word_hashes[size:], strict=False):
        h = ((h - old * top) * base + new) & mask
        if h % modulus == 0:
            out.add(h)
    return sorted(out)


def test_window_hashes_from_one_product_are_the_rolling_hashes() -> None:
    analyser = TextAnalyser(6000, 8, 4)
    lists = [
        [info[3] for info in analyser._token_infos(text) if info[2] != _END] for _, text in _articles(30)
    ]
    lists += [[], [7], [0xFFFFFFFF] * 40, [0] * 9, list(range(1, 30)), [0xFFFFFFFF, 0, 1] * 20]
    kept = 0
    for size in (4, 5, 8, 12):
        for modulus in (1, 2, 3, 4, 7, 8, 256):
            shingler = TextAnalyser(6000, size, modulus)
            for hashes in lists:
                got = shingler._shingles(hashes)
                assert got == _rolling_shingles(hashes, size, modulus), (size, modulus, hashes[:5])
                kept += len(got)
    assert kept > 1000  # windows were kept: there was something to get wrong
