"""What makes an outlet's own sentence news (issue 12, item 4, round five): a past year opening a
sentence dates it as background, a source in the present tense is a source, and a note on the
reporting ("did not respond to a request for comment") is never a point, and a sentence carrying on
about the story's person ("He was flown to ...") is not about another event. All articles are made up."""

from __future__ import annotations

from bot.news.compare._novelty import Novelty, is_newsroom_note, newsworthiness, novelty_of
from bot.news.compare._points import Sentence, StoryPoints, article_sentences, terms_of
from bot.news.compare._unique import unique_points

_NEW = Novelty(figures=0, names=0, words=5, anchored=True)


def _worth(text: str) -> float:
    return newsworthiness(Sentence(0, 0, text, terms_of(text)), _NEW)


def _points(texts: list[str]) -> StoryPoints:
    split = [[s for s in article_sentences(t, min_words=3) if len(s.split()) >= 6] for t in texts]
    return StoryPoints(split)


SHARED = "Fire crews fought a blaze at the Marlow Freight depot on Dock Road through Tuesday night."


def test_a_past_year_opening_a_sentence_is_background() -> None:
    plain = _worth("The depot's owner filed for bankruptcy and the state took over the lease.")
    assert _worth("In 1983, the depot's owner filed for bankruptcy and the state took over.") < plain
    assert _worth("In the 1950s, the depot's owner filed for bankruptcy and sold the lease.") < plain
    assert _worth("The depot's owner filed for bankruptcy in 1983 and the state took over.") < plain
    texts = [
        f"{SHARED}\n\n"
        "In 1983, the depot's first owner filed for bankruptcy and the state took over its lease.\n\n"
        "Investigators found a melted space heater in the loading bay office, the fire marshal said.",
        f"{SHARED} The cause is not known.",
    ]
    listed = [s.text for s in unique_points(_points(texts), 0)]
    assert listed and "space heater" in listed[0], listed  # the finding first, the history after


def test_a_source_in_the_present_tense_counts_like_said() -> None:
    plain = _worth("The depot had no sprinklers in the loading bay and its alarm was switched off.")
    assert _worth("Chief Dana Marr says the depot had no sprinklers in the loading bay.") > plain
    assert _worth("Radio reporter Ann Cole reports that the depot had no sprinklers at all.") > plain
    assert _worth("The depot had no sprinklers, the Post reports.") > plain
    # "reports" as a noun names no source: early reports are no one's word.
    assert _worth("Early reports of looting near the depot spread on social media overnight.") == _worth(
        "Early rumours of looting near the depot spread on social media overnight."
    )


def test_a_note_on_the_reporting_is_no_point() -> None:
    for note in (
        "Marlow Freight did not immediately respond to a request for comment on Wednesday.",
        "The company's lawyer could not be reached.",
        "No damage estimate was immediately available.",
        "The cause of the fire was not immediately known.",
        "The Dock Road Gazette will update this story as the investigation continues.",
        "We had not heard back as of Wednesday evening.",
        "A spokeswoman for the depot declined to comment.",
    ):
        assert is_newsroom_note(note), note
    for news in (
        "The owner said the depot had been inspected in March and passed.",
        "Investigators declined to say how many workers were inside.",  # withheld: a fact of its own
        "The chief responded to the first call at 9:40 p.m. with two engines and a ladder truck.",
    ):
        assert not is_newsroom_note(news), news
    texts = [
        f"{SHARED}\n\n"
        "Marlow Freight did not immediately respond to a request for comment on Wednesday.\n\n"
        "Two forklift drivers were treated for smoke inhalation at Harlow General Hospital.",
        f"{SHARED} Nobody was hurt, officials said.",
    ]
    listed = [s.text for s in unique_points(_points(texts), 0)]
    assert any("forklift drivers" in t for t in listed), listed
    assert not any("request for comment" in t for t in listed), listed


def test_a_sentence_carrying_on_about_its_person_is_about_this_story() -> None:
    shared = "Deputy Joel Marsh was shot on Quill Street in Dunmore on Monday, the sheriff said."
    texts = [
        f"{shared}\n\nHe was flown by helicopter to Saint Brannock Medical Center in Harlow.\n\n"
        "Last spring, a gunman wounded two officers at a traffic stop in Fenwick County.",
        f"{shared} Deputy Marsh was hit twice.",
        "Sheriff's officials said Deputy Joel Marsh was shot on Quill Street in Dunmore on Monday.",
    ]
    points = _points(texts)
    users, group = points.term_groups, points.groups[0]
    core = max(2, len(set(points.groups)) // 2)

    def novelty(start: str) -> Novelty:
        s = next(s for s in points.sentences if s.article == 0 and s.text.startswith(start))
        novel = [t for t in s.terms if users.get(t) == {group}]
        return novelty_of(s, novel, users, core, points.known)

    assert novelty("He was flown").names >= 2 and novelty("He was flown").anchored
    assert not novelty("Last spring").anchored  # new places and nobody of this story: elsewhere
    listed = [s.text for s in unique_points(points, 0)]
    assert listed and listed[0].startswith("He was flown"), listed
