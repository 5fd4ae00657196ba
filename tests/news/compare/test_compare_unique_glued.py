"""Two statements glued at a quotation's end (issue 12, item 4, round eight): the splitter keeps a
quotation whole, so '"It will take years." Crews reopened Dock Road ...' arrives as one sentence. It
is two points on one line and adds up the credits of both: it ranks below a plain finding. A quote
followed only by who said it is one statement. All articles are made up."""

from __future__ import annotations

from bot.news.compare._novelty import Novelty, is_glued, newsworthiness
from bot.news.compare._points import Sentence, StoryPoints, article_sentences, terms_of
from bot.news.compare._unique import unique_points

_NEW = Novelty(figures=0, names=0, words=5, anchored=True)

SHARED = "Fire crews fought a blaze at the Marlow Freight depot on Dock Road through Tuesday night."


def _worth(text: str) -> float:
    return newsworthiness(Sentence(0, 0, text, terms_of(text)), _NEW)


def test_a_quote_glued_to_the_next_statement_is_told_apart_from_a_quote_and_its_speaker() -> None:
    assert is_glued("“It will take years. ” Crews reopened Dock Road to traffic at noon after a check.")
    assert is_glued('"We lost everything!" The depot had no sprinklers in the loading bay, records show.')
    # Who said it, or a quote ending on a comma, is one statement.
    assert not is_glued('"Hide, she\'s got a gun!" Vanore said.')
    assert not is_glued('"Hide, she\'s got a gun!" the depot manager told reporters on Wednesday.')
    assert not is_glued('"It will take years," owner Lena Marsh said of the rebuilding on Wednesday.')
    assert not is_glued("Crews reopened Dock Road to traffic at noon on Wednesday after a safety check.")


def test_a_glued_sentence_weighs_less_than_either_part_alone_would() -> None:
    glued = "“It will take years. ” Crews reopened Dock Road to traffic at noon after a safety check."
    assert _worth(glued) < _worth("Crews reopened Dock Road to traffic at noon after a safety check.")


def test_a_plain_finding_is_listed_above_a_quote_glued_to_a_paragraph() -> None:
    texts = [
        f"{SHARED}\n\n"
        "“The depot will not close. ” Owner Lena Marsh, who founded the firm with her brother, "
        "said the depot would reopen.\n\n"
        "Investigators found a melted space heater in the loading bay office.",
        f"{SHARED} The cause is not known.",
    ]
    split = [[s for s in article_sentences(t, min_words=3) if len(s.split()) >= 6] for t in texts]
    listed = [s.text for s in unique_points(StoryPoints(split), 0)]
    assert len(listed) == 2, listed
    assert "space heater" in listed[0], listed
