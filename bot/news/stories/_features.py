"""An article's clustering features, computed from its title and text alone.

Everything here is state-free: the features depend on the text and the settings, never on the
articles seen before (the weights that do, document frequencies, are the clusterer's and are
applied to these counts later). So ingest worker processes compute them beside cleaning and
quotes, and the one ordered writer only looks the articles up (bot/news/ingest/_worker.py).
"""

from __future__ import annotations

from bot.news.settings import ClusteringSettings
from bot.news.stories._terms import TextAnalyser
from bot.news.stories._vectors import DocFeatures, capped


class FeatureMaker:
    """Turns articles into `DocFeatures`; keeps the analyser's small caches between articles."""

    def __init__(self, settings: ClusteringSettings) -> None:
        self.settings = settings
        self._analyser = TextAnalyser(settings.max_chars, settings.shingle_words, settings.shingle_sampling)

    def features(self, title: str | None, text: str) -> DocFeatures:
        """The features of an article with this title and text (the same for every caller)."""
        s = self.settings
        analysis = self._analyser.analyse(title, text)
        features = DocFeatures(
            terms=capped(analysis.terms, s.max_terms),
            entities=capped(analysis.entities, s.max_entities),
            headline=capped(analysis.headline, s.max_terms),
            fingerprint=analysis.fingerprint,
            shingles=analysis.shingles,
        )
        features.to_json()  # encoded once, here: the writer stores this very text
        return features
