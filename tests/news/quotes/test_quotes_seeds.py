"""Quotes on the five seed pages (one story, five outlets): speakers, texts, groups across outlets.

The expectations come from reading the pages; only short identifying fragments are written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.news.cleaning import extract_article
from bot.news.models import Quote, QuoteGroup
from bot.news.quotes import QuoteSource, extract_quotes, group_quotes

SEEDS = {
    "washtimes": "000_70d434902628a46d.txt",
    "wsj": "001_94964bd32c6f4ae5.txt",
    "nyt": "002_f15fed82b23fc674.txt",
    "reuters": "003_d2aacb7d845186f1.txt",
    "blog": "004_cbfccc0950cc24d7.txt",
}


@dataclass
class Seed:
    text: str
    quotes: list[Quote]


@pytest.fixture(scope="module")
def seeds(shared_dir: Path) -> dict[str, Seed]:
    out = {}
    for name, file in SEEDS.items():
        article = extract_article((shared_dir / "seeds" / file).read_text(encoding="utf-8"), "text")
        out[name] = Seed(article.text, extract_quotes(article.text))
    return out


@pytest.fixture(scope="module")
def groups(seeds: dict[str, Seed]) -> list[QuoteGroup]:
    sources = [QuoteSource(name, name, s.text, s.quotes) for name, s in seeds.items()]
    return group_quotes(sources)


def quote(seed: Seed, fragment: str) -> Quote:
    found = [q for q in seed.quotes if fragment in q.text]
    assert found, f"no quote containing {fragment!r}"
    return found[0]


def group(groups: list[QuoteGroup], fragment: str) -> QuoteGroup:
    found = [g for g in groups if any(fragment in o.text for o in g.occurrences)]
    assert len(found) == 1, f"{len(found)} groups contain {fragment!r}"
    return found[0]


@pytest.mark.parametrize(
    ("seed", "fragment", "speaker", "cue"),
    [
        ("washtimes", "Chasing this illusory goal", "Pete Hegseth", "said"),
        ("washtimes", "The Russian president supported one of", "Dmitry Peskov", "told reporters"),
        ("washtimes", "The Russian president invited", "Dmitry Peskov", None),  # the quote's second part
        ("washtimes", "hold an in-person meeting", "Dmitry Peskov", "according to"),
        (
            "washtimes",
            "No one wants peace more than Ukraine",
            "Volodymyr Zelenskyy",
            "wrote in an online post",
        ),
        (
            "washtimes",
            "meaningful",
            "Volodymyr Zelenskyy",
            "calling",
        ),  # "The Ukrainian president …, calling it"
        ("washtimes", "We have to make sure that he has no other option", "Mark Rutte", "said"),
        (
            "washtimes",
            "Safeguarding European security",
            "Pete Hegseth",
            "said",
        ),  # "he said" after "Mr. Hegseth said"
        ("washtimes", "stark strategic realities", "Pete Hegseth", "said"),
        (
            "washtimes",
            "President Trump has been clear",
            "Pete Hegseth",
            "said",
        ),  # "he", subject of the paragraph before
        ("washtimes", "work together very closely", "Trump", "said"),  # not "he and Mr. Putin agreed"
        ("wsj", "Ukraine more than anyone wants peace", "Volodymyr Zelensky", "said in a statement"),
        ("wsj", "I believe this effort will lead", "Trump", "wrote on Truth Social"),
        ("wsj", "could be a dumb concession", "Daniel Fried", "said"),
        ("wsj", "complete capitulation", "Alexander Vindman", "called"),
        (
            "wsj",
            "The United States does not believe that NATO membership",
            "Pete Hegseth",
            None,
        ),  # "He … table:"
        ("nyt", "We would appreciate any efforts", "Farhan Haq", "said"),
        ("nyt", "the time has come for our countries", "Dmitri S. Peskov", "said"),
        ("nyt", "He can’t be thrilled", "Trump", "told reporters"),
        ("nyt", "have our respective teams start negotiations", "Trump", "said"),  # "The U.S. president said"
        ("reuters", "Pursuing this illusory goal", "Pete Hegseth", None),  # a paragraph of its own
        ("reuters", "If Ukraine is not in NATO", "Volodymyr Zelensky", "said in an interview"),
        ("reuters", "And for all this we need weapons and money", "Volodymyr Zelensky", "said"),
        ("blog", "Chasing this illusionary goal", "Pete Hegseth", "said"),
        ("blog", "just give it up", "Kamala Harris", None),
        ("blog", "It's an interesting question", "Donald Trump", "said"),  # "he said"
        ("blog", "I'm backing Ukraine", "Donald Trump", None),
    ],
)
def test_seed_quote_speakers(
    seeds: dict[str, Seed], seed: str, fragment: str, speaker: str, cue: str | None
) -> None:
    q = quote(seeds[seed], fragment)
    assert q.speaker is not None and speaker.split()[-1] in q.speaker
    assert q.speaker == speaker or speaker.split()[-1] == q.speaker
    if cue is not None:
        assert q.cue == cue
    assert seeds[seed].text[q.start : q.end].startswith(q.text[:20])


def test_anonymous_official_stays_unknown(seeds: dict[str, Seed]) -> None:
    assert quote(seeds["washtimes"], "we should have a seat at the table").speaker is None
    assert quote(seeds["washtimes"], "And we have not been consulted").speaker is None


def test_one_name_per_person_within_each_article(seeds: dict[str, Seed]) -> None:
    hegseth = {q.speaker for s in seeds.values() for q in s.quotes if q.speaker and "Heg" in q.speaker}
    assert hegseth == {"Pete Hegseth"}
    for seed in seeds.values():
        zelensky = {q.speaker for q in seed.quotes if q.speaker and "elensk" in q.speaker}
        assert len(zelensky) <= 1


def test_illusory_goal_is_one_statement_in_three_wordings(groups: list[QuoteGroup]) -> None:
    g = group(groups, "illusory goal will only prolong")
    assert g.speaker == "Pete Hegseth"
    assert set(g.outlets) == {"washtimes", "reuters", "blog"}
    assert g.wording_differs
    diffs = {o.outlet: [d for d in o.diff if d[0] != "="] for o in g.occurrences}
    changed = {word for d in diffs.values() for _, word in d}
    assert {"Chasing", "Pursuing"} <= changed or {"illusory", "illusionary"} <= changed
    assert sum(1 for d in diffs.values() if not d) == 1  # the group's own wording has no diff


def test_fragments_join_the_longer_quote(groups: list[QuoteGroup]) -> None:
    g = group(groups, "an unrealistic objective")
    assert g.speaker == "Pete Hegseth"
    assert {"washtimes", "wsj", "blog"} <= set(g.outlets)
    peskov = group(groups, "the time has come for our countries")
    assert set(peskov.outlets) == {"washtimes", "nyt"}  # the fragment and the full quote
    assert "two countries" in peskov.text


def test_a_fragment_is_shown_as_the_part_it_quotes_not_as_a_rewording(groups: list[QuoteGroup]) -> None:
    # The Washington Times quotes "lengthy and highly productive" of the "… phone call" others carry:
    # its occurrence lines up with those words, it did not drop "phone call" from a quote.
    g = group(groups, "lengthy and highly productive phone call")
    assert g.speaker == "Donald Trump"
    fragment = next(o for o in g.occurrences if o.outlet == "washtimes")
    assert fragment.text.strip('“”" .,') == "lengthy and highly productive"
    assert [op for op, _ in fragment.diff] == ["="]


def test_translations_are_linked_not_merged(groups: list[QuoteGroup]) -> None:
    original = group(groups, "No one wants peace more than Ukraine")
    other = group(groups, "Ukraine more than anyone wants peace")
    assert original is not other
    assert original.speaker == other.speaker == "Volodymyr Zelensky"
    linked = {original.translation_of, other.translation_of} - {None}
    assert linked == {groups.index(original)} or linked == {groups.index(other)}


def test_unrelated_quotes_of_one_speaker_are_not_translations(groups: list[QuoteGroup]) -> None:
    hegseth = [g for g in groups if g.speaker == "Pete Hegseth"]
    assert len(hegseth) >= 5
    assert all(g.translation_of is None for g in hegseth)


def test_story_wide_speakers_and_order(groups: list[QuoteGroup]) -> None:
    speakers = {g.speaker for g in groups if g.speaker}
    assert "Volodymyr Zelensky" in speakers and "Volodymyr Zelenskyy" not in speakers
    assert "Donald Trump" in speakers and "Trump" not in speakers
    counts = [len(g.outlets) for g in groups]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] >= 3


def test_speaker_filter_is_fuzzy(seeds: dict[str, Seed]) -> None:
    sources = [QuoteSource(name, name, s.text, s.quotes) for name, s in seeds.items()]
    for query in ("Zelenskyy", "selensky", "Volodymyr Zelensky"):
        found = group_quotes(sources, speaker=query)
        assert found and {g.speaker for g in found} == {"Volodymyr Zelensky"}
        links = [g.translation_of for g in found if g.translation_of is not None]
        assert all(0 <= n < len(found) for n in links)
    assert {g.speaker for g in group_quotes(sources, speaker="Hesgeth")} == {"Pete Hegseth"}
    assert group_quotes(sources, speaker="Nobody Atall") == []


def test_quotes_json_shape(groups: list[QuoteGroup]) -> None:
    data = groups[0].model_dump(mode="json")
    assert {"speaker", "text", "outlets", "occurrences"} <= data.keys()
    assert {"ref", "outlet", "text"} <= data["occurrences"][0].keys()
