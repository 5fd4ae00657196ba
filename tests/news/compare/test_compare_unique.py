"""Unique points as an editor weighs them (issue 12, item 4): what only this outlet reports that
matters (a new figure, a new named source, a new development), listed before colour quotes and
paragraphs about other events; the new clause of a sentence others state is listed on its own."""

from __future__ import annotations

from bot.news.compare import compare_story
from bot.news.compare._novelty import is_colour
from bot.news.compare._own_clauses import own_clause
from bot.news.compare._points import StoryPoints, article_sentences, counted_figures
from bot.news.compare._unique import unique_points
from tests.news.compare.articles import article, story


def _points(texts: list[str]) -> StoryPoints:
    split = [[s for s in article_sentences(t, min_words=3) if len(s.split()) >= 6] for t in texts]
    return StoryPoints(split)


# A made-up quake told by three outlets; the first adds facts of its own inside shared sentences.
QUAKE = [
    "The death toll from the earthquake on Kerrow island rose to 10 after the bodies of two more "
    "victims were found under a collapsed barn in the hamlet of Tallis, Governor Ines Marr said.\n\n"
    "The quake struck on Sunday afternoon and destroyed hundreds of homes across the island.",
    "The death toll from the earthquake on Kerrow island rose to 10, Governor Ines Marr said.\n\n"
    "The quake struck on Sunday afternoon and destroyed hundreds of homes on the island.",
    "Governor Ines Marr said the death toll from the Kerrow island earthquake rose to 10.\n\n"
    "Hundreds of homes on the island were destroyed when the quake struck on Sunday afternoon.",
]


def test_the_new_clause_of_a_sentence_others_state_is_listed_on_its_own() -> None:
    points = _points(QUAKE)
    listed = unique_points(points, 0)
    texts = [s.text for s in listed]
    assert any("bodies of two more victims" in t and "Tallis" in t for t in texts), texts
    # The clause, not the whole sentence: its first half is what every outlet says.
    assert not any(t.startswith("The death toll") and "Tallis" in t for t in texts)
    # The other outlets only reword what is shared: nothing of their own to list.
    assert unique_points(points, 1) == [] and unique_points(points, 2) == []


def test_a_clause_keeps_its_figures_and_its_speaker() -> None:
    points = _points(
        [
            "Police went door to door along Birch Lane beginning around 9:45 p.m., and about 3,500 "
            "residents left their homes for the night, according to fire chief Dana Kowal, who said "
            "the smoke was the main danger.",
            "Police went door to door along Birch Lane, fire chief Dana Kowal said.",
        ]
    )
    whole = points.sentences[0]
    clause = own_clause(whole, points.term_groups, points.groups[0], points.known)
    assert clause is not None
    assert "3,500 residents left their homes" in clause.shown  # not cut at the digit group
    assert "according to fire chief Dana Kowal" in clause.shown  # who said it stays with it
    assert not clause.shown.lower().startswith("who")  # a clause that lost its subject is no point
    quoted = _points(
        [
            '"We held the fire at the loading dock because the sprinklers there still worked and the '
            'wind had dropped by midnight," the chief said.',
            "The chief said the fire was held at the loading dock.",
        ]
    )
    cut = own_clause(quoted.sentences[0], quoted.term_groups, quoted.groups[0], quoted.known)
    assert cut is None or not cut.shown.startswith("The sprinklers")  # never from inside a quotation


def test_a_figure_of_another_thing_is_new() -> None:
    assert ("50", "year") in counted_figures("A 50 - year - old man from Dexter tipped off police.")
    assert ("923", "round") in counted_figures("It seized 923 rounds of ammunition.")
    texts = [
        "A 50-year-old man from Harlan saw the van on the highway and called the police hotline.\n\n"
        "The gunman fled in a grey van on the highway toward the state border, police said.",
        "A driver spotted the van 50 miles north of the city and called the police hotline.\n\n"
        "The gunman fled in a grey van on the highway toward the state border, police said.",
    ]
    points = _points(texts)
    assert points.figure_groups[("50", "year")] == {0}
    assert points.figure_groups[("50", "mile")] == {1}
    assert "50-year-old" in unique_points(points, 0)[0].text


def test_news_ranks_above_colour_and_other_events() -> None:
    shared = "A gunman shot three people at the Garnet office tower in Troyton on Monday, police said."
    own = [
        '"We pushed a table against the door and hid under our desks," a worker on the fourth floor '
        "told reporters.",
        "In February, a gunman killed five people at a shopping mall in Salt Creek, Utah, before a "
        "policeman shot him.",
        "A motorist from Dexbury tipped off deputies to the gunman's silver car after hearing its "
        "description on the radio, and the Garnet suspect surrendered on the interstate.",
    ]
    texts = [
        shared + "\n\n" + "\n\n".join(own),
        "Police said a gunman shot three people at the Garnet office tower in Troyton on Monday.",
        "Three people were shot at the Garnet office tower in Troyton on Monday, police said.",
    ]
    points = _points(texts)
    first = unique_points(points, 0, limit=1)
    assert len(first) == 1 and "tipped off deputies" in first[0].text
    ranked = [s.text for s in unique_points(points, 0)]
    assert ranked.index(own[2]) < ranked.index(own[1])  # another event ranks below this one's news
    assert is_colour(own[0]) and not is_colour(own[2])
    assert not is_colour('"The suspect is in custody," the US attorney said.')  # "US" is no "us"


def test_compare_lists_a_new_clause_as_the_outlets_own() -> None:
    arts = [article(n, f"Outlet {n}", text, hours=n) for n, text in enumerate(QUAKE, start=1)]
    comparison = compare_story(story(arts), arts)
    first = next(r for r in comparison.outlets if r.outlet == "Outlet 1")
    assert any("Tallis" in p.text for p in first.unique_points)
    assert all(len(p.text.split()) < 60 for r in comparison.outlets for p in r.unique_points)
