"""The clustering index's inverted index: documents findable by their heaviest terms, by time bucket.

Split out of `_index.py` (documents, stories, centroids) to keep each file small: this is the
inverted half, a base class of `StoryIndex`, which owns the attributes declared here.

Postings are kept twice over. By (time bucket, term), for the articles within a window of a time
(nearly every article asks that); and by term alone, for the undated article that looks at every
time: it then reads one list per query term rather than one per bucket holding the term (over a
year of news, a term is in hundreds of buckets and each holds a posting or two).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable

_BUCKET_SHIFT = 32
_FLOATING_BUCKET = -(1 << 24)  # postings of floating documents: no time bucket is this early

# (time bucket, the terms posted there) of one posting of a document
Posting = tuple[int, list[int]]


class PostingIndex:
    """Posting and looking up documents by term and time (see the module docstring)."""

    bucket_hours: float
    doc_time: array[float]
    doc_floating: bytearray

    def __init__(self) -> None:
        # Arrays, not lists: no GC tracking for a million small lists.
        self._postings: dict[int, array[int]] = {}  # (bucket << _BUCKET_SHIFT | term id) -> documents
        # Term id -> documents posted under it, at any time (`candidates_anytime`). A document posted
        # twice (a floating one, redated: in its arrival bucket, then in its new one) is not here
        # but in `_posted_twice`, as its sum must add its terms bucket by bucket.
        self._term_docs: dict[int, array[int]] = {}
        self._first_post: dict[int, Posting] = {}  # floating documents: their one posting so far
        self._posted_twice: dict[int, list[Posting]] = {}
        self._floating_keys: set[int] = set()  # postings keys of the floating bucket

    def bucket(self, when: float) -> int:
        """The time bucket of an hour value."""
        return math.floor(when / self.bucket_hours)

    def post(self, idx: int, term_ids: Iterable[int]) -> None:
        """Make document `idx` findable by these terms in its time bucket."""
        bucket = self.bucket(self.doc_time[idx])
        base = bucket << _BUCKET_SHIFT
        postings = self._postings
        terms = list(term_ids)
        for tid in terms:
            key = base | tid
            hits = postings.get(key)
            if hits is None:
                postings[key] = array("i", (idx,))
            else:
                hits.append(idx)
        if idx in self._first_post or idx in self._posted_twice:
            self._post_again(idx, (bucket, terms))
            return
        if self.doc_floating[idx]:  # it may be posted again when a dated page gives it a time
            self._first_post[idx] = (bucket, terms)
        term_docs = self._term_docs
        for tid in terms:
            docs = term_docs.get(tid)
            if docs is None:
                term_docs[tid] = array("i", (idx,))
            else:
                docs.append(idx)

    def _post_again(self, idx: int, posting: Posting) -> None:
        """A document posted in a second bucket: out of `_term_docs`, into `_posted_twice`."""
        first = self._first_post.pop(idx, None)
        if first is not None:
            for tid in first[1]:
                self._term_docs[tid].remove(idx)
            self._posted_twice[idx] = [first]
        self._posted_twice.setdefault(idx, []).append(posting)

    def candidates(
        self, query: Iterable[tuple[int, float]], when: float, window: float, beyond: float = -1.0
    ) -> dict[int, float]:
        """Documents within `window` hours of `when` (and more than `beyond` hours away) sharing
        query terms, scored by the shared weight."""
        scores: dict[int, float] = {}
        score = scores.get
        terms = list(query)
        doc_time = self.doc_time
        find = self._postings.get
        inner = (self.bucket(when - beyond) + 1, self.bucket(when + beyond)) if beyond > 0 else (1, 0)
        for bucket in range(self.bucket(when - window), self.bucket(when + window) + 1):
            if inner[0] <= bucket < inner[1]:
                continue  # wholly within `beyond`: nothing there is far enough
            base = bucket << _BUCKET_SHIFT
            for tid, w in terms:
                hits = find(base | tid)
                if hits is None:
                    continue
                for idx in hits:
                    if beyond < abs(doc_time[idx] - when) <= window:
                        scores[idx] = score(idx, 0.0) + w
        return scores

    def candidates_anytime(self, query: Iterable[tuple[int, float]]) -> dict[int, float]:
        """Documents of any time sharing query terms, scored by the shared weight (undated articles).

        Each document's sum adds its terms in the order a scan of every bucket would (by bucket,
        then term), so the sums are the very same floats: term by term for a document posted in one
        bucket, bucket by bucket for one posted in two (`_posted_twice`).
        """
        terms = list(query)
        scores: dict[int, float] = {}
        score = scores.get
        docs_of = self._term_docs.get
        for tid, w in terms:
            for idx in docs_of(tid, ()):
                scores[idx] = score(idx, 0.0) + w
        if self._posted_twice:
            pos_of = {tid: pos for pos, (tid, _) in enumerate(terms)}
            for idx, posted in self._posted_twice.items():
                visits = sorted((b, pos_of[t]) for b, tids in posted for t in tids if t in pos_of)
                total = 0.0
                for _, pos in visits:
                    total += terms[pos][1]
                if visits:
                    scores[idx] = total
        return scores

    def post_floating(self, idx: int, term_ids: Iterable[int]) -> None:
        """Also make a floating document findable from any time (`floating_hits`)."""
        base = _FLOATING_BUCKET << _BUCKET_SHIFT
        for tid in term_ids:
            hits = self._postings.get(base | tid)
            if hits is None:
                self._postings[base | tid] = array("i", (idx,))
                self._floating_keys.add(base | tid)
            else:
                hits.append(idx)

    def floating_hits(self, query: Iterable[tuple[int, float]]) -> dict[int, float]:
        """Floating documents sharing query terms, scored by the shared weight."""
        scores: dict[int, float] = {}
        base = _FLOATING_BUCKET << _BUCKET_SHIFT
        for tid, w in query:
            for idx in self._postings.get(base | tid, ()):
                if self.doc_floating[idx]:
                    scores[idx] = scores.get(idx, 0.0) + w
        return scores

    def _drop_postings_before(self, limit: int) -> None:
        """Forget the postings of time buckets before `limit` (floating ones have no time)."""
        for key in [key for key in self._postings if _FLOATING_BUCKET < (key >> _BUCKET_SHIFT) < limit]:
            del self._postings[key]
        bucket, doc_time = self.bucket, self.doc_time
        for tid, docs in list(self._term_docs.items()):
            # A document in `_term_docs` was posted once, in the bucket of its time.
            kept = array("i", (idx for idx in docs if bucket(doc_time[idx]) >= limit))
            if kept:
                self._term_docs[tid] = kept
            else:
                del self._term_docs[tid]
        for idx, posted in list(self._posted_twice.items()):
            self._posted_twice[idx] = [p for p in posted if p[0] >= limit]
        for idx, first in list(self._first_post.items()):
            if first[0] < limit:
                del self._first_post[idx]  # nothing left to take out of `_term_docs`

    def _prune_floating(self) -> None:
        """Drop floating postings of documents that no longer float (dated or evicted)."""
        for key in list(self._floating_keys):
            kept = array("i", (idx for idx in self._postings[key] if self.doc_floating[idx]))
            if kept:
                self._postings[key] = kept
            else:
                del self._postings[key]
                self._floating_keys.discard(key)
