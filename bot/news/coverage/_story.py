"""The coverage picture's data read from a story's stored articles: its figures only, not the full
comparison (points and quotes are not drawn, and cost several times more to read)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.news.compare import developing_figures
from bot.news.coverage._data import Coverage, build_coverage, may_develop
from bot.news.coverage._draw import render_png
from bot.news.models import StoredArticle, Story


def story_coverage(story: Story, articles: Sequence[StoredArticle]) -> Coverage:
    """What the picture draws for a story: outlet rows, and its developing figures when the story
    has articles of two moments (a toll rises between reports; otherwise none is read)."""
    return build_coverage(story, developing_figures(articles) if may_develop(story) else None)


def story_png(story: Story, articles: Sequence[StoredArticle]) -> bytes:
    """The story's coverage PNG (a module-level function, so a worker process can run it)."""
    return render_png(story_coverage(story, articles))
