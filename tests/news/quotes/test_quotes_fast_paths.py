"""Quote extraction's shortcuts answer as the plain computations they stand for.

Who a name finds in the article's cast, kept between additions (per first letter of the surname
key), is who a fresh lookup finds, and the reader reads the same quotes either way; a
passage too long to be a title is no title however its words are written.
"""

from __future__ import annotations

import json

import pytest

from bot.news.quotes import extract_quotes
from bot.news.quotes._cast import Cast, Person, name_runs
from bot.news.quotes._speech import _LONGER_THAN_TITLES, _WORD, is_speech, is_titled
from bot.news.text import find_quote_spans, mask_quotes, read_phrase, tokenize
from tests.paths import DATA


@pytest.fixture(scope="module")
def texts() -> list[str]:
    out: list[str] = []
    for name in ("basil_stories", "newswcl50_stories", "polnear_quotes"):
        path = DATA / name / ("articles.jsonl" if name != "polnear_quotes" else "dev.jsonl")
        out += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()[:25]]
    return out


def _fresh(cast: Cast, name: str) -> Person | None:
    """`Cast.find` worked out from the people as they are now, nothing kept."""
    found = cast._candidates(name)
    if not found:
        return None
    return max(found, key=lambda p: (sum(p.forms.values()), p.evidence, -p.first))


def test_a_name_finds_who_a_fresh_lookup_finds_after_every_addition(texts: list[str]) -> None:
    checked = kept = 0
    for text in texts:
        pieces = [p for q in find_quote_spans(text) for p in q.pieces]
        tokens = tokenize(mask_quotes(text, pieces, keep_ends=False))
        cast, names = Cast(), []
        for i, j in name_runs(tokens):
            phrase = read_phrase(tokens[i:j])
            if phrase is None or phrase.kind != "person" or not phrase.name:
                continue
            cast.add(phrase, tokens[i].start, speaking=len(names) % 3 == 0)
            names.append(phrase.name)
            surname = phrase.name.split()[-1]
            # Names looked up without being added (as the reader does): a surname alone, a given
            # name no one has, which a person stops agreeing with once their given name is seen.
            for name in [*names[-12:], surname, f"Zebulon {surname}", "Someone Else"]:
                letter = cast._name_info(name)[0][:1]
                kept += name in cast._found and cast._found[name][0] == cast._versions.get(letter, 0)
                assert cast.find(name) is _fresh(cast, name)
                checked += 1
    assert checked > 5000 and kept > 1000  # answers were kept, and were right to be


def test_quotes_read_with_fresh_lookups_are_the_quotes_read(
    texts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole reader, every `find` answered afresh (nothing kept): the same quotes and speakers."""
    kept = [extract_quotes(text) for text in texts]
    monkeypatch.setattr(Cast, "_find", lambda cast, name, key: _fresh(cast, name))
    assert [extract_quotes(text) for text in texts] == kept
    assert sum(1 for quotes in kept for q in quotes if q.speaker) > 200


def test_a_passage_longer_than_a_title_and_subtitle_is_no_title(texts: list[str]) -> None:
    passages = [text[q.start : q.end] for text in texts for q in find_quote_spans(text)]
    title_case = " ".join(["Word"] * 30)
    passages += [title_case, "Backfire: " + title_case, title_case.replace(" ", ": ", 1)]
    long = [p for p in passages if len(_WORD.findall(p)) > 20]
    assert len(long) > 50
    assert not any(is_titled(p) for p in long)
    # At the bound: eight words of title and twelve of subtitle still read as a title.
    title = "Eight Words Of A Title We Made Up: " + " ".join(["Twelve"] * 12)
    assert len(_WORD.findall(title)) == 20 and is_titled(title)
    assert not is_speech(title, "He read “", "” twice.", attributed=False)  # a title nobody said
    assert is_speech(title.lower(), "He read “", "” twice.", attributed=False)


def test_a_passage_is_longer_than_a_title_exactly_when_it_has_more_words(texts: list[str]) -> None:
    passages = [text[q.start : q.end] for text in texts for q in find_quote_spans(text)]
    words = ["Word", "x_y", "rock’n’roll", "3.5", "Zoë", "-", "—", "“a”"]
    passages += [" ".join(words[i % len(words)] for i in range(n)) for n in range(15, 26)]
    passages += ["a" * 50, "", "—" * 30, " ".join(["ab"] * 21) + ".", "_" * 21]
    long = 0
    for passage in passages:
        more = _LONGER_THAN_TITLES.match(passage) is not None
        assert more == (len(_WORD.findall(passage)) > 20), passage
        long += more
    assert long > 50
