"""Stories: incremental clustering of articles into stories, kept in step with the database."""

from __future__ import annotations

from bot.news.stories._clusterer import Assignment, ClusterDoc, StoryClusterer
from bot.news.stories._features import FeatureMaker
from bot.news.stories._keeper import Placing, StoryKeeper
from bot.news.stories._vectors import DocFeatures
from bot.news.stories._voices import Reports, independent_reports

__all__ = [
    "Assignment",
    "ClusterDoc",
    "DocFeatures",
    "FeatureMaker",
    "Placing",
    "Reports",
    "StoryClusterer",
    "StoryKeeper",
    "independent_reports",
]
