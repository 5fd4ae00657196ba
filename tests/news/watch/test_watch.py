"""What changed in a story since a channel last saw it: outlets, quotes, figures, exclusive points."""

from __future__ import annotations

from datetime import timedelta

from bot.news.models import StoredArticle, Story
from bot.news.quotes import extract_quotes
from bot.news.watch import FigureSeen, StorySnapshot, card_lines, changes_since, figure_moves, read_story
from tests.news.watch.plant import T0, report


def stored(n: int) -> StoredArticle:
    art = report(n)
    return StoredArticle(
        **art.model_dump(exclude={"quotes"}),
        quotes=extract_quotes(art.text),
        id=n + 1,
        ref=f"r{n}",
        content_hash=str(n),
        ingested_at=(art.published or T0) + timedelta(minutes=5),
    )


def story_of(arts: list[StoredArticle]) -> Story:
    return Story(
        id=1, headline="Delmont plant explosion", first_seen=T0, last_updated=T0,
        outlets=[a.outlet or "" for a in arts],
    )  # fmt: skip


def reading(n: int):  # type: ignore[no-untyped-def]
    arts = [stored(i) for i in range(n)]
    return read_story(story_of(arts), arts)


def test_a_rising_toll_moves_and_names_the_outlet_left_behind() -> None:
    before, after = reading(2).snapshot, reading(3)
    assert figure_moves(before.figures, after.snapshot.figures) == ["killed: 8 → 15; one outlet still says 8"]
    changes = changes_since(before, after, T0)
    assert changes.new_outlets == ["Valley Herald"]
    assert [q.speaker for q in changes.new_quotes] == ["Dana Whitfield"]
    assert any("Corvane" in p.text and p.outlets == ["Valley Herald"] for p in changes.new_points)
    assert not any("Corvane" in p for p in before.points)


def test_nothing_moved_means_no_line_and_the_snapshot_round_trips() -> None:
    three = reading(3).snapshot
    again = StorySnapshot.model_validate_json(three.model_dump_json())
    assert figure_moves(again.figures, reading(3).snapshot.figures) == []
    changes = changes_since(again, reading(3), T0)
    assert changes.empty
    # A fourth outlet agreeing with the latest toll is no move either, only a new outlet.
    fourth = changes_since(again, reading(4), T0)
    assert fourth.figures == [] and fourth.new_outlets == ["Evening Tribune"]


def test_an_outlet_splitting_from_an_agreed_figure_is_one_line() -> None:
    agreed = {"count|injured": FigureSeen(label="injured", by_outlet={"A": 12, "B": 12, "C": 12}, lead=12)}
    split = {
        "count|injured": FigureSeen(
            label="injured", by_outlet={"A": 12, "B": 12, "C": 20}, lead=12, disputed=True
        )
    }
    assert figure_moves(agreed, split) == ["injured: C says 20, the others 12"]
    assert figure_moves(split, split) == []  # already apart: said once
    assert card_lines(split) == ["injured: 12 (disputed: also 20)"]
