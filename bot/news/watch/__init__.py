"""What each channel last saw of each story: delta digests and figure watch on live cards."""

from __future__ import annotations

from bot.news.watch._book import DeltaBook, FigureNews, FigureWatch
from bot.news.watch._figures import FigureSeen, card_lines, figure_moves, figure_states
from bot.news.watch._snapshot import StoryReading, StorySnapshot, changes_since, read_story

__all__ = [
    "DeltaBook",
    "FigureNews",
    "FigureSeen",
    "FigureWatch",
    "StoryReading",
    "StorySnapshot",
    "card_lines",
    "changes_since",
    "figure_moves",
    "figure_states",
    "read_story",
]
