"""A lay person's account is no source (issue 12, item 4, round seven): "a neighbor said", "a
witness told reporters" make a sentence no more established than it would be plain, so an outlet's
own concrete finding is listed before a bystander's impression; an authority's word stays a source,
also where it names residents or witnesses. All articles are made up."""

from __future__ import annotations

from bot.news.compare._novelty import Novelty, is_lay_account, newsworthiness
from bot.news.compare._points import Sentence, StoryPoints, article_sentences, terms_of
from bot.news.compare._unique import unique_points

_NEW = Novelty(figures=0, names=0, words=5, anchored=True)


def _worth(text: str) -> float:
    return newsworthiness(Sentence(0, 0, text, terms_of(text)), _NEW)


def test_an_authority_is_a_source_a_bystander_is_not() -> None:
    assert is_lay_account("A next-door neighbor said the suspect kept to herself.")
    assert is_lay_account('"They were hiding in the dark," a witness told reporters.')
    assert not is_lay_account("Police advised local residents to keep their windows shut.")
    assert not is_lay_account("A witness called 911 to report the shooting, authorities said.")
    plain = _worth("The suspect kept to herself and rarely spoke to anyone on the street.")
    told = "the suspect kept to herself and rarely spoke to anyone on the street."
    assert _worth(f"A neighbor said {told}") == plain
    assert _worth(f"Police said {told}") > plain


def test_a_finding_ranks_above_a_neighbours_impression() -> None:
    shared = "A gunman shot a deputy at an apartment on Ferris Lane in Dunmore on Friday, police said."
    finding = "Detectives recovered the rifle from a storm drain two streets from the apartment."
    impression = "A neighbor said the gunman always seemed quiet and polite."
    texts = [
        f"{shared}\n\n{impression}\n\n{finding}",
        "Police said a gunman shot a deputy at an apartment on Ferris Lane in Dunmore on Friday.",
        "A deputy was shot at an apartment on Ferris Lane in Dunmore on Friday, police said.",
    ]
    split = [[s for s in article_sentences(t, min_words=3) if len(s.split()) >= 6] for t in texts]
    first = unique_points(StoryPoints(split), 0, limit=1)
    assert [s.text for s in first] == [finding]
