"""Independent voices: how many separate reports a story's outlets carry.

Wire copies and republications collapse into the report they copy: two articles are one report
when a good part of the shorter one's own words (outside quotation marks, since outlets quoting
the same statement is no copying) appears verbatim in the other, as runs of six words. The
clusterer's near-copy link (`syndicated_of`) counts too, and an outlet's several articles are one
voice, so a story never has more independent reports than outlets.

The share (0.3) was chosen on the even-numbered topics of ECB+ dev (pairs of articles about one
event): pairs sharing under ~0.2 of their own six-word runs were independent reports repeating a
police statement; pairs from 0.3 up were the same wire text, lightly edited. bench/eval_voices.py
reports both halves.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.news.models import StoredArticle
from bot.news.outlets import outlet_label

COPY_SHARE = 0.3  # of the shorter article's own six-word runs found verbatim in the other
MIN_SHARED = 8  # and at least this many: two short briefs sharing a sentence are not copies
RUN_WORDS = 6

_QUOTED = re.compile(r"\"[^\"\n]{0,600}\"|“[^”\n]{0,600}”")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Reports:
    """A story's articles grouped into independent reports, each led by its earliest article."""

    groups: list[list[StoredArticle]]

    @property
    def count(self) -> int:
        return len(self.groups)

    def copy_of(self) -> dict[int, StoredArticle]:
        """Article id -> the report's original, for articles of another outlet that repeat it."""
        out: dict[int, StoredArticle] = {}
        for group in self.groups:
            lead = group[0]
            for a in group[1:]:
                if outlet_label(a).casefold() != outlet_label(lead).casefold():
                    out[a.id] = lead
        return out


def own_runs(text: str) -> set[int]:
    """Hashes of the six-word runs of a text's own words (quoted passages left out)."""
    words = _WORD.findall(_QUOTED.sub(" | ", text).casefold())
    # zip over shifted views builds the runs in C: several times faster than slicing each one.
    return set(map(hash, zip(*(words[i:] for i in range(RUN_WORDS)), strict=False)))


def copies(a: set[int], b: set[int]) -> bool:
    """Whether two articles' own runs overlap like a copy and its original."""
    if not a or not b:
        return False
    shared = len(a & b)
    return shared >= MIN_SHARED and shared >= COPY_SHARE * min(len(a), len(b))


def _when(a: StoredArticle) -> tuple[object, int]:
    return (a.published or a.ingested_at, a.id)


def independent_reports(articles: Sequence[StoredArticle]) -> Reports:
    """The story's articles as independent reports (copies joined to what they copy)."""
    arts = sorted(articles, key=_when)
    if len({outlet_label(a).casefold() for a in arts}) < 2:
        return Reports([arts] if arts else [])  # one outlet is one voice: no texts to read
    parent = list(range(len(arts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)  # the earlier article leads

    index = {a.id: i for i, a in enumerate(arts)}
    by_outlet: dict[str, int] = {}
    for i, a in enumerate(arts):
        join(i, by_outlet.setdefault(outlet_label(a).casefold(), i))
        if a.syndicated_of in index:
            join(i, index[a.syndicated_of])
    runs = [own_runs(a.text) for a in arts]
    for i in range(len(arts)):
        for j in range(i):
            if find(i) != find(j) and copies(runs[i], runs[j]):
                join(i, j)
    groups: dict[int, list[StoredArticle]] = {}
    for i, a in enumerate(arts):
        groups.setdefault(find(i), []).append(a)
    return Reports([groups[k] for k in sorted(groups)])


@dataclass(frozen=True)
class Voices:
    """What a story shows of its reports: how many, and which article repeats which (by ref)."""

    count: int
    copy_of: dict[str, str]  # article ref -> ref of the report it repeats


class VoiceCounter:
    """`independent_reports` with a memory of the last stories counted: a story card asked for
    again (or a listing paged through) does not read its texts again until an article changes.

    Held by the StoryKeeper (one per desk); stories are built on the event loop and in threads,
    hence the lock."""

    def __init__(self, size: int = 2000) -> None:
        self.size = size
        self._seen: OrderedDict[tuple[tuple[int, int], ...], Voices] = OrderedDict()
        self._lock = threading.Lock()

    def count(self, articles: Sequence[StoredArticle]) -> Voices:
        key = tuple(sorted((a.id, a.version) for a in articles))
        with self._lock:
            found = self._seen.get(key)
            if found is not None:
                self._seen.move_to_end(key)
                return found
        reports = independent_reports(articles)
        voices = Voices(reports.count, {a: lead.ref for a, lead in _refs(reports, articles).items()})
        with self._lock:
            self._seen[key] = voices
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)
        return voices


def _refs(reports: Reports, articles: Sequence[StoredArticle]) -> dict[str, StoredArticle]:
    ref_of = {a.id: a.ref for a in articles}
    return {ref_of[aid]: lead for aid, lead in reports.copy_of().items()}
