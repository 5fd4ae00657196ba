"""Stories: incremental clustering of articles into stories, kept in step with the database."""

from __future__ import annotations

from bot.news.stories._clusterer import Assignment, ClusterDoc, StoryClusterer
from bot.news.stories._keeper import StoryKeeper

__all__ = [
    "Assignment",
    "ClusterDoc",
    "StoryClusterer",
    "StoryKeeper",
]
