"""The text tools' shortcuts give exactly what the plain computations they stand for give.

Paragraph marks placed while tokenizing, quotes masked by slices, possessives without a regex,
and the cached phrase reader and name keys: each checked against the straightforward form on
the shared articles and on made-up edge cases.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import unicodedata

import pytest

from bot.news.text import (
    Token,
    _marks,
    _name_keys,
    _names,
    _sentences,
    find_quote_spans,
    is_initial,
    is_name_word,
    mask_quotes,
    read_phrase,
    tokenize,
)
from tests.paths import DATA, SEEDS


@pytest.fixture(scope="module")
def texts() -> list[str]:
    out = [seed.read_text(encoding="utf-8") for seed in sorted(SEEDS.glob("*.txt"))]
    for name in ("basil_stories", "newswcl50_stories"):
        for record in (DATA / name / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:120]:
            out.append(json.loads(record)["text"])
    out += [
        "One line.\nTwo lines.\n\n\nFour, after blanks.\n",
        "\n\nLeading newlines, Sanders’ campaign and the Joneses'\nnext line's words.",
        "No newline at all: U.S. officials said so. Dr. Smith agreed.",
        "Trailing newline only\n",
        "",
    ]
    return out


def _marked_plainly(text: str, tokens: list[Token]) -> list[tuple[str, int, int]]:
    """A "¶" between two tokens with a newline between them, looked for token by token."""
    out: list[tuple[str, int, int]] = []
    prev_end = -1
    for tok in tokens:
        if prev_end >= 0 and text.find("\n", prev_end, tok.start) >= 0:
            out.append(("¶", prev_end, prev_end))
        out.append((tok.text, tok.start, tok.end))
        prev_end = tok.end
    return out


def test_paragraph_marks_fall_where_a_newline_separates_tokens(texts: list[str]) -> None:
    rng = random.Random(16)
    marks = 0
    for text in texts:
        ranges: list[tuple[int, int | None]] = [(0, None)]
        if len(text) > 1:
            ranges += [tuple(sorted(rng.sample(range(len(text) + 1), 2))) for _ in range(3)]  # type: ignore[misc]
        for start, end in ranges:
            tokens = tokenize(text, start, end)
            plain = [t for t in tokens if t.text != "¶"]
            got = [(t.text, t.start, t.end) for t in tokens]
            assert got == _marked_plainly(text, plain)
            marks += sum(1 for t in tokens if t.text == "¶")
    assert marks > 100


def _masked_plainly(text: str, spans: list[tuple[int, int]], keep_ends: bool) -> str:
    chars = list(text)
    for s, e in spans:
        lo, hi = (s + 1, e - 1) if keep_ends else (s, e)
        for i in range(lo, max(lo, hi)):
            if chars[i] != "\n":
                chars[i] = "x" if keep_ends else " "
    return "".join(chars)


def test_masking_by_slices_masks_every_character_the_loop_did(texts: list[str]) -> None:
    rng = random.Random(7)
    for text in texts:
        pieces = [p for q in find_quote_spans(text) for p in q.pieces]
        n = len(text)
        made_up = [tuple(sorted(rng.sample(range(n + 1), 2))) for _ in range(4)] if n > 1 else []
        overlapping = [(0, n // 2), (n // 4, n), (n // 3, n // 3), (2, 1)] if n > 4 else []
        for spans in (pieces, pieces + made_up, made_up + overlapping):
            for keep_ends in (True, False):
                assert mask_quotes(text, spans, keep_ends) == _masked_plainly(text, spans, keep_ends)


@pytest.mark.parametrize(
    "word",
    ["Sanders’", "James'", "Trump's", "Trump’s", "its", "s's", "ab", "a'", "didn't", "Jones’s", "Biden"],
)
def test_possessive_and_bare_read_as_with_the_regex(word: str) -> None:
    tok = Token(word, 0, len(word))
    regex = len(word) > 2 and bool(re.search(r"['’]s?$", word)) and word[-2] != "n"
    assert tok.possessive is regex
    if word.endswith(("'s", "’s")) and len(word) > 2:
        assert tok.bare == word[:-2]
    else:
        assert tok.bare == (word.rstrip("'’") if word[-1] in "'’" and len(word) > 1 else word)
    assert (tok.is_word, tok.is_cap) == (word[0].isalnum(), word[0].isupper())


def test_a_name_word_is_read_as_from_its_bare_form(texts: list[str]) -> None:
    """`is_name_word` lowers the bare word only when a possessive ending may need stripping."""
    tokens = [t for text in texts for t in tokenize(text)]
    tokens += [Token(w, 0, len(w)) for w in ("Trump’s", "The", "Sanders’", "Says", "S.", "Ss", "É", "¶")]
    names = 0
    for tok in tokens:
        plain = (
            tok.is_word and tok.is_cap and (tok.bare.lower() not in _names.NOT_NAMES or is_initial(tok.text))
        )
        assert is_name_word(tok) is plain
        names += plain
    assert names > 1000 and len(tokens) > 50_000


def test_a_phrase_read_from_the_cache_is_the_phrase_read_afresh(texts: list[str]) -> None:
    seen = 0
    for text in texts[:60]:
        tokens = tokenize(text)
        for i in range(0, len(tokens) - 4, 3):
            run = tokens[i : i + 1 + i % 4]
            assert read_phrase(run) == _names._read_phrase(run)
            seen += 1
    phrase = read_phrase(tokenize("Kremlin spokesman Dmitry Peskov"))
    assert phrase is not None and phrase.name == "Dmitry Peskov"
    with pytest.raises(dataclasses.FrozenInstanceError):
        phrase.name = "someone else"  # type: ignore[misc]  # shared by every reader: never changed
    assert seen > 1000


def test_cached_name_functions_answer_as_uncached() -> None:
    names = [
        "Zelenskyy",
        "Zelensky",
        "Selensky",
        "Hegseth",
        "Hesgeth",
        "Dmitri S. Peskov",
        "Martin Luther King Jr.",
    ]
    for name in names:
        assert _name_keys.name_key(name) == _name_keys.name_key.__wrapped__(name)
        assert _names.surname_of(name) == _names.surname_of.__wrapped__(name)
        assert _name_keys.given_name(name) == _name_keys.given_name.__wrapped__(name)
    assert _name_keys.name_key("Zelenskyy") == _name_keys.name_key("Selensky")


def _tokens_by_matches(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """The tokenizer as it was written with match objects: each token's offsets from its match."""
    out: list[tuple[str, int, int]] = []
    covered, prev_end = start, -1
    for m in _names._TOKEN.finditer(text, start, len(text) if end is None else end):
        s, e = m.span()
        if s < covered:
            continue
        if prev_end >= 0 and "\n" in text[prev_end:s]:
            out.append(("¶", prev_end, prev_end))
        word = m.group()
        after = text[e : e + 2]
        if word[-1] == "s" and after[:1] in {"'", "’"} and (len(after) < 2 or not after[1].isalnum()):
            out.append((word + after[0], s, e + 1))
            covered = prev_end = e + 1
            continue
        covered = prev_end = e
        if (
            word[-1] == "."
            and len(word) > 2
            and word.count(".") == 1
            and _names._ends_sentence(word, text, e)
        ):
            out += [(word[:-1], s, e - 1), (".", e - 1, e)]
        else:
            out.append((word, s, e))
    return out


def test_token_offsets_counted_from_whitespace_are_the_matches_offsets(texts: list[str]) -> None:
    rng = random.Random(5)
    edge = [
        "Sanders’\nnext",
        "  \n\nU.S. troops.\n",
        "the Joneses' house",
        "3.5,\n2 a.m.",
        "x\u00a0\u2028y",
        "’s",
        # Runs read without the token pattern: a word and a comma, a full stop, a lone mark.
        "said, yes; (no) Mr. A. year. s’ x",
        "Zoë’s İstanbul ǅemal, É. 3.5, x\x1cy",
        "the Joneses’",
        # Whitespace beyond the space bar (`str.split` and `\s` must agree on every one of them).
        "a\u3000b\x85c\u200bd\x1fe\r\nf\u2029g\u202fh\x0bi\x0cj\u180ek",
    ]
    seen = 0
    for text in texts + edge:
        ranges: list[tuple[int, int | None]] = [(0, None)]
        if len(text) > 1:
            ranges += [tuple(sorted(rng.sample(range(len(text) + 1), 2))) for _ in range(2)]  # type: ignore[misc]
        for start, end in ranges:
            got = [(t.text, t.start, t.end) for t in tokenize(text, start, end)]
            assert got == _tokens_by_matches(text, start, end)
            seen += len(got)
    assert seen > 50_000


def _folded_plainly(word: str) -> str:
    """Accents off by decomposing every character, then lower case (no shortcut for ASCII)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def test_name_keys_skip_only_substitutions_that_could_not_apply(texts: list[str]) -> None:
    words = {w for text in texts for w in re.findall(r"[A-Z][a-zà-ÿ’'-]+", text)}
    words |= {"Zelenskyy", "Khodorkovskiy", "Mickiewicz", "Philipp", "Iij", "Zz", "Saakashvili", "Jackson"}
    # Non-ASCII and non-letter spellings, which take the decomposing path and the letter filter.
    words |= {"Łukasz", "Müller", "Zelenskyy’s", "O'Brien", "Jean-Luc", "ǅukić", "Ångström", "", "42", "Ⅻ"}
    changed = 0
    for word in words:
        assert _name_keys._fold(word) == _folded_plainly(word)
        key = re.sub(r"[^a-z]", "", _folded_plainly(word))
        plain = key
        for pattern, repl, _ in _name_keys._TRANSLIT:
            key = pattern.sub(repl, key)
        assert _name_keys.name_key.__wrapped__(word) == key
        changed += key != plain
    assert len(words) > 1000 and changed > 100


@pytest.mark.parametrize(
    ("fast", "plain"),
    [
        (_marks._DOUBLE, r"''|[\"“”„«»]"),
        (_sentences._BOUNDARY, r"[.!?…]+[”’\"')\]]*(?=\s+[“‘\"'(\[]?[A-Z0-9])"),
    ],
)
def test_patterns_opening_with_a_class_match_as_written_plainly(
    texts: list[str], fast: re.Pattern[str], plain: str
) -> None:
    """The double-mark and boundary patterns, rewritten to open with a character class, find the
    same spans as the patterns they stand for, on articles and on runs of marks."""
    pattern = re.compile(plain)
    edge = ["'''", "a''b''", "x '' y ' z \"w\"", "“”„«»''", "Wait... What?! “No.” Yes.) A", "End…” Then"]
    found = 0
    for text in texts + edge:
        spans = [m.span() for m in fast.finditer(text)]
        assert spans == [m.span() for m in pattern.finditer(text)]
        found += len(spans)
        if text:
            at = len(text) // 2
            plain_match, fast_match = pattern.match(text, at), fast.match(text, at)
            assert (plain_match and plain_match.span()) == (fast_match and fast_match.span())
    assert found > 1000


def test_a_token_is_capitalised_as_its_first_character_says() -> None:
    # `is_cap` reads ASCII by code point and asks `str.isupper` for the rest.
    chars = [chr(c) for c in range(0x3000)] + ["ǅ", "ß", "Σ", "ℌ", "𝐀"]
    checked = 0
    for ch in chars:
        if ch.isspace():
            continue
        assert Token(ch + "x", 0, 2).is_cap == ch.isupper(), repr(ch)
        checked += 1
    assert checked > 10_000
