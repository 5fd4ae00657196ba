"""Incremental story clustering: each ingested article joins the best matching story or starts one.

The shape follows published news-stream clusterers (Miranda et al., EMNLP 2018; Staykovski et al.,
2019): sublinear TF-IDF vectors over words, name tokens and the headline, compared with the stories
that an inverted index (bucketed by time) returns as candidates. Similarity is average link (the mean
cosine with a story's articles); long word sequences shared with a story (quotes, agency copy) add a
bonus. The "new story" decision is what keeps precision: an article must clear a bar relative to
the story's cohesion (a tight story rejects an article that is merely on its topic; each pair of
articles counts at most `cohesion_clip`, so near-identical copies do not lift the bar out of reach
of a differently worded report of the same event: clustering/pairs.py), no story spans
more than the window, and a one-article story is joined only above `join_threshold`. An article that
clears the bar of two stories bridges them, and they merge when their own average link clears both
bars; the older id is kept. Syndicated copies are recognised by rapidfuzz on the articles' openings;
they join their original's story but are one voice with it, not evidence: a story's centroid, its
cohesion and average-link similarities count only its voices (members that are not copies), so a
wire story reprinted by many sites does not raise its story's bar above a later original report.
Two bounded repairs (clustering/repair.py) then undo order effects: an outsider member of a small
nearby story may move to the article's young story, and a story of up to `split_size` articles whose
halves would not merge is split; earlier articles that change story are reported in
`Assignment.moved`.

Weights come from document frequencies frozen in snapshots taken on a fixed schedule, so a restored
index (from stored features, in ingestion order) is the live index.

All methods are plain CPU work with no event loop use: the service calls them via `asyncio.to_thread`
under its own lock (the clusterer itself is not thread-safe).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rapidfuzz import fuzz

from bot.news.settings import ClusteringSettings
from bot.news.stories._candidates import (
    LATE_QUERY_TERMS,
    Candidate,
    late_candidates,
    near_candidates,
    ranked_terms,
    undated_time,
    wake_floating,
)
from bot.news.stories._features import FeatureMaker
from bot.news.stories._index import StoryIndex, StoryState
from bot.news.stories._regroup import regroup
from bot.news.stories._repair import reassign, split
from bot.news.stories._scoring import Scorer
from bot.news.stories._vectors import DocFeatures, Vocabulary

log = logging.getLogger(__name__)

__all__ = ["Assignment", "ClusterDoc", "StoryClusterer"]


@dataclass
class ClusterDoc:
    """An article as clustering sees it."""

    article_id: int
    title: str | None
    text: str
    outlet: str | None
    when: datetime  # aware UTC: published, or ingest time when the article has no date
    # False when `when` is only the arrival time: the article then takes the time of the story it
    # shares passages with, at any distance (a page saved without its date, dropped in months
    # later), or floats at its arrival time until a dated page gives it one. On restore, False
    # marks a floating article.
    dated: bool = True
    # The features of `title` and `text` when already computed (by an ingest worker process:
    # `FeatureMaker`); None: the clusterer computes them. They must be those of this title and text.
    features: DocFeatures | None = None


@dataclass
class Assignment:
    """Where `StoryClusterer.assign` put an article."""

    story_id: int
    new_story: bool
    syndicated_of: int | None
    merged: list[tuple[int, int]]  # (absorbed_story_id, kept_story_id)
    features: str  # compact serialised features of this doc (JSON str) so restore() needn't re-tokenize
    score: float = 0.0  # similarity to the story it joined (0 for a new story)
    candidates: list[tuple[int, float]] = field(default_factory=list)  # (story_id, similarity), best first
    # Earlier articles that left a small story for a better-fitting one: (article_id, new_story_id).
    moved: list[tuple[int, int]] = field(default_factory=list)
    # Stories emptied by a regrouping, and the story that took most of their articles.
    retired: list[tuple[int, int]] = field(default_factory=list)
    # Where the article sits in time for clustering: its date, or for an undated one the time it took.
    when: datetime | None = None
    # An undated article that matched no dated story: it sits at its arrival time for now.
    floating: bool = False
    # Floating articles (undated files) this dated one gave its time to (`when`), by article id.
    redated: list[int] = field(default_factory=list)


def _hours(when: datetime) -> float:
    if when.tzinfo is None:
        raise ValueError("ClusterDoc.when must be timezone-aware")
    return when.timestamp() / 3600.0


class StoryClusterer:
    """Assigns articles to stories one at a time; restorable from stored assignments and features."""

    def __init__(self, settings: ClusteringSettings) -> None:
        self.settings = settings
        self._scorer = Scorer(settings)
        self._features_of = FeatureMaker(settings)
        self._reset()

    def _reset(self) -> None:
        self._vocab = Vocabulary()
        self._index = StoryIndex(self._vocab, self.settings.window_hours, self.settings.centroid_cache)
        self._next_id = 1

    # -- public API -------------------------------------------------------------------------------

    def restore(
        self,
        docs: Iterable[tuple[ClusterDoc, int, int | None, str | None]],
        next_story_id: int | None = None,
        evicted: Collection[int] = (),
    ) -> None:
        """Rebuild the index from stored (doc, story_id, syndicated_of, features) rows.

        Pass the rows in ingestion (article id) order: the document-frequency snapshots, and so every
        later decision, then match the live index exactly. `next_story_id` lets the store pass an id
        above every id it ever handed out (merged-away ones included); by default the next id is the
        largest restored id + 1. Rows of `evicted` stories count for the document frequencies (as
        they did when they arrived) but are not matched against any more (see `evict`).
        """
        self._reset()
        for doc, story_id, syndicated_of, raw in docs:
            features = DocFeatures.from_json(raw) if raw else None
            if features is None:  # stored by an older format or not at all: analyse again
                features = self._features(doc)
            when = _hours(doc.when)
            packed = self._vocab.count(features)  # evicted or not, it counts for the IDF, as it did live
            if story_id in evicted:
                self._index.add_evicted(doc.article_id, story_id, when, doc.outlet)
                self._next_id = max(self._next_id, story_id + 1)
                continue
            idx = self._index.add_doc(
                doc.article_id,
                when,
                packed,
                syndicated_of,
                features.fingerprint,
                features.shingles,
                doc.outlet,
                floating=not doc.dated,  # restored rows: undated and given no time (see Assignment)
            )
            story = self._index.stories.get(story_id) or self._index.new_story(story_id, when)
            self._index.attach(story, idx)
            self._post(idx)
            self._next_id = max(self._next_id, story_id + 1)
        if next_story_id is not None:
            self._next_id = max(self._next_id, next_story_id)
        log.info("restored %d articles in %d stories", len(self._index.doc_story), len(self._index.stories))

    def assign(self, doc: ClusterDoc) -> Assignment:
        """Put one new article into the best matching story or a new one, merging stories it bridges."""
        if doc.article_id in self._index.by_article:
            raise ValueError(f"article {doc.article_id} is already clustered")
        s = self.settings
        mark = self._next_id  # stories with this id or above were started by this article
        when = _hours(doc.when)
        features = self._features(doc)
        packed = self._vocab.count(features)
        vectors = self._vocab.vectors(*packed)
        # Ranked once: the heaviest terms are both the query and what the article is posted under.
        ranked = ranked_terms(vectors[0], max(s.query_terms, s.index_terms))
        query = ranked[: s.query_terms]
        sample = set(features.shingles)
        floating = False
        redated: list[int] = []
        if not doc.dated:
            when, floating = undated_time(self._index, self._scorer, query, vectors, when, sample, doc.outlet)
        elif sample:
            asleep = wake_floating(self._index, self._scorer, query, vectors, sample, doc.outlet)
            if asleep is not None:
                redated = self._redate(asleep, when)
        hits = self._index.candidates(query, when, s.window_hours)
        candidates = near_candidates(self._index, self._scorer, hits, vectors, when)
        if s.late_window_hours > s.window_hours and s.late_stories and sample:
            # Far stories are looked up by the heaviest terms only: a late join needs a close match.
            far = self._index.candidates(query[:LATE_QUERY_TERMS], when, s.late_window_hours, s.window_hours)
            candidates += late_candidates(
                self._index, self._scorer, far, vectors, when, sample, doc.outlet, candidates
            )
            candidates.sort(key=lambda c: (-c.similarity, c.story.story_id))
        self._add_evidence(candidates, sample, doc.outlet)
        copy_of = self._find_copy(hits, features.fingerprint, when)
        target: StoryState | None = None
        score = 0.0
        if copy_of is not None:
            target = self._index.stories[self._index.doc_story[copy_of]]
            if any(c.story is not target and c.similarity >= c.bar for c in candidates):
                # It also clears another story's bar, so it carries more than its opening's original:
                # it joins that original's story as a voice of its own (and may bridge the two).
                copy_of = None
        else:
            for c in candidates:
                if c.similarity >= c.bar:
                    target, score = c.story, c.similarity
                    break
        root = None if copy_of is None else self._root(copy_of)
        idx = self._index.add_doc(
            doc.article_id, when, packed, root, features.fingerprint, features.shingles, doc.outlet, floating
        )
        self._index.remember_vectors(idx, vectors)  # weighed under this snapshot already
        story = target or self._index.new_story(self._allocate(), when)
        fresh = None if target else story.story_id
        self._index.join(story, idx, vectors)
        self._post(idx, [tid for tid, _ in ranked[: s.index_terms]])
        # Stories the article also clears the bar of are bridged by it: check them for a merge.
        bridged = [c.story for c in candidates if c.story is not story and c.similarity >= c.bar]
        story, merged = self._merge_around(story, bridged)
        if fresh is not None and story.story_id != fresh:
            # The article's own new story was absorbed at once: that is a plain join, and the id is unused.
            merged = [m for m in merged if m[0] != fresh]
            if fresh == self._next_id - 1:
                self._next_id = fresh
        story, moved, retired = self._repair(story, idx, candidates, check_split=root is None or bool(merged))
        retired = [r for r in retired if r[0] < mark]  # a story born and emptied here was never stored
        return Assignment(
            story_id=story.story_id,
            new_story=story.story_id >= mark,
            syndicated_of=root,
            merged=merged,
            features=features.to_json(),
            score=round(score, 4),
            candidates=[(c.story.story_id, round(c.similarity, 4)) for c in candidates[:5]],
            moved=moved,
            retired=retired,
            when=datetime.fromtimestamp(when * 3600.0, UTC),
            floating=floating,
            redated=redated,
        )

    def _repair(
        self, story: StoryState, idx: int, candidates: list[Candidate], check_split: bool
    ) -> tuple[StoryState, list[tuple[int, int]], list[tuple[int, int]]]:
        """Bounded repairs against order effects; the article's story after them, moves and retirements.

        Earlier articles may change story (clustering/repair.py, clustering/regroup.py). Moves of the
        new article itself are not reported: its final story is the assignment's.
        """
        index = self._index
        near = [c.story for c in candidates]
        moved = reassign(index, self._scorer, story, near)
        # A copy alone changes no story's voices: its story was already checked for a split.
        if check_split or moved:
            moved += split(index, self._scorer, story, self._allocate)
        retired: list[tuple[int, int]] = []
        if self.settings.regroup_size:
            story = index.stories[index.doc_story[idx]]
            live = [st for st in near if st.story_id in index.stories]
            change = regroup(index, self._scorer, story, live, self._allocate)
            moved += change.moved
            retired = change.retired
        article = int(index.doc_article[idx])
        return index.stories[index.doc_story[idx]], [m for m in moved if m[0] != article], retired

    def story_of(self, article_id: int) -> int:
        """The story an article is in now (after any merges); KeyError if never clustered."""
        return int(self._index.doc_story[self._index.by_article[article_id]])

    def evict(self, story_ids: Iterable[int]) -> int:
        """Stop matching new articles against these stories (bounds memory); their ids stay known."""
        return self._index.evict(story_ids)

    def evict_before(self, cutoff: datetime) -> int:
        """Stop matching new articles against stories that ended before `cutoff` (bounds memory)."""
        return self._index.evict_before(_hours(cutoff))

    @property
    def story_count(self) -> int:
        """Stories that can still take articles."""
        return len(self._index.stories)

    # -- features ---------------------------------------------------------------------------------

    def _features(self, doc: ClusterDoc) -> DocFeatures:
        """The document's features: those it carries, else computed here (see `FeatureMaker`)."""
        if doc.features is not None:
            return doc.features
        return self._features_of.features(doc.title, doc.text)

    def _post(self, idx: int, heaviest: list[int] | None = None) -> None:
        """Index a document under its heaviest terms (weights of the current snapshot; given, or ranked here)."""
        if heaviest is None:
            terms = self._index.doc_vectors(idx)[0]
            heaviest = [tid for tid, _ in ranked_terms(terms, self.settings.index_terms)]
        self._index.post(idx, heaviest)
        if self._index.doc_floating[idx]:
            self._index.post_floating(idx, heaviest)

    def _redate(self, story: StoryState, when: float) -> list[int]:
        """Date a floating story by a dated article that shares its passages; the articles redated."""
        members = self._index.redate(story, when)
        for idx in members:
            self._post(idx)  # findable in its new time bucket
        log.debug("floating story %d dated by a new article", story.story_id)
        return [int(self._index.doc_article[idx]) for idx in members]

    # -- decisions --------------------------------------------------------------------------------

    def _add_evidence(self, candidates: list[Candidate], sample: set[int], outlet: str | None) -> None:
        """Raise the similarity of the leading candidates by the long word sequences they share with the article."""
        s = self.settings
        if not sample or s.shingle_bonus == 0:
            return
        changed = False
        for c in candidates[: s.evidence_stories]:
            if c.similarity + s.shingle_bonus < c.bar:
                continue  # no evidence could carry this one over its bar
            shared = self._index.shared_shingles(c.story, sample, outlet, s.evidence_members)
            if shared:
                c.similarity += s.shingle_bonus * min(1.0, shared / s.shingle_saturation)
                changed = True
        if changed:
            candidates.sort(key=lambda c: (-c.similarity, c.story.story_id))

    def _find_copy(self, hits: dict[int, float], print_: str, when: float) -> int | None:
        """The earliest-ingested document whose opening is a near-copy of this one's."""
        if not hits or len(print_) < 80:
            return None
        top = max(hits.values())
        cutoff = self.settings.syndication_ratio
        index = self._index
        for idx in sorted(i for i, h in hits.items() if h >= 0.6 * top):
            story = index.stories.get(index.doc_story[idx])
            if (
                story is None
                or not index.fingerprints[idx]
                or story.span_with(when) > self.settings.window_hours
            ):
                continue
            if fuzz.ratio(print_, index.fingerprints[idx], score_cutoff=cutoff) >= cutoff:
                return idx
        return None

    def _root(self, idx: int) -> int:
        root = self._index.doc_root[idx]
        return int(root) if root >= 0 else int(self._index.doc_article[idx])

    def _merge_around(
        self, story: StoryState, others: list[StoryState]
    ) -> tuple[StoryState, list[tuple[int, int]]]:
        """Merge into `story` the candidate stories it now clears the bar with (the older id is kept).

        An article can bridge two stories that started apart because their first articles were too
        unlike; they merge when their average-link similarity clears the bar of both and they fit in
        one window.
        """
        s = self.settings
        index = self._index
        scorer = self._scorer
        merged: list[tuple[int, int]] = []
        for other in others:
            if other.story_id not in index.stories or other is story:
                continue
            if max(story.last, other.last) - min(story.first, other.first) > s.window_hours:
                continue
            mine, theirs = index.centroid(story), index.centroid(other)
            linkage = scorer.combine(mine.cross(theirs)) / (story.weight * other.weight)
            if linkage < scorer.bar(scorer.cohesion(index, story), scorer.cohesion(index, other)):
                continue
            kept, absorbed = (story, other) if story.story_id < other.story_id else (other, story)
            index.merge(kept, absorbed)
            merged.append((absorbed.story_id, kept.story_id))
            log.debug("story %d merged into %d", absorbed.story_id, kept.story_id)
            story = kept
        return story, merged

    def _allocate(self) -> int:
        sid = self._next_id
        self._next_id += 1
        return sid
