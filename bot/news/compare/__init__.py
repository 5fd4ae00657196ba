"""Comparing a story's outlets: shared and unique points, figures that agree or disagree, summaries."""

from __future__ import annotations

from bot.news.compare._rising import developing_figures
from bot.news.compare._story import compare_story, headline_with_disputes, summarize_story

__all__ = [
    "compare_story",
    "developing_figures",
    "headline_with_disputes",
    "summarize_story",
]
