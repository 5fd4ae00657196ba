"""The cleaner's shortcuts give exactly what the plain computations they stand for give.

Each shortcut (literals before patterns, words found once per line, skipped whitespace work,
language scores from distinct words) is checked against the straightforward form, on real
lines from the shared sets and on made-up lines aimed at the edges of the shortcut.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from bot.news.cleaning import _language, _lines
from bot.news.cleaning._furniture import (
    _ANCHORED,
    _BOILER_ANY,
    _BOILER_PATTERNS,
    _CAPTION_PATTERNS,
    _NEEDLES,
    _boiler_pattern_in,
    _caption_in,
)
from bot.news.cleaning._lines import (
    _INVISIBLE,
    _SAMPLE_CHARS,
    _SPACES,
    LineKind,
    describe_line,
    is_boilerplate,
    is_meta,
    is_prose,
    key_of,
    normalise_line,
    words_of,
)
from tests.paths import DATA, SEEDS

# Lines aimed at each boilerplate pattern, in several cases, and with the letters that
# IGNORECASE folds onto ASCII ones (long s, Kelvin sign, dotted and dotless i).
MADE_UP = [
    "Sponsored by: Acme",
    "ADVERTISEMENT",
    "She can be reached at the desk.",
    "Follow him on Twitter for updates",
    "Sign up for our daily newsletter and get alerts in your inbox",
    "Subscribe to our free updates now and get breaking alerts",
    "Download the Ledger app today",
    "Click here to read more",
    "Stay tuned for more",
    "© 2024 The Harbor Ledger. All rights reserved.",
    "(c) 2019 Someone",
    "Copyright 2020 Example Media",
    "This material may not be published, broadcast, rewritten or redistributed.",
    "Press Enter to search",
    "Type above and press enter",
    "12 comments",
    "Comments (4)",
    "Post a comment",
    "Leave a Reply",
    "Your email address will not be published.",
    "Required fields are marked *",
    "Save my name, email, and website in this browser",
    "Sort by oldest",
    "Log in to comment",
    "Join the conversation",
    "Powered by our comment system",
    "5 min read",
    "Read more: how the bridge was built",
    "More from the newsroom",
    "Back to top",
    "About the Riverbend Report",
    "[caption id=x]",
    "Previous post",
    "Privacy | Terms | Contact",
    "The mayor spoke on Monday (Photo by Jane Doe)",
    "A crowd gathers (AP Photo/John Smith)",
    "Getty Images",
    "ſign up for our newsletter",
    "ſubſcribe to our newsletter",
    "\u212alick here",
    "Ce\u0131l \u0130stanbul: \u017fponsored by: x",
    "Follow us on \u212aik on TWITTER",
    "The council voted on Tuesday to raise the fee, the mayor said.",
    "",
    "*** | ***",
]


def _shared_lines(limit: int = 4000) -> list[str]:
    lines: list[str] = []
    for name in ("basil_stories", "pac_story_pairs", "newswcl50_stories"):
        for record in (DATA / name / "articles.jsonl").read_text(encoding="utf-8").splitlines():
            lines.extend(normalise_line(raw) for raw in json.loads(record)["text"].split("\n"))
    for seed in sorted(SEEDS.glob("*.txt")):
        lines.extend(normalise_line(raw) for raw in seed.read_text(encoding="utf-8").split("\n"))
    return [line for line in lines if line][:limit]


@pytest.fixture(scope="module")
def lines() -> list[str]:
    out = _shared_lines()
    assert len(out) > 1000
    return out + MADE_UP


def test_literals_before_patterns_answer_as_the_combined_pattern(lines: list[str]) -> None:
    hits = 0
    for line in lines:
        for variant in (line, line.upper(), line.lower()):
            expected = bool(_BOILER_ANY.search(variant))
            assert _boiler_pattern_in(variant) is expected, variant
            hits += expected
    assert hits > 50  # the made-up lines do reach the patterns


def test_the_patterns_tested_by_their_openings_are_anchored() -> None:
    """A pattern whose literals must open the line matches only at its start: its first element
    is `^` (a top-level alternation would parse as one branch element instead)."""
    from re import _constants, _parser  # the standard parser: the only sure reading of a pattern

    assert _ANCHORED and len(_NEEDLES) == len(_BOILER_PATTERNS)
    for index in _ANCHORED:
        parsed = _parser.parse(_BOILER_PATTERNS[index].pattern)
        assert parsed[0] == (_constants.AT, _constants.AT_BEGINNING), _BOILER_PATTERNS[index].pattern


def test_caption_words_before_patterns_answer_as_the_patterns(lines: list[str]) -> None:
    captions = [
        "The crowd at the gate. Photo by Jane Doe / The Ledger",
        "REUTERS FILE PHOTO / Jane Doe",
        "Image credit: Jane Doe",
        "Video: Harbor Ledger staff",
        "Fotos by Anna Berg",
        "P\u0130CTURE by Jane Doe",  # dotted capital I: IGNORECASE matches it to i, str.lower() does not
        "V\u0131deo: Harbor",
    ]
    hits = 0
    for line in lines + captions:
        for variant in (line, line.upper(), line.lower()):
            expected = any(p.search(variant) for p in _CAPTION_PATTERNS)
            assert _caption_in(variant) is expected, variant
            hits += expected
    assert hits >= len(captions)  # the made-up captions do reach the patterns


def _classify_plainly(text: str) -> LineKind:
    text = text[:_SAMPLE_CHARS]
    if is_meta(text):
        return LineKind.META
    if is_boilerplate(text):
        return LineKind.BOILER
    return LineKind.PROSE if is_prose(text) else LineKind.SHORT


def test_a_line_described_once_is_classified_as_by_each_test(lines: list[str]) -> None:
    extra = [
        "- By Jane Doe",
        "• Share on Facebook",
        "1. The council voted on Tuesday to raise the fee, the mayor said.",
        "* _Updated: March 3, 2024_ *",
        "| Published 3 March 2024 |",
        "word " * 900 + "end.",  # longer than the sample: judged by its start
        "- " + "The council met again on Tuesday. " * 120,
    ]
    kinds = Counter()
    for line in lines + extra:
        kind, words = describe_line(line)
        assert kind is _classify_plainly(line), line[:80]
        assert words == words_of(line)
        kinds[kind] += 1
    assert len(kinds) == 4  # every kind was seen


def test_normalising_skips_only_work_that_changes_nothing(lines: list[str]) -> None:
    def plainly(line: str) -> str:
        return _SPACES.sub(" ", line.translate(_INVISIBLE).replace("\xa0", " ")).strip()

    raw = [
        "  two  spaces ",
        "tab\there",
        "nbsp\xa0here",
        "zero\u200bwidth\u00adsoft",
        "ideographic\u3000space",
        "vertical\x0btab and form\x0cfeed",
        "line\u2028separator",
        "\ufeffbom",
        "plain ascii line",
        "curly “quotes” only",
    ]
    for line in raw + lines:
        assert normalise_line(line) == plainly(line), repr(line)


@pytest.mark.parametrize(
    "words",
    [["ΟΔΟΣ", "ΣΟΦΟΣ"], ["Σ", "ΑΣ"], ["İstanbul", "KELVIN", "\u212a"], ["Straße", "don't", "U.S."], []],
)
def test_a_key_lowercased_whole_is_the_key_lowercased_word_by_word(words: list[str]) -> None:
    assert key_of(words) == " ".join(w.lower() for w in words)


def _language_plainly(text: str) -> str | None:
    """detect_language written the straightforward way (six script scans, scores per list)."""
    sample = text[: _language._SAMPLE_CHARS]
    n_letters = sum(len(t) for t in _language._TOKEN.findall(sample))
    if n_letters < 8:
        return None
    for lang, pattern in _language._SCRIPTS:
        if len(pattern.findall(sample)) / n_letters >= 0.3:
            if lang == "zh" and _language._SCRIPTS[0][1].findall(sample):
                return "ja"
            return lang
    tokens = [t.lower() for t in _language._TOKEN.findall(sample)]
    if len(tokens) < _language._MIN_TOKENS:
        return None
    counts = Counter(tokens)
    scores = {
        lang: sum(counts[w] for w in words) / len(tokens) for lang, words in _language._STOPWORDS.items()
    }
    for lang, letters in _language._LETTER_HINTS:
        if lang in scores and letters.search(sample):
            scores[lang] += 0.05
    if _language._CYRILLIC.search(sample):
        scores = {k: v for k, v in scores.items() if k in ("ru", "uk")}
        if _language._UKRAINIAN_LETTERS.search(sample):
            scores["uk"] += 0.1
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= _language._MIN_SHARE else None


def test_language_scores_from_distinct_words_pick_the_same_language(lines: list[str]) -> None:
    samples = [
        "Der Bürgermeister sagte, dass die Brücke nicht vor dem Sommer geöffnet wird.",
        "Le maire a dit que le pont ne sera pas ouvert avant l'été, selon la mairie.",
        "El alcalde dijo que el puente no se abrirá antes del verano, según la ciudad.",
        "Il sindaco ha detto che il ponte non sarà aperto prima dell'estate.",
        "De burgemeester zei dat de brug niet voor de zomer open gaat.",
        "O prefeito disse que a ponte não será aberta antes do verão.",
        "Мэр заявил, что мост не откроют до лета, и это уже решено.",
        "Мер заявив, що міст не відкриють до літа, і це вже вирішено.",
        "Burmistrz powiedział, że most nie zostanie otwarty przed latem.",
        "Borgmästaren sa att bron inte öppnas före sommaren och det är klart.",
        "東京の市長は橋が夏まで開かないと述べた。",
        "市长说这座桥在夏天之前不会开放。",
        "Ο δήμαρχος είπε ότι η γέφυρα δεν θα ανοίξει πριν από το καλοκαίρι.",
        "short",
        "the the the the and of",
        "x y z w",
    ]
    texts = samples + ["\n".join(lines[i : i + 30]) for i in range(0, len(lines), 30)]
    found = Counter()
    for text in texts:
        expected = _language_plainly(text)
        assert _language.detect_language(text) == expected, text[:80]
        found[expected] += 1
    assert len(found) >= 10  # many languages, and None, were told apart


def test_the_stopword_share_counts_as_before() -> None:
    tokens = ["The", "council", "AND", "der", "Brücke", "и", "мост"]
    plain = sum(1 for t in tokens if t.lower() in _language._ALL_STOPWORDS) / len(tokens)
    assert _language.any_stopword_ratio(tokens) == plain
    assert _language.any_stopword_ratio([]) == 0.0
    assert re.fullmatch(r"[a-z]+", _lines.key_of(["Only", "ASCII"]).replace(" ", ""))


def test_lowering_a_word_character_gives_one_of_the_same_class() -> None:
    # What counting the language from line keys relies on (`_language._count_keys`): a letter
    # lowers to one letter (the dotted capital I aside, which the count leaves to the pattern),
    # and no word character lowers to a space or a joiner.
    letters = _language._TOKEN
    for code in range(0x110000):
        char = chr(code)
        if not re.fullmatch(r"\w", char) or char in "_\u0130":
            continue
        low = char.lower()
        assert len(low) == 1, hex(code)
        assert bool(letters.fullmatch(low)) == bool(letters.fullmatch(char)), hex(code)
        assert not low.isspace() and low not in "'’.-", hex(code)


def test_language_from_line_keys_is_the_language_from_the_text(lines: list[str]) -> None:
    made_up = [
        ["ΑΣ'Β ΤΟΥΣ λόγους και οι άλλοι είπαν ότι η γέφυρα", "ΟΔΟΣ"],
        ["İstanbul'da bir şey oldu ve the mayor said it"],
        ["covid-19 in 2024 the ½ and x² or U.S. don’t 3rd 1st a1 b2c"],
        ["Der Bürgermeister sagte, dass die Brücke nicht vor dem Sommer geöffnet wird."],
        ["Мэр заявил, что мост не откроют до лета, и это уже решено."],
        ["東京の市長は橋が夏まで開かないと述べた。"],
        ["12 34", "", "x"],
        ["The council met. " * 1300],  # longer than the sample: counted from the text
    ]
    texts = made_up + [lines[i : i + 25] for i in range(0, len(lines), 25)]
    found = Counter()
    for text_lines in texts:
        body = "\n\n".join(text_lines)
        keys = [_lines.line_key(line) for line in text_lines]
        expected = _language_plainly(body)
        assert _language.detect_language(body, keys) == expected, body[:80]
        found[expected] += 1
    assert len(found) >= 4  # several languages, and None


def test_a_described_line_carries_its_key_and_sentence_end(lines: list[str]) -> None:
    extra = ["- By Jane Doe", "• Share", "word " * 900 + "end.", "Hello.\n", "x.)", ")", "a?”»", "*", "end:*"]
    ends = 0
    for line in lines + extra:
        kind, words, key = _lines.describe_line_keyed(line)
        assert (kind, words) == describe_line(line)
        assert key == _lines.line_key(line), line[:80]
        expected = bool(_lines._TERMINAL.search(line))
        assert _lines._ends_a_sentence(line) is expected, line[:80]
        ends += expected
    assert ends > 100
