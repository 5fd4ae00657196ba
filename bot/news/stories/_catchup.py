"""Catching a process's story index up with what other processes placed since it last looked.

Several processes cluster into one database (feed workers on PostgreSQL, a CLI run beside the
bot), one at a time under the writer lock. Each placement writes a row to the change log
(`story_log`, schema v9) in its own transaction; a process remembers the last sequence number it
has seen and, under the writer lock, reads only the rows after it.

Why a log rather than comparing article counts or ids: the log says *what kind* of change each
placement was. Most placements only add an article to a story (or start one); those are applied
here exactly as `StoryClusterer.restore` applies a stored row — counted into the vocabulary,
added, attached and posted under the same IDF snapshot — so, applied in article-id order after an
index that was itself restored, the result is the index a full rebuild would give (the same
vocabulary snapshots, members, postings and next story id). A placement that also merged, moved
or retired stories (`regroup` rows) changes only which story earlier articles are in: the row
names the stories it changed (v10), the index reads those stories' articles' story ids (two
integers a row, no features; every article that changed story is in one of them now, so the cost
follows the change, not the database) and rebuilds the stories that changed as a restore would
lay them out (members in id order; the other stories are left as they are, not re-sorted: see
`restate`). What changes earlier postings — a redate of undated files — or anything out of order
(an article id below what the index holds: a repair of an interrupted run), or a placement into a
story this index no longer matches (evicted), rebuilds the index as before.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import RowMapping

from bot.news.stories._clusterer import ClusterDoc, StoryClusterer, _hours
from bot.news.stories._vectors import DocFeatures


@dataclass(frozen=True, slots=True)
class CatchUp:
    """What the log says to do: apply these articles' placements, or rebuild (`article_ids` None)."""

    last_seq: int
    article_ids: list[int] | None
    reason: str = ""
    regrouped: bool = False  # another process moved earlier articles between stories (see `restate`)
    # The stories those regroupings changed (every moved article is in one of them now); None
    # when a regroup row does not say (written before v10): then every placed article is read.
    changed: frozenset[int] | None = frozenset()


def plan(
    rows: Sequence[RowMapping],
    writer: str,
    last_article: int,
    place_kind: str,
    stories_of: Callable[[RowMapping], set[int] | None],
    held: Callable[[int], bool] = lambda article_id: False,
) -> CatchUp:
    """Decide from log rows (after the last one seen) whether they can be applied incrementally;
    `stories_of` reads the stories a regroup row names (`StoryLogRepo.stories_of`).

    `held`: whether the index holds an article already. A rebuild reads the log position, then
    the articles; one taken early (before the writer lock: `StoryKeeper.sync`) may read articles
    another writer committed in between, whose log rows come after the position: those are in
    the index as a restore lays them out, so they are not added again (what their regroupings
    changed is still read: `restate` finds it in place, or what changed since).
    """
    last_seq = max(int(r["seq"]) for r in rows)
    others: list[int] = []
    another = False  # a row of another writer came
    regrouped = False
    changed: set[int] | None = set()
    for r in rows:
        if r["writer"] == writer:
            if another:  # ours after another's: written without the lock, the order is not ours
                return CatchUp(last_seq, None, "interleaved writers")
            continue  # our own placement: already in the index
        another = True
        if r["kind"] != place_kind:
            regrouped = True
            named = stories_of(r)
            changed = None if changed is None or named is None else changed | named
        if not held(int(r["article_id"])):
            others.append(int(r["article_id"]))
    if others and (min(others) <= last_article or others != sorted(set(others))):
        # A restore reads rows in id order: an earlier id placed late (a repair) would count into
        # the vocabulary at another place than here.
        return CatchUp(last_seq, None, "placements out of article order")
    return CatchUp(
        last_seq, others, regrouped=regrouped, changed=None if changed is None else frozenset(changed)
    )


def holds(clusterer: StoryClusterer) -> Callable[[int], bool]:
    """Whether the index holds an article (by id): `plan`'s `held`."""
    return clusterer._index.by_article.__contains__


def article_time(
    published: datetime | None, ingested_at: datetime, story_time: datetime | None = None
) -> datetime:
    """When an article happened, for its story: the time clustering gave it, else its date, else
    when it arrived (an undated article takes the time of the story it matched: see ClusterDoc)."""
    return story_time or published or ingested_at


def cluster_doc(r: RowMapping) -> ClusterDoc:
    """A stored row (`cluster_state` columns) as the clusterer restores it."""
    return ClusterDoc(
        article_id=r["id"],
        title=r["title"],
        text=r["text"],
        outlet=r["outlet"],
        when=article_time(r["published"], r["ingested_at"], r["story_time"]),
        # Undated, not from a feed and given no time yet: it floats (see ClusterDoc).
        dated=r["published"] is not None or r["feed_id"] is not None or r["story_time"] is not None,
    )


def extend(clusterer: StoryClusterer, rows: Sequence[RowMapping], next_story_id: int) -> bool:
    """Append stored placements (article-id order) to a restored index as `restore` would add them.

    Returns False, having changed nothing, when one goes to a story this index knows but no longer
    matches (evicted, or merged away): the caller rebuilds. This mirrors the loop of
    `StoryClusterer.restore` (its non-evicted branch); it reaches into the clusterer's parts
    because the clustering modules are tuned elsewhere and restore must stay the one definition
    of a stored row's meaning: a change there must be made here too (the catch-up tests compare
    the two).
    """
    index = clusterer._index
    gone = _GoneHere(clusterer)
    for r in rows:
        sid = r["story_id"]
        if sid is None or gone(int(sid)):
            return False
        if int(r["id"]) in index.by_article:
            return False
    for r in rows:
        doc = cluster_doc(r)
        story_id = int(r["story_id"])
        raw = r["cluster_features"]
        features = DocFeatures.from_json(raw) if raw else None
        if features is None:  # stored by an older format or not at all: analyse again
            features = clusterer._features(doc)
        when = _hours(doc.when)
        packed = clusterer._vocab.count(features)
        idx = index.add_doc(
            doc.article_id,
            when,
            packed,
            r["syndicated_of"],
            features.fingerprint,
            features.shingles,
            doc.outlet,
            floating=not doc.dated,
        )
        story = index.stories.get(story_id) or index.new_story(story_id, when)
        index.attach(story, idx)
        clusterer._post(idx)
        clusterer._next_id = max(clusterer._next_id, story_id + 1)
    clusterer._next_id = max(clusterer._next_id, next_story_id)
    return True


def restate(clusterer: StoryClusterer, placed: Sequence[RowMapping]) -> bool:
    """Put every indexed article in the story the database now says (rows: id, story_id,
    story_time), laying the changed stories out as a restore would.

    Returns False, having changed nothing, when that needs a rebuild: an undated article given a
    time (its postings would be in another time bucket), or an article of a story this index has
    evicted, or one sent to a story it no longer matches.

    Only the stories an article left or entered are laid out again: the cost follows the change,
    not the number of stories held. A story that is still there keeps its place in
    `index.stories` (one that is new here goes last, one emptied goes): that order decides
    nothing (the index only looks stories up by id; `test_story_order_decides_nothing`), so it
    is not re-sorted into a restore's (first member) order, which cost a sort of every live story
    per catch-up.
    """
    index = clusterer._index
    changed: list[tuple[int, int]] = []
    for r in placed:
        idx = index.by_article.get(int(r["id"]))
        if idx is None or r["story_id"] is None:
            continue
        if index.doc_floating[idx] and r["story_time"] is not None:
            return False  # redated
        sid = int(r["story_id"])
        if index.doc_story[idx] != sid:
            if index.doc_story[idx] not in index.stories:
                return False  # evicted here
            changed.append((idx, sid))
    if not changed:
        return True
    gone = _GoneHere(clusterer)
    if any(gone(sid) for _, sid in changed):
        return False  # into a story evicted here
    touched = {int(index.doc_story[idx]) for idx, _ in changed} | {sid for _, sid in changed}
    arriving: dict[int, list[int]] = {}
    for idx, sid in changed:
        index.doc_story[idx] = sid
        arriving.setdefault(sid, []).append(idx)
    for sid in sorted(touched):  # new stories go last in id order, whatever the set's order
        old = index.stories.get(sid)
        members = {m for m in (old.members if old else ()) if index.doc_story[m] == sid}
        members.update(arriving.get(sid, ()))
        index._centroids.pop(sid, None)
        if not members:
            index.stories.pop(sid, None)  # emptied: merged away or retired
            continue
        ordered = sorted(members)
        # `new_story` over a story still there replaces it in its place in `index.stories`.
        story = index.new_story(sid, index.doc_time[ordered[0]])
        for m in ordered:
            index.attach(story, m)
        clusterer._next_id = max(clusterer._next_id, sid + 1)
    return True


class _GoneHere:
    """Whether a story id names a story this index holds articles of but no longer matches
    (evicted: a restore would lay it out anew), as `extend` and `restate` must refuse.

    An id below the index's next one that it holds no article of is not that: the clusterer hands
    out ids for stories it then drops in the same placement (a fresh story absorbed at once, one
    born and emptied by a repair), which are never stored, so the next writer, starting from the
    database's largest id, hands that id out for a story of its own. Refusing it rebuilt the whole
    index after most of another worker's batches (bench_workers: 11 rebuilds in 2,000 articles
    with 2 workers, each one costing every stored article). A story merged away here has no
    article left in it either, and the database never places into it again (ids are not reused).
    """

    def __init__(self, clusterer: StoryClusterer) -> None:
        self.index = clusterer._index
        self.known_next = clusterer._next_id
        self._held: set[int] | None = None  # story ids of every indexed article, on first need

    def __call__(self, story_id: int) -> bool:
        if story_id >= self.known_next or story_id in self.index.stories:
            return False
        if self._held is None:
            self._held = set(self.index.doc_story)
        return story_id in self._held


def apply_catch_up(
    clusterer: StoryClusterer,
    stories: Sequence[RowMapping],
    placed: Sequence[RowMapping],
    next_story_id: int,
    parts: dict[str, float],
) -> bool:
    """Apply others' regroupings (`stories`) then placements (`placed`) to the index, adding the
    wall time of each to `parts`; False: rebuild instead. Runs off the event loop."""
    # `restate` first: `extend` must see the stories as they are now (a new article may have
    # joined a story an earlier article moved into).
    t0 = time.perf_counter()
    if not restate(clusterer, stories):
        return False
    t1 = time.perf_counter()
    parts["restate"] += t1 - t0
    done = extend(clusterer, placed, next_story_id)
    parts["extend"] += time.perf_counter() - t1
    return done
