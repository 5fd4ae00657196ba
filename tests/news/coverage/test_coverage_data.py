"""The coverage picture's data: outlet rows in order of first publication, a mark per article,
copies told apart, developing figures as series in time order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.news.compare import compare_story
from bot.news.coverage import build_coverage, figure_series, may_develop, timeline_rows
from bot.news.coverage._data import MAX_ROWS
from bot.news.models import NumberComparison, NumberValue, StoredArticle, Story, StoryArticle

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def at(hours: float | None) -> datetime | None:
    return None if hours is None else T0 + timedelta(hours=hours)


def story_of(articles: list[StoryArticle]) -> Story:
    return Story(id=3, headline="A bridge collapse", first_seen=T0, last_updated=T0, articles=articles)


def test_rows_follow_first_publication_with_a_mark_per_article() -> None:
    arts = [
        StoryArticle(ref="c1", outlet="Courier", published=at(5)),
        StoryArticle(ref="w1", outlet="Wire", published=at(1)),
        StoryArticle(ref="c2", outlet="Courier", published=at(2), copy_of="w1"),
        StoryArticle(ref="n1", outlet=None, url="https://news.example.org/a", published=None),
        StoryArticle(ref="h1", outlet="Herald", published=at(3), syndicated_of="w1"),
        StoryArticle(ref="c3", outlet="Courier", published=None),
    ]
    rows = timeline_rows(arts)
    assert [r.outlet for r in rows] == ["Wire", "Courier", "Herald", "news.example.org"]
    assert sum(len(r.marks) for r in rows) == len(arts)
    courier = rows[1]
    assert [m.ref for m in courier.marks] == ["c2", "c1", "c3"]  # by time, the undated one last
    assert courier.first == at(2)
    copies = {m.ref for r in rows for m in r.marks if m.copy}
    assert copies == {"c2", "h1"}
    assert rows[-1].first is None


def test_many_outlets_are_cut_to_the_rows_a_phone_can_read() -> None:
    arts = [StoryArticle(ref=f"a{n}", outlet=f"Outlet {n:02d}", published=at(n)) for n in range(25)]
    cov = build_coverage(story_of(arts))
    assert len(cov.rows) == MAX_ROWS and cov.hidden_outlets == 25 - MAX_ROWS
    assert [r.outlet for r in cov.rows] == [f"Outlet {n:02d}" for n in range(MAX_ROWS)]
    # The rest share one row: every article is still drawn, and the time axis covers them all.
    assert len(cov.others) == 25 - MAX_ROWS and cov.articles == 25
    assert [m.published for m in cov.others] == sorted(m.published for m in cov.others)  # type: ignore[type-var]
    assert cov.span() == (at(0), at(24))
    assert cov.figures == ()


def value(outlet: str, n: float, hours: float | None) -> NumberValue:
    return NumberValue(outlet=outlet, value=str(n), text="", normalized=n, published=at(hours))


def test_a_developing_figure_is_a_series_in_time_order() -> None:
    toll = NumberComparison(
        about="killed",
        counts="killed",
        developing=True,
        values=[
            value("C", 12, 9),
            value("A", 4, 1),
            value("B", 7, 4),
            value("D", 12, 9),
            value("E", 7, None),
        ],
    )
    series = figure_series(toll)
    assert series is not None
    assert [p.when for p in series.points] == sorted(p.when for p in series.points)
    assert [p.outlet for p in series.points] == ["A", "B", "C", "D"]  # the undated value has no place
    assert series.steps() == [(at(1), 4), (at(4), 7), (at(9), 12)]
    assert figure_series(toll.model_copy(update={"developing": False})) is None


def test_steps_never_fall_when_a_late_outlet_repeats_an_old_figure() -> None:
    toll = NumberComparison(
        about="injured",
        counts="injured",
        developing=True,
        values=[value("A", 10, 1), value("B", 20, 2), value("C", 10, 3)],
    )
    series = figure_series(toll)
    assert series is not None
    assert [level for _, level in series.steps()] == [10, 20, 20]


def stored(n: int, outlet: str, text: str, hours: float) -> StoredArticle:
    return StoredArticle(
        id=n,
        ref=f"r{n}",
        outlet=outlet,
        title=f"{outlet}: bridge collapse",
        text=text,
        content_hash=str(n),
        ingested_at=T0 + timedelta(days=1),
        published=at(hours),
    )


def test_a_rising_toll_from_the_compare_engine_becomes_the_figure_series() -> None:
    arts = [
        stored(
            1, "Wire", "The collapse of the Marlow river bridge on Tuesday killed two people, police said.", 1
        ),
        stored(2, "Courier", "The collapse of the Marlow river bridge killed six people, the mayor said.", 5),
        stored(
            3, "Herald", "Police said eleven people were killed when the Marlow river bridge collapsed.", 11
        ),
    ]
    story = Story(
        id=4,
        headline="Marlow bridge collapse",
        first_seen=T0,
        last_updated=T0,
        articles=[StoryArticle(ref=a.ref, outlet=a.outlet, published=a.published) for a in arts],
    )
    cov = build_coverage(story, compare_story(story, arts))
    assert [r.outlet for r in cov.rows] == ["Wire", "Courier", "Herald"]
    [series] = cov.figures
    assert series.counts == "killed"
    assert [(p.outlet, p.value) for p in series.points] == [("Wire", 2), ("Courier", 6), ("Herald", 11)]


def test_only_a_story_of_two_moments_may_hold_a_developing_figure() -> None:
    same = [StoryArticle(ref=f"a{n}", outlet=f"O{n}", published=at(1)) for n in range(3)]
    assert not may_develop(story_of([*same, StoryArticle(ref="u", outlet="U")]))
    assert may_develop(story_of([*same, StoryArticle(ref="b", outlet="B", published=at(2))]))
