"""The clustering index: documents (packed counts), stories, centroids, and a time-bucketed inverted index."""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Iterable

from bot.news.stories._centroid import Centroid, Triple
from bot.news.stories._pairs import PairMemo
from bot.news.stories._postings import PostingIndex
from bot.news.stories._state import StoryState
from bot.news.stories._vectors import Vocabulary

_NO_TERMS = array("i", (0, 0, 0))  # an evicted document's packed terms: three empty groups (shared)
_NO_COUNTS = array("B")
_NO_SHINGLES = array("I")
# Documents whose vectors are kept within an IDF snapshot: a few windows' worth of recent articles,
# about 11 kB each (see `StoryIndex.remember_vectors`).
_VECTOR_CACHE = 1024

__all__ = ["Centroid", "StoryIndex", "StoryState", "Triple"]


class StoryIndex(PostingIndex):
    """Documents, stories and the time-bucketed inverted index used to find candidate stories
    (`PostingIndex`)."""

    def __init__(self, vocab: Vocabulary, bucket_hours: float, cache_size: int) -> None:
        super().__init__()
        self.vocab = vocab
        self.bucket_hours = bucket_hours
        self.stories: dict[int, StoryState] = {}
        self.doc_story = array("q")
        self.doc_time = array("d")  # hours since the epoch
        self.doc_article = array("q")
        self.doc_root = array("q")  # article id of the first copy, or -1
        self.doc_ids: list[array[int]] = []  # packed feature term ids (see Vocabulary.count)
        self.doc_counts: list[array[int]] = []
        self.fingerprints: list[str] = []
        self.shingles: list[array[int]] = []
        self.outlets: list[str | None] = []
        self.by_article: dict[int, int] = {}
        # 1: an undated file that matched nothing, placed at its arrival time until a dated page
        # that shares its passages gives it one (see candidates.wake_floating).
        self.doc_floating = bytearray()
        self._centroids: OrderedDict[int, Centroid] = OrderedDict()
        self._vectors: OrderedDict[int, Triple] = OrderedDict()  # see `remember_vectors`
        self._vectors_epoch = -1
        self._cache_size = cache_size
        self.pairs = PairMemo()  # pair similarities for cohesions and regroupings

    # -- documents --------------------------------------------------------------------------------

    def add_doc(
        self,
        article_id: int,
        when: float,
        packed: tuple[array[int], array[int]],
        root: int | None,
        fingerprint: str,
        shingles: list[int],
        outlet: str | None,
        floating: bool = False,
    ) -> int:
        """Record a document (not yet in a story) and return its index."""
        idx = len(self.doc_story)
        self.doc_floating.append(1 if floating else 0)
        self.doc_story.append(-1)
        self.doc_time.append(when)
        self.doc_article.append(article_id)
        self.doc_root.append(-1 if root is None else root)
        self.doc_ids.append(packed[0])
        self.doc_counts.append(packed[1])
        self.fingerprints.append(fingerprint)
        self.shingles.append(array("I", shingles))
        self.outlets.append(outlet)
        self.by_article[article_id] = idx
        return idx

    def add_evicted(self, article_id: int, story_id: int, when: float, outlet: str | None) -> None:
        """Record a document of an evicted story (restoring): its story id, and nothing to match."""
        idx = self.add_doc(article_id, when, (_NO_TERMS, _NO_COUNTS), None, "", [], outlet)
        self.doc_story[idx] = story_id

    def shared_shingles(self, story: StoryState, sample: set[int], outlet: str | None, limit: int) -> int:
        """Most shingle samples this article shares with one member of `story` from another outlet.

        Only the `limit` latest voices are compared (a bound on the work for very large stories; a
        copy's shingles are its original's).
        """
        best = 0
        for idx in story.counted[-limit:]:
            if outlet is not None and self.outlets[idx] == outlet:
                continue  # an outlet's own boilerplate is not evidence
            best = max(best, len(sample.intersection(self.shingles[idx])))
        return best

    def doc_vectors(self, idx: int) -> Triple:
        """A stored document's vectors under the current IDF snapshot (shared: never modify them)."""
        cache = self._vectors
        if self._vectors_epoch != self.vocab.epoch:
            cache.clear()
            self._vectors_epoch = self.vocab.epoch
        vectors = cache.get(idx)
        if vectors is None:
            vectors = self.vocab.vectors(self.doc_ids[idx], self.doc_counts[idx])
            self.remember_vectors(idx, vectors)
        else:
            cache.move_to_end(idx)
        return vectors

    def remember_vectors(self, idx: int, vectors: Triple) -> None:
        """Keep document `idx`'s vectors, computed under the current IDF snapshot, for `doc_vectors`.

        One document's vectors are wanted again and again within a snapshot (its story's centroid
        rebuilt after a merge or a new snapshot, its pairs for cohesions and regroupings, repairs):
        the recently used ones are kept rather than weighed again.
        """
        if self._vectors_epoch != self.vocab.epoch:
            self._vectors.clear()
            self._vectors_epoch = self.vocab.epoch
        self._vectors[idx] = vectors
        if len(self._vectors) > _VECTOR_CACHE:
            self._vectors.popitem(last=False)

    def is_floating(self, story: StoryState) -> bool:
        """Whether every member of a story is a floating document (the story has no time of its own)."""
        return all(self.doc_floating[idx] for idx in story.members)

    def redate(self, story: StoryState, when: float) -> list[int]:
        """Give a floating story's members the time `when`; their document indexes (to post again)."""
        members = list(story.members)
        for idx in members:
            self.doc_time[idx] = when
            self.doc_floating[idx] = 0
        story.first = story.last = when
        return members

    # -- stories ----------------------------------------------------------------------------------

    def new_story(self, story_id: int, when: float) -> StoryState:
        """Create an empty story."""
        story = StoryState(story_id, when)
        self.stories[story_id] = story
        return story

    def centroid(self, story: StoryState) -> Centroid:
        """The story's centroid under the current IDF snapshot (rebuilt from members when stale).

        Shared: never modify it (`join` grows a story's own copy).
        """
        counted = story.counted
        if len(counted) == 1:
            # One member (most stories): its sums are its vectors, the very floats `Centroid.add`
            # would copy. Served from the vector cache instead of being copied and cached twice.
            alone = Centroid(self.vocab.epoch)
            alone.sums = self.doc_vectors(counted[0])
            return alone
        return self._own_centroid(story)

    def _own_centroid(self, story: StoryState) -> Centroid:
        """The story's cached centroid (its own sums, safe to grow), rebuilt from members when stale."""
        cached = self._centroids.get(story.story_id)
        if cached is not None and cached.epoch == self.vocab.epoch:
            self._centroids.move_to_end(story.story_id)
            return cached
        centroid = Centroid(self.vocab.epoch)
        for idx in story.counted:
            centroid.add(self.doc_vectors(idx))
        self._remember(story.story_id, centroid)
        return centroid

    def _remember(self, story_id: int, centroid: Centroid) -> None:
        self._centroids[story_id] = centroid
        self._centroids.move_to_end(story_id)
        while len(self._centroids) > self._cache_size:
            self._centroids.popitem(last=False)

    def is_voice(self, idx: int) -> bool:
        """Whether document `idx` is not a syndicated copy."""
        return self.doc_root[idx] < 0

    def join(self, story: StoryState, idx: int, vectors: Triple) -> None:
        """Add document `idx` (with its vectors under the current snapshot) to `story`."""
        if not story.members:
            pass  # a one-member story's centroid is its member's vectors (see `centroid`)
        elif not story.voices and self.is_voice(idx):
            # The first voice of a story of copies: the copies stop counting (rebuilt on next use).
            self._centroids.pop(story.story_id, None)
        elif self.is_voice(idx) or not story.voices:
            self._own_centroid(story).add(vectors)
        # else: a copy joining a story with voices leaves its centroid as it is
        self._place(story, idx)

    def attach(self, story: StoryState, idx: int) -> None:
        """Add document `idx` to `story` without touching centroids (a restore; they are rebuilt lazily)."""
        self._centroids.pop(story.story_id, None)
        self._place(story, idx)

    def _place(self, story: StoryState, idx: int) -> None:
        when = self.doc_time[idx]
        story.first = min(story.first, when)
        story.last = max(story.last, when)
        story.members.append(idx)
        if self.is_voice(idx):
            story.voices.append(idx)
        outlet = self.outlets[idx]
        if outlet:
            story.outlets.add(outlet)
        self.doc_story[idx] = story.story_id

    def detach(self, story: StoryState, idx: int) -> None:
        """Take document `idx` out of `story`; it is in no story after (see `retire` for an emptied story)."""
        story.members = array("i", [m for m in story.members if m != idx])
        if self.is_voice(idx):
            story.voices = array("i", [m for m in story.voices if m != idx])
        times = [self.doc_time[m] for m in story.members]
        if times:  # an emptied story keeps its old span until it is retired
            story.first, story.last = min(times), max(times)
        story.outlets = {o for o in (self.outlets[m] for m in story.members) if o}
        self._centroids.pop(story.story_id, None)
        self.doc_story[idx] = -1

    def merge(self, kept: StoryState, absorbed: StoryState) -> None:
        """Move every member of `absorbed` into `kept`."""
        for idx in absorbed.members:
            self.doc_story[idx] = kept.story_id
        kept.members.extend(absorbed.members)
        kept.voices.extend(absorbed.voices)
        kept.first = min(kept.first, absorbed.first)
        kept.last = max(kept.last, absorbed.last)
        kept.outlets |= absorbed.outlets
        del self.stories[absorbed.story_id]
        self._centroids.pop(absorbed.story_id, None)
        self._centroids.pop(kept.story_id, None)  # rebuilt from the members on next use

    def retire(self, story: StoryState) -> None:
        """Forget a story whose members all went elsewhere."""
        if story.members:
            raise ValueError(f"story {story.story_id} still has articles")
        self.stories.pop(story.story_id, None)
        self._centroids.pop(story.story_id, None)

    def evict_before(self, cutoff: float) -> int:
        """Forget candidate data of stories that ended before `cutoff` (their ids stay known); return count."""
        limit = self.bucket(cutoff)
        self._drop_postings_before(limit)  # floating postings have no time: `evict` prunes them
        return self.evict([sid for sid, story in self.stories.items() if story.last < cutoff])

    def evict(self, story_ids: Iterable[int]) -> int:
        """Forget these stories' candidate data (their ids stay known: `doc_story` keeps them).

        What a member keeps is a few numbers (its story, time, article id); its terms, shingles and
        fingerprint go, and its postings lead nowhere (candidates skip stories not in `stories`).
        """
        gone = 0
        for sid in story_ids:
            story = self.stories.pop(sid, None)
            if story is None:
                continue
            for idx in story.members:
                self.doc_floating[idx] = 0
                self.fingerprints[idx] = ""
                self.shingles[idx] = _NO_SHINGLES
                self.doc_ids[idx] = _NO_TERMS
                self.doc_counts[idx] = _NO_COUNTS
                self._vectors.pop(idx, None)
            self._centroids.pop(sid, None)
            gone += 1
        if gone:
            self._prune_floating()
            self.pairs.forget_shingles()
        return gone
