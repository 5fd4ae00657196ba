"""Similarity of an article to a story, between stories, and the bar a story sets for joining it."""

from __future__ import annotations

from collections.abc import Sequence

from bot.news.settings import ClusteringSettings
from bot.news.stories._index import StoryIndex, StoryState


class Scorer:
    """Average-link similarities (weighted sum of word, name and headline cosines) and the join bar.

    A story's bar is relative to its cohesion, the mean similarity between its own articles: a tight
    story (every outlet reporting the same facts) rejects an article that is merely on the same topic,
    while a loose story (analysis pieces, differently framed coverage) accepts a looser match. Each
    pair counts at most `cohesion_clip` toward the cohesion (near-identical reports do not make a
    story tighter than two reports that clearly agree), so the bar stays within reach of a
    differently worded report of the same event. The cohesion of a small story is shrunk toward a
    prior, so a one-article story is joined at `join_threshold`.
    """

    def __init__(self, settings: ClusteringSettings) -> None:
        self.s = settings
        self._weights = (settings.body_weight, settings.entity_weight, settings.headline_weight)
        self.prior = settings.join_threshold / settings.relative_threshold

    def combine(self, parts: tuple[float, float, float]) -> float:
        """Weighted sum of per-group similarities."""
        w = self._weights
        return w[0] * parts[0] + w[1] * parts[1] + w[2] * parts[2]

    def cohesion(self, index: StoryIndex, story: StoryState, members: Sequence[int] | None = None) -> float:
        """Mean similarity between the story's voices (or these `members`), each pair counted at most
        `cohesion_clip` (clustering/pairs.py), over the latest `cohesion_members` of them, shrunk
        toward the prior for small stories."""
        sample = (story.counted if members is None else members)[-self.s.cohesion_members :]
        return self.shrunk(*index.pairs.clipped_links(index, self, sample))

    def shrunk(self, links: float, pairs: float) -> float:
        """Mean of `pairs` pair similarities summing to `links`, shrunk toward the prior."""
        k = self.s.prior_pairs
        return (links + k * self.prior) / (pairs + k)

    def bar(self, *cohesions: float, relative: float | None = None) -> float:
        """The average-link similarity needed to join (or merge) stories of these cohesions."""
        share = self.s.relative_threshold if relative is None else relative
        return max(self.s.min_similarity, share * max(cohesions))

    def time_penalty(self, story: StoryState, when: float) -> float:
        """Similarity lost for the gap between an article and the story's span."""
        return self.gap_penalty(story.gap_to(when))

    def gap_penalty(self, gap: float) -> float:
        """Similarity lost for `gap` hours; it stops growing at one window, past which only a late
        join (shared verbatim passages, see `may_span`) is possible at all."""
        return self.s.time_penalty * min(gap, self.s.window_hours) / self.s.window_hours

    def may_span(self, span: float, shared: int) -> bool:
        """Whether articles `span` hours apart may be one story: within the window always; past it,
        up to `late_window_hours`, only when they share `shared` >= saturation shingle samples
        (a late join: the same passages, a republication days later)."""
        s = self.s
        return span <= s.window_hours or (span <= s.late_window_hours and shared >= s.shingle_saturation)
