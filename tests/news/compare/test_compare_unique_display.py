"""Unique points as a reader of `/compare` sees them (issue 12, item 4): a clause cut from a
sentence keeps who said it and its subject, and a short quotation with nothing in it is no news.
All articles here are made up."""

from __future__ import annotations

from bot.news.compare._novelty import Novelty, is_thin_quote, newsworthiness, speaker_lost
from bot.news.compare._own_clauses import OwnClause, own_clause
from bot.news.compare._points import Sentence, StoryPoints, article_sentences, terms_of
from bot.news.compare._unique import unique_points


def _points(texts: list[str]) -> StoryPoints:
    split = [[s for s in article_sentences(t, min_words=3) if len(s.split()) >= 6] for t in texts]
    return StoryPoints(split)


def _own(texts: list[str]) -> OwnClause | None:
    """The own clause of the first sentence of the first article, against the other articles."""
    points = _points(texts)
    return own_clause(points.sentences[0], points.term_groups, points.groups[0], points.known)


SHARED = "Crews kept the blaze away from the ammonia tanks at the Marlow Freight depot on Dock Road"


def test_a_clause_keeps_the_source_after_it() -> None:
    own = _own(
        [
            f"{SHARED}, and the insurer put the damage at roughly $2.1 million in spoiled stock, "
            "according to depot manager Ruth Okafor, who said the building itself was sound.",
            f"{SHARED}, the fire chief said.",
        ]
    )
    assert own is not None
    assert "$2.1 million" in own.shown
    assert own.shown.endswith("according to depot manager Ruth Okafor.")  # her, not "who said ..."
    assert "according to" not in own.clause.text  # scored on what is new, listed with its source
    said = _own(
        [
            f"{SHARED}, and about 40 families on Birch Lane spent the night in the school gym, "
            "Sheriff Tom Reyes said.",
            f"{SHARED}, the fire chief said.",
        ]
    )
    assert said is not None and said.shown.endswith("Sheriff Tom Reyes said.")


def test_a_clause_keeps_the_source_before_it() -> None:
    own = _own(
        [
            f"Police said {SHARED.lower()}, and about 40 families on Birch Lane spent the night in "
            "the school gym.",
            f"{SHARED}, police said.",
        ]
    )
    assert own is not None
    assert own.shown.startswith("Police said about 40 families"), own.shown


def test_a_clause_keeps_its_subject() -> None:
    own = _own(
        [
            "The trucker, who asked not to be named, called the hotline when he recognised the "
            "stolen tanker parked beside his rig at the Fallbrook truck stop.",
            "The trucker, who asked not to be named, tipped off the police.",
        ]
    )
    assert own is not None
    assert own.shown.startswith("The trucker called the hotline when"), own.shown
    # A clause that hangs on the rest of its sentence ("thereby ...") has no subject to give it.
    hanging = _own(
        [
            "Marines seized 60 rifles and 900 rounds from the skiffs, thereby ensuring that the "
            "coastal patrol keeps its name as a force smugglers avoid along the Varna coast.",
            "Marines seized 60 rifles and 900 rounds from the skiffs.",
        ]
    )
    assert hanging is not None and hanging.shown.startswith("Marines seized 60 rifles"), hanging


def test_a_subordinate_clause_is_listed_as_a_statement() -> None:
    own = _own(
        [
            "The death toll from the storm on the Kestrel coast rose to 12 after the bodies of three "
            "fishermen were pulled from the harbour mud at Gull Point, the coastguard said.",
            "The death toll from the storm on the Kestrel coast rose to 12, the coastguard said.",
        ]
    )
    assert own is not None
    assert own.shown.startswith("The bodies of three fishermen"), own.shown


def test_a_short_quotation_with_little_in_it_is_no_news() -> None:
    assert is_thin_quote('"It\'s a hard question," he said.')
    assert is_thin_quote('"Again, these talks are ongoing," the spokesman said.')
    assert is_thin_quote("“You don't forget a night like that.”")
    assert not is_thin_quote('"Twelve people are dead," the governor said.')  # a figure is news
    assert not is_thin_quote('"It is the worst fire Marlow has seen," the chief said.')  # a name
    assert not is_thin_quote('He surrendered "without a fight," the sheriff said.')  # a fact, quoted
    long = '"It was a long night and we are tired, but the crews held the line at the river," he said.'
    assert not is_thin_quote(long)
    texts = [
        f"{SHARED} on Friday.\n\n"
        '"It\'s a hard question," the depot manager said.\n\n'
        "The depot's night shift of 14 workers was sent home before the roof collapsed.",
        f"{SHARED} on Friday, police said.",
    ]
    listed = [s.text for s in unique_points(_points(texts), 0)]
    assert any("night shift of 14 workers" in t for t in listed), listed
    assert not any("hard question" in t for t in listed), listed


def test_a_quotation_without_its_speaker_is_no_point() -> None:
    assert speaker_lost('"Now they want to know the plan if the depot burns again."')
    assert not speaker_lost('"Now they want to know the plan," the councillor said.')
    assert not speaker_lost('Residents said they "want to know the plan".')


def test_an_authoritys_notice_is_sourced_like_a_statement() -> None:
    new = Novelty(figures=0, names=0, words=5, anchored=True)

    def worth(text: str) -> float:
        return newsworthiness(Sentence(0, 0, text, terms_of(text)), new)

    plain = worth("Residents on Birch Lane kept their doors and windows shut overnight.")
    for verb in ("advised", "urged", "warned"):
        assert worth(f"Police {verb} residents on Birch Lane to keep doors and windows shut.") > plain
