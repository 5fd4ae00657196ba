"""Quotes in tokenized copy, where every mark and apostrophe stands between spaces (ECB+ style)."""

from __future__ import annotations

from bot.news.quotes import QuoteSource, extract_quotes, group_quotes


def texts(text: str) -> list[str]:
    return [q.text for q in extract_quotes(text)]


def test_spaced_curly_marks_pair_by_their_glyphs() -> None:
    text = (
        "The commissioner told reporters there was “ nothing to indicate that this shooting was outside "
        "the guidelines ” while a former commander said it was fine."
    )
    assert texts(text) == ["nothing to indicate that this shooting was outside the guidelines"]


def test_a_spaced_straight_mark_after_a_comma_closes_the_quote() -> None:
    text = '"I\'m in the middle of the riot action in my district. Right now, things are tense, "Councilman Jo Reed said.'
    [quote] = extract_quotes(text)
    assert quote.text.startswith("I'm in the middle") and quote.text.endswith("tense")
    assert quote.speaker and "Reed" in quote.speaker


def test_a_spaced_apostrophe_inside_a_single_quoted_passage_is_not_a_mark() -> None:
    text = "The officers yelled back: ‘ Stay down, or we ’ ll shoot you again. ’ He fell."
    assert any("shoot you again" in t for t in texts(text))


def test_tokenized_and_plain_apostrophes_match_across_outlets() -> None:
    a = '"I\'m in the middle of the riot action at Church and Snyder," Councilman Jo Reed said.'
    b = "Councilman Jo Reed said: ‘ I ’ m in the middle of the riot action at Church and Snyder. ’"
    groups = group_quotes([QuoteSource(r, r, t, extract_quotes(t)) for r, t in (("a", a), ("b", b))])
    assert any(len(g.occurrences) == 2 for g in groups)


def test_a_quote_continued_after_a_dropped_closing_mark_keeps_its_speaker() -> None:
    # The first passage never closes: its next sentence opens with a new mark, which the next mark closes.
    text = (
        'The fire chief, Ann Reyes, said: "It spread quickly to the roof of the depot. "We have been '
        'able to stop it reaching the offices, so the damage inside is small. " Engineers were called '
        "to cut the power."
    )
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == [
        "It spread quickly to the roof of the depot.",
        "We have been able to stop it reaching the offices, so the damage inside is small.",
    ]
    assert all(q.speaker == "Ann Reyes" for q in quotes)


def test_the_subject_of_a_passive_cue_is_not_the_speaker() -> None:
    text = '"The building is safe now. " Residents were told to keep their windows shut.'
    assert all(q.speaker != "Residents" for q in extract_quotes(text))


def test_words_after_the_attribution_up_to_a_lone_closing_mark_are_the_speakers() -> None:
    # The page dropped the mark that reopens the quote after "she said." and kept the closing one.
    text = (
        'His sister, Ana Ruiz, told reporters he had no gun. "They thought he was reaching for one, " '
        'she said. Why would he point a gun at six officers? He has common sense. " Witnesses said '
        "that he was running when he was shot."
    )
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == [
        "They thought he was reaching for one",
        "Why would he point a gun at six officers? He has common sense.",
    ]
    assert all(q.speaker == "Ana Ruiz" for q in quotes)
