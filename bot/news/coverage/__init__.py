"""A picture of a story's coverage: when each outlet published, and how a developing figure moved."""

from __future__ import annotations

from bot.news.coverage._data import (
    Coverage,
    FigurePoint,
    FigureSeries,
    Mark,
    OutletRow,
    build_coverage,
    figure_series,
    may_develop,
    timeline_rows,
)
from bot.news.coverage._draw import render_png
from bot.news.coverage._story import story_coverage, story_png

__all__ = [
    "Coverage",
    "FigurePoint",
    "FigureSeries",
    "Mark",
    "OutletRow",
    "build_coverage",
    "figure_series",
    "may_develop",
    "render_png",
    "story_coverage",
    "story_png",
    "timeline_rows",
]
