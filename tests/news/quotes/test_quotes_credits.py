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


def test_a_passage_excerpted_two_ways_is_one_group_when_a_third_carries_the_shared_part() -> None:
    shared = "The warship immediately turned towards the suspicious boats and challenged them."
    groups = group_quotes(
        [
            source("a", "Gazette", f'"{shared} The pirates then fled the area," Captain Ravi Nair said.'),
            source("b", "Herald", f'"{shared} Two of them got away," Captain Ravi Nair said.'),
            source("c", "Wire", f'"{shared[:-1]}," the officer said.'),
        ]
    )
    [group] = [g for g in groups if "suspicious boats" in g.text]
    assert len(group.occurrences) == 3


def test_one_speakers_statement_in_other_words_is_one_group() -> None:
    groups = group_quotes(
        [
            source(
                "a", "Gazette", '"Within a minute or two, the whole roof was ablaze," Chief Jon Owen said.'
            ),
            source(
                "b",
                "Herald",
                '"Within a moment or two, the entire roof was engulfed in flame," Jon Owen said.',
            ),
        ]
    )
    assert len([g for g in groups if "roof" in g.text]) == 1


def test_other_words_by_two_different_speakers_stay_apart() -> None:
    groups = group_quotes(
        [
            source(
                "a", "Gazette", '"Within a minute or two, the whole roof was ablaze," Chief Jon Owen said.'
            ),
            source(
                "b",
                "Herald",
                '"Within a moment or two, the entire roof was engulfed in flame," Mayor Ann Cole said.',
            ),
        ]
    )
    assert len([g for g in groups if "roof" in g.text]) == 2


def test_a_news_agency_relaying_a_quote_is_not_its_speaker() -> None:
    text = (
        "Mehdi Zareh, head of the seismic centre, dismissed fears of a tsunami, IRNA reported. Officials agreed. "
        '"The gulf is not deep enough for a tsunami," he was quoted as saying.'
    )
    [quote] = extract_quotes(text)
    assert quote.speaker == "Mehdi Zareh"
