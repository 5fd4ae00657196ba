"""Term counts, document frequencies with deterministic IDF snapshots, and sparse vector helpers."""

from __future__ import annotations

import base64
import json
import math
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import itemgetter

Vector = dict[int, float]  # term id -> weight
Counts = dict[str, int]

_FORMAT = 2
_GROUPS = 3  # body terms, entity tokens, headline terms
_MAX_COUNT = 255
_INT = frozenset((int,))
_TF = [0.0] + [1.0 + math.log(n) for n in range(1, _MAX_COUNT + 1)]  # sublinear term frequency
# Unseen documents the IDF assumes besides the ones counted (none of them holding any counted word).
# Without them a young index misreads its few articles: in a fresh database holding one event's
# first reports, the event's own names and words are in every article and weigh least, below each
# outlet's incidental words, so reports of one event score under the join bar and split. A handful
# of unseen documents keeps a word found in all of five articles from reading as common; past a few
# hundred articles they shift every weight by about the same amount and change no decision.
# Chosen on the odd-numbered compare_dev events and ECB+ dev topics (1, 2, 5, 10, 20, 40, 100):
# 5 is the smallest that keeps the odd events whole and leaves every ECB+ figure as it was.
PRIOR_DOCS = 5.0  # see tests/baselines/clustering.json: the time penalty rose with it


@dataclass(slots=True)
class DocFeatures:
    """What clustering keeps of one article: term, entity and headline counts, and a text fingerprint.

    Counts rather than weights: weights depend on document frequencies, which keep changing.
    """

    terms: Counts
    entities: Counts
    headline: Counts
    fingerprint: str
    shingles: list[int]
    # `to_json`'s answer once asked (an ingest worker asks, so the writer need not encode).
    encoded: str | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> str:
        """Compact JSON for the database (shingle hashes as base64 of packed 32-bit ints)."""
        if self.encoded is None:
            self.encoded = self._encode()
        return self.encoded

    def _encode(self) -> str:
        packed = base64.b64encode(array("I", self.shingles).tobytes()).decode("ascii")
        return json.dumps(
            {
                "v": _FORMAT,
                "t": self.terms,
                "e": self.entities,
                "h": self.headline,
                "f": self.fingerprint,
                "s": packed,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str) -> DocFeatures | None:
        """Parse `to_json` output; None when the format is unknown (the caller re-analyses the text)."""
        try:
            data = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("v") != _FORMAT:
            return None
        try:
            terms, entities, headline = data["t"], data["e"], data["h"]
            # The parsed counts are the features as written: checked, not copied (`json` gives
            # string keys; a count must be an int, as `to_json` wrote it).
            if not all(
                type(g) is dict and set(map(type, g.values())) <= _INT for g in (terms, entities, headline)
            ):
                return None
            return cls(
                terms=terms,
                entities=entities,
                headline=headline,
                fingerprint=str(data["f"]),
                shingles=_unpack(str(data["s"])),
                encoded=raw,  # what `to_json` gives for these features (it wrote `raw`)
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


def _unpack(raw: str) -> list[int]:
    hashes = array("I")
    hashes.frombytes(base64.b64decode(raw))
    return hashes.tolist()


def capped(counts: Mapping[str, int], limit: int) -> Counts:
    """Keep the `limit` most frequent entries (ties: earliest in the text).

    What `Counter.most_common(limit)` keeps, in its order (a stable sort, cheaper than its heap).
    """
    ranked = sorted(counts.items(), key=itemgetter(1), reverse=True)
    return dict(ranked[:limit] if len(ranked) > limit else ranked)


class Vocabulary:
    """Term ids and document frequencies, grown one document at a time.

    Weights use a snapshot of the frequencies taken when the document count reaches the next step of
    a geometric schedule (every document at first, then every ~10% growth). Between steps the weights
    do not move, so story centroids stay valid, and a vocabulary rebuilt from the same documents in
    the same order holds the very same snapshot.
    The IDF counts `PRIOR_DOCS` unseen documents besides the counted ones, so a young index (a fresh
    database holding one event's first reports) does not weigh that event's own words least.
    """

    def __init__(self, growth: float = 1.1) -> None:
        self._ids: dict[str, int] = {}
        self.words: list[str] = []
        self._df = array("i")
        self._idf: list[float] = []  # by id, from the snapshot (the unseen IDF for newer ids)
        self._unseen_idf = 1.0
        self._growth = growth
        self.docs = 0
        self.epoch = 0
        self._next_snapshot = 1

    def __len__(self) -> int:
        return len(self.words)

    def id_of(self, word: str) -> int:
        """The id of `word`, allocated on first sight."""
        tid = self._ids.get(word)
        if tid is None:
            tid = len(self.words)
            self._ids[word] = tid
            self.words.append(word)
            self._df.append(0)
            # Unseen by the current snapshot: weighed as a word in no counted document until the
            # next one (an entry per id spares `vectors` a bounds test per term).
            self._idf.append(self._unseen_idf)
        return tid

    def count(self, features: DocFeatures) -> tuple[array[int], array[int]]:
        """Count one more document; return its packed (ids, counts) for the three feature groups.

        The ids array starts with the three group lengths; counts follow the same order.
        """
        self.docs += 1
        terms, entities, headline = features.terms, features.entities, features.headline
        words = [*terms, *entities, *headline]
        tids = list(map(self._ids.get, words))
        if None in tids:  # words never seen before: allocated in order, as one by one would
            tids = list(map(self.id_of, words))
        ids = array("i", (len(terms), len(entities), len(headline)))
        ids.extend(tids)  # type: ignore[arg-type]  # no None left
        values = [*terms.values(), *entities.values(), *headline.values()]
        if values and max(values) > _MAX_COUNT:
            values = [n if n < _MAX_COUNT else _MAX_COUNT for n in values]
        counts = array("B", values)
        df = self._df
        for tid in set(ids[3:]):  # each term once per document (order does not matter: counts)
            df[tid] += 1
        if self.docs >= self._next_snapshot:
            self._take_snapshot()
        return ids, counts

    def _take_snapshot(self) -> None:
        log = math.log
        base = 1.0 + self.docs + PRIOR_DOCS
        self._idf = [log(base / (1.0 + df)) + 1.0 for df in self._df]
        self._unseen_idf = log(base) + 1.0
        self.epoch += 1
        self._next_snapshot = max(self.docs + 1, math.floor(self.docs * self._growth))

    def idf(self, tid: int) -> float:
        """Smoothed inverse document frequency from the current snapshot."""
        return self._idf[tid] if tid < len(self._idf) else self._unseen_idf

    def vectors(self, ids: array[int], counts: array[int]) -> tuple[Vector, Vector, Vector]:
        """Unit-length sublinear TF-IDF vectors of a packed document, one per feature group.

        A document is weighed again at every snapshot (its story's centroid, its pairs), so this is
        kept lean: the IDF list has an entry for every id (see `id_of`), and each group's weights
        are one list, summed as squares term by term (the same floats as a plain loop).
        """
        out: list[Vector] = []
        pos = 3
        idf = self._idf
        tf = _TF
        for g in range(_GROUPS):
            end = pos + ids[g]
            tids = ids[pos:end]
            weights = [tf[c] * idf[tid] for tid, c in zip(tids, counts[pos - 3 : end - 3], strict=True)]
            total = 0.0
            for w in weights:
                total += w * w
            if total > 0.0:
                scale = 1.0 / math.sqrt(total)
                out.append(dict(zip(tids, [w * scale for w in weights], strict=True)))
            else:
                out.append(dict(zip(tids, weights, strict=True)))
            pos = end
        return out[0], out[1], out[2]
