"""Story filters: entries parsed as users type them, words matched at word starts, outlets by name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.news import BadArgument, StoredArticle, Story, parse_filter
from bot.news.filters import MAX_FILTER_ENTRIES

NOW = datetime(2026, 1, 5, tzinfo=UTC)


def article(n: int, outlet: str, title: str, text: str) -> StoredArticle:
    return StoredArticle(
        id=n, ref=f"r{n}", content_hash=str(n), ingested_at=NOW, outlet=outlet, title=title, text=text
    )


STORY = Story(id=1, headline="Transport strike ends", first_seen=NOW, last_updated=NOW)
ARTS = [
    article(
        1, "Harbor Ledger", "Strike ends", "The transport union voted. " + "x " * 300 + "Sports fans cheered."
    ),
    article(2, "Bay 9 News", "Ferries run again", "NATO and Ukraine were not mentioned by anyone."),
]


def test_parse_entries_and_outlets() -> None:
    f = parse_filter('ukraine, "nato", outlet:Bay 9 ,, Ukraine', "sport, source: Wire")
    assert (f.include, f.include_outlets, f.exclude, f.exclude_outlets) == (
        ["ukraine", "nato"], ["Bay 9"], ["sport"], ["Wire"],
    )  # fmt: skip
    assert f.describe() == "include ukraine, nato, outlet:Bay 9 · exclude sport, outlet:Wire"
    assert parse_filter(None, "").empty
    with pytest.raises(BadArgument):
        parse_filter(", ".join(f"w{i}" for i in range(MAX_FILTER_ENTRIES + 1)), None)


def test_words_match_at_word_starts_and_exclude_reads_the_lede() -> None:
    assert parse_filter("transport", None).admits(STORY, ARTS)
    assert not parse_filter("port", None).admits(STORY, ARTS)  # "transport" is not "port"
    assert parse_filter("ukrain", None).admits(STORY, ARTS)  # a word start: "Ukraine"
    assert not parse_filter(None, "strike").admits(STORY, ARTS)  # in the headline
    # "Sports" sits deep in an article's text, not in its opening: a passing mention keeps the story.
    assert parse_filter(None, "sport").admits(STORY, ARTS)


def test_outlets_include_and_exclude() -> None:
    assert parse_filter("outlet:bay 9", None).admits(STORY, ARTS)
    assert not parse_filter("outlet:Northshore", None).admits(STORY, ARTS)
    kept = parse_filter(None, "outlet:Harbor").apply(STORY, ARTS)
    assert kept is not None and [a.id for a in kept] == [2]
    assert parse_filter(None, "outlet:Harbor, outlet:Bay").apply(STORY, ARTS) is None
    # An excluded outlet's words do not count for an include either.
    assert not parse_filter("NATO", "outlet:Bay 9").admits(STORY, ARTS)
