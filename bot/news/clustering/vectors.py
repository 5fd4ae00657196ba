"""Sparse TF-IDF vectors over an incrementally grown vocabulary, and a document's serialisable features."""

from __future__ import annotations

import json
import math
from array import array
from collections import Counter
from dataclasses import dataclass

Vector = dict[int, float]  # term id -> weight, L2-normalised for documents

_FORMAT = 1


class Vocabulary:
    """Term ids and document frequencies, grown one document at a time (no fitting pass)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self.words: list[str] = []
        self._df = array("i")  # body-term document frequency by id
        self._edf = array("i")  # entity document frequency by id
        self.docs = 0

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
            self._edf.append(0)
        return tid

    def get(self, word: str) -> int | None:
        """The id of `word` if it has been seen."""
        return self._ids.get(word)

    def count(self, terms: list[str], entities: list[str]) -> None:
        """Count one more document containing these body terms and entity tokens."""
        self.docs += 1
        for word in terms:
            self._df[self.id_of(word)] += 1
        for word in entities:
            self._edf[self.id_of(word)] += 1

    def idf(self, tid: int, entity: bool = False) -> float:
        """Smoothed inverse document frequency; unseen terms get the highest value."""
        df = (self._edf if entity else self._df)[tid] if tid < len(self.words) else 0
        return math.log((1.0 + self.docs) / (1.0 + df)) + 1.0

    def weigh(self, counts: dict[str, int], entity: bool = False) -> dict[str, float]:
        """Sublinear TF-IDF weights of `counts`, L2-normalised."""
        out: dict[str, float] = {}
        for word, tf in counts.items():
            tid = self._ids.get(word)
            idf = self.idf(tid, entity) if tid is not None else math.log(1.0 + self.docs) + 1.0
            out[word] = (1.0 + math.log(tf)) * idf
        return normalise(out)


def normalise(weights: dict[str, float]) -> dict[str, float]:
    """Scale to unit length (empty stays empty)."""
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if norm == 0.0:
        return {}
    return {word: round(w / norm, 5) for word, w in weights.items()}


def dot(small: Vector, big: Vector) -> float:
    """Inner product of two sparse vectors (iterate over the shorter one)."""
    if len(small) > len(big):
        small, big = big, small
    get = big.get
    return sum(w * get(t, 0.0) for t, w in small.items())


def norm(vector: Vector) -> float:
    """Euclidean length."""
    return math.sqrt(sum(w * w for w in vector.values()))


@dataclass(slots=True)
class DocFeatures:
    """What clustering keeps of one article: weighted terms, entities, headline terms, a text fingerprint.

    Weights are frozen at ingest time (with the document frequencies of that moment), so a rebuilt
    index holds exactly the vectors the live one held.
    """

    terms: dict[str, float]
    entities: dict[str, float]
    headline: dict[str, float]
    fingerprint: str

    def to_json(self) -> str:
        """Compact JSON for the database."""
        return json.dumps(
            {"v": _FORMAT, "t": self.terms, "e": self.entities, "h": self.headline, "f": self.fingerprint},
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
        return cls(
            terms={str(k): float(v) for k, v in data["t"].items()},
            entities={str(k): float(v) for k, v in data["e"].items()},
            headline={str(k): float(v) for k, v in data["h"].items()},
            fingerprint=str(data["f"]),
        )


def to_ids(vocab: Vocabulary, weights: dict[str, float]) -> Vector:
    """Word-keyed weights -> id-keyed vector (allocating ids)."""
    return {vocab.id_of(word): w for word, w in weights.items()}


def capped(counts: Counter[str], limit: int) -> dict[str, int]:
    """Keep the `limit` most frequent entries (ties: earliest in the text)."""
    return dict(counts.most_common(limit))
