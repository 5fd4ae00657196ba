"""Quotes grouped by their words whoever they are credited to, one name per person (issue 12)."""

from __future__ import annotations

from bot.news.quotes import QuoteSource, extract_quotes, group_quotes
from bot.news.quotes._speakers import SpeakerIndex, person_part


def source(ref: str, outlet: str, text: str) -> QuoteSource:
    return QuoteSource(ref, outlet, text, extract_quotes(text))


def test_same_words_credited_to_two_people_are_one_group_that_says_so() -> None:
    groups = group_quotes(
        [
            source(
                "a",
                "Gazette",
                '"We got everyone out of the building in under ten minutes," Mayor Ann Cole said.',
            ),
            source(
                "b",
                "Herald",
                '"We got everyone out of the building in under ten minutes," Fire Chief Tom Reyes said.',
            ),
            source(
                "c", "Wire", '"We got everyone out of the building in under ten minutes," said Chief Reyes.'
            ),
        ]
    )
    [group] = [g for g in groups if "everyone out" in g.text]
    assert len(group.occurrences) == 3
    assert group.credits_differ
    assert group.credits == {"Ann Cole": ["Gazette"], "Tom Reyes": ["Herald", "Wire"]}
    assert group.speaker == "Tom Reyes"  # the credit most outlets give


def test_a_short_fragment_credited_to_someone_else_stays_apart() -> None:
    groups = group_quotes(
        [
            source("a", "Gazette", 'The mayor called the plan "a disaster" on Monday, Mayor Ann Cole said.'),
            source(
                "b",
                "Herald",
                '"It is a disaster for the whole town and everyone in it," Chief Tom Reyes said.',
            ),
        ]
    )
    assert not any(g.credits_differ for g in groups)


def test_one_person_one_name_the_fuller_one() -> None:
    assert person_part("New York City Councilman Jumaane D. Williams") == "Jumaane D. Williams"
    assert person_part("Pete Hegseth") == "Pete Hegseth"
    index = SpeakerIndex(["Mr Williams", "City Councilman Jumaane D. Williams", "Williams"])
    assert {
        index.canonical(n) for n in ("Mr Williams", "Williams", "City Councilman Jumaane D. Williams")
    } == {"Jumaane D. Williams"}


def test_a_fragment_is_listed_only_when_several_outlets_carry_it() -> None:
    one = [source("a", "Gazette", 'Mayor Ann Cole called the budget "a disgrace" on Monday.')]
    assert not [g for g in group_quotes(one) if "disgrace" in g.text]
    two = [*one, source("b", "Herald", 'The budget is "a disgrace," Mayor Ann Cole said on Monday.')]
    [group] = [g for g in group_quotes(two) if "disgrace" in g.text]
    assert group.outlets == ["Gazette", "Herald"]
