"""Shared and unique points as an editor would list them: one line per fact with every outlet that
carries it (found in other words, inside longer sentences), and per outlet a few points of its own
that are news (a source, a new figure) rather than sentences whose words happen to be new."""

from __future__ import annotations

from bot.news.compare import compare_story
from bot.news.compare._clauses import clause_links
from bot.news.compare._fact_terms import FactTerms, fact_stem
from bot.news.compare._points import StoryPoints, article_sentences, similarity, terms_of
from bot.news.compare._shared import SHARED_POINTS, carried_elsewhere, shared_points
from bot.news.compare._unique import UNIQUE_POINTS, unique_points
from bot.news.models import StoredArticle
from bot.news.text import synonym_of
from tests.news.compare.articles import article, story

# Hand-written reports of one made-up event; each outlet tells the same facts in its own words.
FERRY = [
    (
        "Coast Times",
        "A ferry carrying 212 passengers ran aground off Harlow Point on Sunday morning, and all "
        "aboard were taken off by lifeboat crews before the tide turned, the coastguard said.\n\n"
        "The ferry's owner, Northway Lines, said the vessel had left Kestrel harbour an hour late.\n\n"
        "Divers will inspect the hull on Monday, harbour master Ellen Voss said.\n\n"
        "The harbour was built in 1887 and was enlarged in 1932 by the town council.\n\n"
        "The captain, Mark Lund, had been with the company for 30 years, a spokesman said.",
    ),
    (
        "Bay Herald",
        "Lifeboat crews rescued all 212 passengers from a ferry that grounded near Harlow Point "
        "early on Sunday.\n\n"
        "Northway Lines, which runs the route, said the crossing had set out an hour behind "
        "schedule from Kestrel.\n\n"
        "A passenger, Tom Reyes, said the ferry shook violently for almost a minute before it "
        "stopped.\n\n"
        "Insurers put the cost of the salvage at $4.2 million, according to a company filing.",
    ),
    (
        "Shore News",
        "The coastguard said 212 people were brought ashore after the ferry struck rocks off "
        "Harlow Point on Sunday.\n\n"
        "Harbour master Ellen Voss said divers would examine the damaged hull on Monday.\n\n"
        "The crossing is one of the busiest on the coast in summer.",
    ),
]


def _ferry() -> list[StoredArticle]:
    return [article(n, outlet, text, hours=n) for n, (outlet, text) in enumerate(FERRY, start=1)]


def _points(texts: list[str]) -> StoryPoints:
    split = [[s for s in article_sentences(t, min_words=3) if len(s.split()) >= 6] for t in texts]
    return StoryPoints(split)


def test_a_fact_inside_a_longer_sentence_is_linked_clause_to_clause() -> None:
    points = _points(
        [
            "The suspect drove a stolen red van through the police checkpoint at dawn on Tuesday, fired "
            "two shots at the startled guards near the customs office, and then escaped across the "
            "river into the pine forest near Oldmill.",
            "Witnesses said the gunman fled across the river into the forest near Oldmill.",
        ]
    )
    long, short = points.sentences
    assert not any(j == 1 and sim >= 0.28 for j, sim in points.neighbours[0])  # diluted as a whole
    assert 1 in clause_links(points.sentences, points.groups)[0]
    [cluster] = shared_points(points)
    assert cluster.articles == [0, 1]
    assert {long.text, short.text} == {m.text for m in cluster.members}


def test_sentences_on_different_facts_are_not_linked() -> None:
    points = _points(
        [
            "The museum reopened its east wing on Tuesday after a two-year restoration.",
            "Ticket prices for the summer concerts will rise by five dollars next year.",
        ]
    )
    assert clause_links(points.sentences, points.groups) == {0: {}, 1: {}}
    assert shared_points(points) == []


def test_one_fact_in_other_newsroom_words_is_one_shared_point() -> None:
    # "lawyer"/"attorney", "blaze"/"fire", "employees"/"workers": the same fact in other words.
    points = _points(
        [
            "The warehouse belonged to a local lawyer, and the blaze forced employees out before dawn.",
            "The warehouse owner is a local attorney; the fire forced workers out before dawn.",
        ]
    )
    [cluster] = shared_points(points)
    assert cluster.articles == [0, 1]
    # Without the folding only "warehouse", "local", "forced", "dawn" are shared: far less alike.
    assert similarity(*points.sentences) >= 0.5


def test_synonyms_fold_plain_words_but_leave_names_alone() -> None:
    assert synonym_of("lawyers") == synonym_of("attorney") == "attorney"
    assert synonym_of("blaze") == "fire"
    assert synonym_of("warehouse") is None
    # A capitalised word is a name before it is a synonym: "Blaze" (a name, a street) is not a fire.
    assert "fire" not in terms_of("Officers met Blaze Turner")
    assert "fire" in terms_of("officers met the blaze")
    assert terms_of("a lawyer and an attorney") == {"attorney": 2}


def test_shared_points_name_every_outlet_that_carries_the_fact() -> None:
    comparison = compare_story(story(_ferry()), _ferry())
    shared = comparison.shared_points
    rescue = [p for p in shared if "212" in p.text]
    assert rescue and set(rescue[0].outlets) == {"Coast Times", "Bay Herald", "Shore News"}
    hull = [p for p in shared if "hull" in p.text]
    assert hull and set(hull[0].outlets) == {"Coast Times", "Shore News"}
    assert [len(p.outlets) for p in shared] == sorted((len(p.outlets) for p in shared), reverse=True)
    assert len({p.text for p in shared}) == len(shared)  # one line per fact


def test_unique_points_are_news_not_background() -> None:
    comparison = compare_story(story(_ferry()), _ferry())
    reports = {r.outlet: r for r in comparison.outlets}
    herald = [p.text for p in reports["Bay Herald"].unique_points]
    assert any("$4.2 million" in t for t in herald)  # a new figure, with its source
    assert any("Tom Reyes" in t for t in herald)  # a new named source
    coast = [p.text for p in reports["Coast Times"].unique_points]
    assert "Mark Lund" in coast[0] and "1887" in coast[-1]  # history ranks below anything sourced
    # A sentence shown as a point several outlets share is not also "only in" its outlet.
    shared = {p.text for p in comparison.shared_points}
    assert not shared & {p.text for r in comparison.outlets for p in r.unique_points}


def test_points_keep_to_an_editors_budget() -> None:
    # 20 outlets, each with the shared lead and a dozen sentences of its own.
    arts = []
    for n in range(1, 21):
        own = " ".join(
            f"Officer {chr(64 + n)}{k} told reporters that district {n * 100 + k} saw {k + 3} new cases."
            for k in range(12)
        )
        lead = "The storm flooded 300 homes in Marlow on Friday, the fire service said."
        arts.append(article(n, f"Outlet {n}", f"{lead}\n\n{own}", hours=n))
    comparison = compare_story(story(arts), arts)
    assert 1 <= len(comparison.shared_points) <= SHARED_POINTS
    assert all(len(r.unique_points) <= UNIQUE_POINTS for r in comparison.outlets)
    assert all(r.unique_points for r in comparison.outlets)


def test_an_outlet_saying_one_thing_twice_lists_it_once() -> None:
    texts = [
        "Mayor Ana Ruiz said the bridge will close for repairs on March 3. "
        "Officials said the bridge will close for repairs on March 3, Mayor Ana Ruiz said again.",
        "The council met on Thursday to discuss the budget for next year.",
    ]
    points = _points(texts)
    listed = unique_points(points, 0)
    assert len(listed) == 1 and "March 3" in listed[0].text


def test_page_clutter_is_no_point_whatever_its_first_letter() -> None:
    # Each kind of clutter the sentence filter knows, in upper and lower case: the filter's
    # quick first-letter test must let every one of them through to the full pattern.
    clutter = [
        "Read the full report at https://example.org/report today please.",
        "More pictures of the scene are on www.example.org this evening.",
        "Follow the reporter on the network at @deskreporter for updates.",
        "Click here to see every picture of the scene tonight.",
        "SUBSCRIBE now to get the whole story every single morning.",
        "Get our Newsletter with the latest news each and every morning.",
        "This site uses cookies to improve your reading of the news.",
        "ADVERTISEMENT for the local store appears in this space here.",
        "Sign up for alerts about this story and others like it.",
        "Wire reporters contributed to this story from the capital city.",
        "The reporter can be reached by telephone at the newsroom.",
        "Copyright 2024 the newspaper company. All rights reserved.",
    ]
    kept = "The ferry left the harbour an hour late on Sunday morning."
    assert article_sentences("\n\n".join([*clutter, kept])) == [kept]


def test_fact_terms_read_a_word_by_its_root() -> None:
    # One fact in other forms of a word: "investigation"/"investigate"/"investigators".
    for a, b in [
        ("investigation", "investigators"),
        ("investigated", "investigate"),
        ("caused", "cause"),
        ("injuries", "injured"),
        ("evacuation", "evacuated"),
        ("checking", "checked"),
    ]:
        assert fact_stem(a) == fact_stem(b), (a, b)
    assert fact_stem("fired") != fact_stem("fire")  # losing a job is not a blaze


def test_fact_terms_know_a_sentence_opening_from_a_name_and_nobody_from_no_one() -> None:
    terms = FactTerms(["An investigation into the cause has begun.", "Nobody saw Brandt leave."])
    # Opening a sentence, "Investigations" is the word the story writes in lower case, not a name.
    assert set(terms("Investigations into the cause")) == set(terms("an investigation into the cause"))
    # A word the story never writes in lower case is a name, its spellings folded.
    assert set(terms("Zelenskyy left")) == set(terms("Zelensky left"))
    hurt, injured = FactTerms.fold("Luckily no - one was hurt"), FactTerms.fold("Nobody was injured")
    assert len(terms(injured)) == 2 and set(terms(injured)) <= set(terms(hurt))


def test_a_lead_that_packs_two_facts_tells_both() -> None:
    # The first lead is linked to the second by the firing, to the fourth by the shooting. Spoken
    # for through the firing only, the second lead still tells the arrest it shares with the third.
    points = _points(
        [
            "A baker who was fired last week from the Millbrook bakery shot two of his former "
            "coworkers with a rifle on Monday morning, police said.",
            "The suspect, who had been fired from the Millbrook bakery last week, turned himself in "
            "at the county jail on Tuesday evening.",
            "He turned himself in at the county jail on Tuesday evening, a detective said, and was "
            "charged with attempted murder.",
            "Two former coworkers were shot with a rifle on Monday morning at the Millbrook bakery.",
        ]
    )
    clusters = shared_points(points)
    told = [c.center.text for c in clusters]
    assert len(clusters) == 2, told
    assert [c.articles for c in clusters] == [[0, 1, 3], [1, 2]]


def test_other_figures_make_another_fact() -> None:
    # "six rifles" seized in this raid, "14 rifles" over five raids: alike in words, two facts.
    texts = [
        "Six rifles, 12 magazines and 300 rounds of ammunition were seized from the pirate boats.",
        "In five raids the ship has seized 14 rifles, 31 magazines and 923 rounds of ammunition from pirate boats.",
        "Navy officers said six rifles, 12 magazines and 300 rounds were seized from the pirate boats.",
    ]
    points = _points(texts)
    assert not carried_elsewhere(points)[1]
    assert [c.articles for c in shared_points(points)] == [[0, 2]]
