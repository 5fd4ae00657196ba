"""What the coverage picture shows, as data: one row per outlet with a mark per article, and the
developing figures of the story as series in time order. Pure: no drawing, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.news.models import Comparison, NumberComparison, Story, StoryArticle
from bot.news.outlets import outlet_name

MAX_ROWS = 10  # outlets drawn; more would shrink the names below what a phone can read
MAX_FIGURES = 1  # developing figures drawn: the one with most outlets says the most


@dataclass(frozen=True)
class Mark:
    """One article on the timeline."""

    ref: str
    title: str | None
    published: datetime | None  # None: the page gave no date (drawn apart, at the right)
    copy: bool  # repeats another report (wire copy, republication): drawn hollow


@dataclass(frozen=True)
class OutletRow:
    """One outlet's articles, oldest first (undated last)."""

    outlet: str
    marks: tuple[Mark, ...]

    @property
    def first(self) -> datetime | None:
        return self.marks[0].published if self.marks else None


@dataclass(frozen=True)
class FigurePoint:
    """One outlet's value of a developing figure, at the time its article was published."""

    when: datetime
    value: float
    outlet: str
    written: str  # the value as the outlet wrote it ("at least 15")


@dataclass(frozen=True)
class FigureSeries:
    """A developing figure (a toll that rose as reports came in): its points in time order."""

    counts: str  # what is counted: "killed", "arrested"
    about: str
    points: tuple[FigurePoint, ...]

    def steps(self) -> list[tuple[datetime, float]]:
        """The highest figure reported so far, at each moment a point arrives (a step line)."""
        out: list[tuple[datetime, float]] = []
        for p in self.points:
            level = max(p.value, out[-1][1]) if out else p.value
            if out and out[-1][0] == p.when:
                out[-1] = (p.when, level)
            else:
                out.append((p.when, level))
        return out


@dataclass(frozen=True)
class Coverage:
    """Everything the picture draws for one story."""

    story_id: int
    headline: str
    rows: tuple[OutletRow, ...]
    figures: tuple[FigureSeries, ...]
    hidden_outlets: int = 0  # outlets beyond MAX_ROWS: their articles share one "+N more" row
    others: tuple[Mark, ...] = ()  # the articles of those outlets, in time order

    def marks(self) -> list[Mark]:
        """Every article drawn, the "+N more" row's included."""
        return [m for r in self.rows for m in r.marks] + list(self.others)

    @property
    def articles(self) -> int:
        return len(self.marks())

    def span(self) -> tuple[datetime, datetime] | None:
        """The first and last dated moment drawn (marks and figure points), else None."""
        times = [m.published for m in self.marks() if m.published is not None]
        times += [p.when for f in self.figures for p in f.points]
        return (min(times), max(times)) if times else None


def _is_copy(article: StoryArticle) -> bool:
    return article.copy_of is not None or article.syndicated_of is not None


def _mark_order(mark: Mark) -> tuple[bool, datetime | None, str]:
    # Undated marks after the dated ones; ties broken by ref so the picture is stable.
    return (mark.published is None, mark.published, mark.ref)


def timeline_rows(articles: Sequence[StoryArticle]) -> list[OutletRow]:
    """One row per outlet, ordered by its first publication (outlets with no dated article last)."""
    by_outlet: dict[str, list[Mark]] = {}
    for a in articles:
        name = outlet_name(a.outlet, a.url, a.ref)
        by_outlet.setdefault(name, []).append(Mark(a.ref, a.title, a.published, _is_copy(a)))
    rows = [OutletRow(name, tuple(sorted(marks, key=_mark_order))) for name, marks in by_outlet.items()]
    rows.sort(key=lambda r: (r.first is None, r.first, r.outlet.casefold()))
    return rows


def figure_series(discrepancy: NumberComparison) -> FigureSeries | None:
    """The dated values of a developing figure in time order, or None when it is not one."""
    if not discrepancy.developing:
        return None
    points = [
        FigurePoint(v.published, v.normalized, v.outlet, v.value)
        for v in discrepancy.values
        if v.published is not None and v.normalized is not None
    ]
    if len(points) < 2:
        return None
    points.sort(key=lambda p: (p.when, p.value, p.outlet))
    return FigureSeries(discrepancy.counts or discrepancy.about, discrepancy.about, tuple(points))


def may_develop(story: Story) -> bool:
    """Whether the story could hold a developing figure: that takes articles of two different
    moments (a toll rises between reports), so for the rest the comparison need not be read."""
    return len({a.published for a in story.articles if a.published is not None}) >= 2


def build_coverage(
    story: Story, comparison: Comparison | Sequence[NumberComparison] | None = None
) -> Coverage:
    """The picture's data for a story: outlet rows and its developing figures, from a comparison or
    from the figures alone (`developing_figures`, what `story_coverage` reads)."""
    rows = timeline_rows(story.articles)
    figures: list[FigureSeries] = []
    compared = comparison.discrepancies if isinstance(comparison, Comparison) else comparison or []
    for d in compared:
        series = figure_series(d)
        if series is not None:
            figures.append(series)
    figures.sort(key=lambda f: (-len({p.outlet for p in f.points}), -len(f.points), f.counts))
    return Coverage(
        story_id=story.id,
        headline=story.headline,
        rows=tuple(rows[:MAX_ROWS]),
        figures=tuple(figures[:MAX_FIGURES]),
        hidden_outlets=max(0, len(rows) - MAX_ROWS),
        others=tuple(sorted((m for r in rows[MAX_ROWS:] for m in r.marks), key=_mark_order)),
    )
