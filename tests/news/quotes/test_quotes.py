"""Quote extraction on small texts written for the test: every quoting and attribution style."""

from __future__ import annotations

import pytest

from bot.news.models import Quote
from bot.news.quotes import QuoteSource, extract_quotes, group_quotes


def one(text: str) -> Quote:
    quotes = extract_quotes(text)
    assert len(quotes) == 1, [q.text for q in quotes]
    return quotes[0]


def by_text(quotes: list[Quote], fragment: str) -> Quote:
    found = [q for q in quotes if fragment in q.text]
    assert found, f"no quote with {fragment!r} in {[q.text for q in quotes]}"
    return found[0]


# -- quotation marks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("“We will not sign it,” Ana Ruiz said.", "We will not sign it"),
        ('"We will not sign it," Ana Ruiz said.', "We will not sign it"),
        ("''We will not sign it,'' Ms. Ruiz said.", "We will not sign it"),
        ("„We will not sign it“, Ana Ruiz said.", "We will not sign it"),
        ('“We will not sign it," Ana Ruiz said.', "We will not sign it"),  # mixed curly and straight
        ("“We will not sign it,“ said Ana Ruiz.", "We will not sign it"),  # the wrong glyph closing
    ],
)
def test_double_quote_styles(text: str, quoted: str) -> None:
    q = one(text)
    assert q.text == quoted
    assert text[q.start : q.end] == quoted
    assert q.speaker is not None and "Ruiz" in q.speaker


def test_single_quotes_when_the_page_quotes_with_single_marks() -> None:
    text = "Home Secretary Lena Park visited the port. 'We will stop the boats,' she said."
    q = one(text)
    assert q.text == "We will stop the boats"
    assert q.speaker == "Lena Park"


def test_single_marks_in_a_double_quoted_page_are_not_quotes_of_their_own() -> None:
    text = "Fans of rock 'n' roll in the '90s loved the 'Wall' tour. “It was loud,” said Tom Reyes."
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == ["It was loud"]


def test_quote_inside_a_quote_stays_one_quote() -> None:
    text = "“He told me, ‘Leave now,’ and I left the building,” Maria Garcia said."
    q = one(text)
    assert q.text.startswith("He told me, ‘Leave now,’")
    assert q.speaker == "Maria Garcia"


def test_quote_over_several_paragraphs() -> None:
    text = (
        "Governor Sam Ortiz spoke at length on Friday.\n\n"
        "“The budget is balanced for the first time in a decade.\n\n"
        "“We did it without raising taxes,” Mr. Ortiz said.\n\n"
        "Lawmakers will vote next week."
    )
    q = one(text)
    assert "balanced for the first time" in q.text and "without raising taxes" in q.text
    assert text[q.start : q.end].startswith("The budget")
    assert text[q.start : q.end].endswith("raising taxes")
    assert q.speaker == "Sam Ortiz"


def test_fragment_quoted_inside_a_sentence() -> None:
    q = one("Defense Secretary Pete Hegseth called the plan “unrealistic” on Wednesday.")
    assert q.text == "unrealistic"
    assert q.speaker == "Pete Hegseth"
    assert q.cue == "called"


def test_quote_paragraph_standing_alone_after_its_speaker() -> None:
    text = (
        "Mayor Karen Bass told reporters on Monday that the city was ready for the storm.\n\n"
        "“Every shelter is open tonight.”\n\n"
        "Forecasters expect heavy rain."
    )
    assert one(text).speaker == "Karen Bass"


def test_quote_paragraph_after_a_colon() -> None:
    text = "Chancellor Olaf Brandt put it bluntly:\n\n“There is no money left for this.”"
    assert one(text).speaker == "Olaf Brandt"


def test_second_part_of_a_split_quote_keeps_the_speaker() -> None:
    quotes = extract_quotes("“We tried,” said Paul Okafor. “Nobody listened to us.”")
    assert [q.speaker for q in quotes] == ["Paul Okafor", "Paul Okafor"]


def test_titles_and_markup_are_not_quotes() -> None:
    text = (
        'She starred in the film “Apollo Rising” last year. <tweet author="someone" id="12">Hi</tweet>\n\n'
        "The network renewed “Night Court Returns” for a season."
    )
    assert extract_quotes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # a linked article's headline and excerpt, in a newsletter's list of links
        'FAREWELL—"Harbor diner to close after forty years," by Ledger\'s Ann Moss: "The diner served '
        'its last plate on Sunday." http://example.com/1',
        # a book with its author
        "One of his recent reads, “The Long Tide,” by Mara Quinn, is about the war.",
        # a label left by the page
        "Markets fell again on Monday.\n\n“Related:”\n\nMore on the story.",
    ],
)
def test_headlines_books_and_labels_are_not_quotes(text: str) -> None:
    assert extract_quotes(text) == []


def test_programmes_and_subtitled_books_are_not_quotes() -> None:
    text = (
        "“We will rebuild the pier,” Mayor Ruth Alder told “Harbor Morning” on Tuesday.\n\n"
        "The details are in Tom Greer's new book “Low Water: How a Town Lost Its River and Won It Back.”\n\n"
        "“Harbor Morning” host Dana Pike asked about the cost."
    )
    assert [q.text for q in extract_quotes(text)] == ["We will rebuild the pier"]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("The crowd answered with chants of “Four More Years!” as she walked in.", "Four More Years!"),
        ("A boy in the front row held a sign that read “Vote Yes Today.”", "Vote Yes Today."),
        ("The campaign released an ad titled “Broken Promises,” its third this month.", "Broken Promises"),
        # "on" ends the sentence before the quote: it does not make the answer a show's title
        ("Ms. Hale was asked about the question. “Denver,” she answered.", "Denver"),
    ],
)
def test_chants_signs_and_named_things_are_someones_words(text: str, quoted: str) -> None:
    assert one(text).text == quoted


def test_unattributed_fragment_is_kept_with_an_unknown_speaker() -> None:
    q = one("The so-called “peace dividend” was spent long ago, the records show.")
    assert q.text == "peace dividend"
    assert q.speaker is None


# -- attribution ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ("“Prices will fall,” Elena Voss said.", "Elena Voss", "said"),
        ("“Prices will fall,” said Elena Voss.", "Elena Voss", "said"),
        ("“Prices will fall,” Elena Voss told reporters.", "Elena Voss", "told reporters"),
        ("Prices will “fall sharply” this year, according to Elena Voss.", "Elena Voss", "according to"),
        ("Elena Voss wrote on Truth Social: “Prices will fall.”", "Elena Voss", "wrote on Truth Social"),
        ("“Prices will fall,” Elena Voss said in a statement.", "Elena Voss", "said in a statement"),
        ("“Prices will fall,” Elena Voss said in an interview.", "Elena Voss", "said in an interview"),
        ("Elena Voss added: “Prices will fall.”", "Elena Voss", "added"),
        ("“Prices will fall,” Elena Voss added.", "Elena Voss", "added"),
        ("Elena Voss said, “Prices will fall.”", "Elena Voss", "said"),
        (
            "“Prices will fall,” Elena Voss, the bank's chief economist, said on Tuesday.",
            "Elena Voss",
            "said",
        ),
        ("“Prices will fall,” said Elena Voss, who runs the central bank.", "Elena Voss", "said"),
        # The outlet that quotes someone is not the speaker.
        ("“Prices will fall,” the Ledger quoted Elena Voss as saying.", "Elena Voss", "quoted as saying"),
        ("The Ledger quoted Elena Voss as saying: “Prices will fall.”", "Elena Voss", "quoted as saying"),
    ],
)
def test_attribution_forms(text: str, speaker: str, cue: str) -> None:
    q = one(text)
    assert q.speaker == speaker
    assert q.cue == cue


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“We are ready to talk,” Kremlin spokesman Dmitry Peskov told reporters.", "Dmitry Peskov"),
        ("“We welcome any effort,” said U.N. spokesman Farhan Haq.", "Farhan Haq"),
        ("“The talks begin now,” Secretary of State Marco Rubio said.", "Marco Rubio"),
        (
            "The Kremlin’s spokesman, Dmitri S. Peskov, told reporters that “nothing is agreed.”",
            "Dmitri S. Peskov",
        ),
        ("“No comment,” Sen. Ted Crane (R-Texas) said.", "Ted Crane"),
        ("Crown Prince Mohammed bin Salman said he was “honoured to host.”", "Mohammed bin Salman"),
    ],
)
def test_titles_and_roles_are_not_part_of_the_name(text: str, speaker: str) -> None:
    assert one(text).speaker == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“The vote is ours,” The Washington Post reported.", "The Washington Post"),
        ("“No such call took place,” the Kremlin said.", "Kremlin"),
    ],
)
def test_bodies_speak_under_their_name(text: str, speaker: str) -> None:
    assert one(text).speaker == speaker


def test_pronoun_resolves_to_the_person_named_before() -> None:
    text = "Senator Maria Lopez arrived late to the hearing. “The vote is today,” she said."
    assert one(text).speaker == "Maria Lopez"


def test_pronoun_respects_gender_when_it_is_known() -> None:
    text = "Mr. Tom Baker met Ms. Ann Cole on Monday. Both sat down with reporters. “We agreed on a date,” she said."
    assert one(text).speaker == "Ann Cole"


def test_he_after_an_indirect_statement_is_that_speaker() -> None:
    text = (
        "Interior Minister Jonas Berg said the border would stay open, although Chancellor Eva Lind "
        "disagreed in public.\n\n“We will not close it,” he said."
    )
    assert one(text).speaker == "Jonas Berg"


def test_the_president_resolves_to_the_president_named_before() -> None:
    text = (
        "President Emmanuel Marchetti met the prime minister, Ida Sorensen, in Paris on Monday.\n\n"
        "“Europe must wake up,” the president said."
    )
    assert one(text).speaker == "Emmanuel Marchetti"


def test_one_person_one_name_within_an_article() -> None:
    text = (
        "Defense Secretary Pete Hegseth arrived in Brussels on Wednesday.\n\n"
        "“Europe must lead,” Mr. Hegseth said.\n\n"
        "“We will not send troops,” Hegseth told allies.\n\n"
        "In his remarks, Hesgeth said “the era of free riding is over.”"
    )
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Pete Hegseth"] * 3


def test_transliterations_of_a_name_are_one_speaker() -> None:
    text = (
        "Ukrainian President Volodymyr Zelenskyy spoke with Mr. Trump.\n\n"
        "“We want peace,” Zelensky said.\n\n"
        "“Security guarantees come first,” Selensky added."
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Volodymyr Zelenskyy", "Volodymyr Zelenskyy"]


def test_the_speaker_is_the_name_not_the_attribution_phrase() -> None:
    q = one("“It is a good deal,” said the former senator from Ohio, Rob Whitman, at the event.")
    assert q.speaker == "Rob Whitman"


@pytest.mark.parametrize(
    "text",
    [
        "“We have not been consulted,” one European official told the Guardian newspaper.",
        "“It is over,” a source said.",
        "“Nobody knows,” officials said.",
        "“We have not been consulted,” one European official to the British Guardian newspaper.",
    ],
)
def test_unknown_speakers_stay_unknown(text: str) -> None:
    assert one(text).speaker is None


def test_coordinated_subject_does_not_steal_the_quote() -> None:
    text = "Mr. Trump said on Friday. He said he and Mr. Putin agreed to “work together very closely.”"
    assert one(text).speaker == "Trump"


def test_and_between_clauses_does_not_make_a_coordinated_subject() -> None:
    text = "A woman asked for a photo and Ana Ruiz said, “Only if we are quick about it.”"
    assert one(text).speaker == "Ana Ruiz"


def test_went_on_continues_the_speaker() -> None:
    text = "“Things happen,” Ana Ruiz went on, as if she had not heard. “You get over it.”"
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz", "Ana Ruiz"]


def test_a_speaker_in_a_time_clause_does_not_take_over() -> None:
    text = (
        "“I am satisfied with his answer,” Ana Ruiz said after Tom Baker spoke. "
        "“My biggest worry is the budget.”"
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Ana Ruiz", "Ana Ruiz"]


def test_a_surname_that_is_also_a_title_ends_the_name() -> None:
    text = "“It will not be easy,” said Representative Peter T. King of New York, who backs him."
    speaker = one(text).speaker
    assert speaker is not None and speaker.endswith("King")


def test_offsets_point_at_the_quoted_words() -> None:
    text = "Intro line.\n\n“First words,” said Li Wei. Then “second words” followed, Li Wei added."
    for q in extract_quotes(text):
        assert text[q.start : q.end] == q.text


def test_no_quotes_no_work() -> None:
    assert extract_quotes("") == []
    assert extract_quotes("A plain sentence without any quotation at all.") == []


def test_a_writers_scare_quote_is_not_a_quotation() -> None:
    # Nobody is reported as saying these words: no name, pronoun, people or speech word around them.
    assert extract_quotes('The old ferry was rated in "fair" condition after the last inspection.') == []
    # The same few words with a source in the sentence are reported speech.
    [quote] = extract_quotes('He called the timetable "fair" after the last inspection.')
    assert quote.text == "fair"


def test_an_interrupted_quote_matches_the_same_words_quoted_whole() -> None:
    interrupted = (
        "“Prices will fall,” said Elena Voss, “and wages will rise this year.” She spoke in Ashgrove."
    )
    whole = "“Prices will fall and wages will rise this year,” Voss told reporters."
    other = "Elena Voss said the plan was “bold,” adding, “It will work.”"
    sources = [
        QuoteSource(ref, ref, text, extract_quotes(text))
        for ref, text in (("ledger", interrupted), ("wire", whole), ("post", other))
    ]
    [joined] = [g for g in group_quotes(sources) if "wages" in g.text]
    assert joined.outlets == ["ledger", "wire"] and joined.speaker == "Elena Voss"
    assert joined.text == "Prices will fall and wages will rise this year"  # the version in one piece
    assert not joined.wording_differs
    ledger = next(o for o in joined.occurrences if o.outlet == "ledger")
    assert ledger.text == "Prices will fall … and wages will rise this year."
    # Two quotes in one sentence that are not one interrupted quote stay apart.
    listed = {g.text for g in group_quotes(sources)}
    assert "It will work." in listed
    # A one-word fragment only one outlet carries is not listed as a quote of its own (issue 12).
    assert "bold" not in listed


def test_two_excerpts_of_one_statement_that_overlap_are_one_group() -> None:
    a = 'His sister Ana Ruiz said: "Why would he point a gun at six officers? He has common sense."'
    b = 'His sister Ana Ruiz said: "He has common sense. They killed my brother for no reason."'
    c = 'The mayor Tom Hale said: "He has common sense. We will find out what happened."'
    sources = [QuoteSource(r, r, t, extract_quotes(t)) for r, t in (("a", a), ("b", b), ("c", c))]
    groups = group_quotes(sources)
    [joined] = [g for g in groups if len(g.occurrences) >= 2]
    assert {o.ref for o in joined.occurrences} == {"a", "b"}  # the mayor's words are not hers
