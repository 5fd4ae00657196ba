"""Cross-outlet quote matching: one group per statement, word-level diffs, fragments, translations.

Two quotes from different articles are one statement when their words mostly agree ("Chasing this
illusory goal …" / "Pursuing this illusory goal …"), or when one is a fragment of the other
("unrealistic objective" inside a longer quote). Two groups are linked as translations of one
statement only on strong evidence: the same named speaker, most content words shared, and either a
long shared vocabulary or a neighbouring quote of the same speaker that matches too (the same
occasion). Speakers that differ never match.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from rapidfuzz import fuzz

from bot.news.models import Quote, QuoteGroup, QuoteOccurrence
from bot.news.quotes._speakers import SpeakerIndex
from bot.news.quotes._wording import FRAGMENT, JOINT, best_window, rejoin, shared_run, word_diff
from bot.news.text import word_set

_WORDS = re.compile(r"[\w’']+")
# Function words carry no meaning of their own when comparing translations.
_STOP = word_set("""
    a an the and or but of to in on at for with by from as is are was were be been being it its this that
    these those we our us you your he his him she her they their them i me my not no than more most very
    will would can could should may might must do does did have has had so if then there here all any
    just also only about into over up out what which who whom how when where why let let's lets
    """)
_SPACED_APOSTROPHE = re.compile(r"(\w) [’'] (\w)")
_SAME_WORDING = 0.72  # word-sequence similarity for one statement worded differently
_LONG_ENOUGH = 5  # words: a run this long, word for word, is one statement whoever is credited


@dataclass
class Item:
    """One quote of one article, prepared for matching."""

    source: int
    ref: str
    outlet: str | None
    quote: Quote
    speaker: str | None  # story-level canonical
    words: list[str]  # normalised words
    published: datetime | None = None
    order: int = 0  # position among the article's quotes

    vocabulary: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.vocabulary = frozenset(self.words)

    @property
    def norm(self) -> str:
        return " ".join(self.words)

    @cached_property
    def sentences(self) -> frozenset[str]:
        """The quote's whole sentences of 4+ words, normalised: once per item, not once per pair
        compared (per pair, this was three quarters of a 20-article story's /quotes CPU)."""
        parts = (normalise(p) for p in _SENTENCE_END.split(self.quote.text))
        return frozenset(" ".join(p) for p in parts if len(p) >= _SENTENCE_WORDS)


@dataclass
class _Group:
    items: list[Item] = field(default_factory=list)

    @property
    def longest(self) -> Item:
        return max(self.items, key=lambda it: len(it.words))

    @property
    def speaker(self) -> str | None:
        named = Counter(it.speaker for it in self.items if it.speaker)
        return named.most_common(1)[0][0] if named else None

    def sources(self) -> set[int]:
        return {it.source for it in self.items}


def normalise(text: str) -> list[str]:
    """Lower-case words with typographic apostrophes unified."""
    text = _SPACED_APOSTROPHE.sub(r"\1'\2", text.lower())  # tokenized "we ’ ll" is "we'll"
    return [w.replace("’", "'").strip("'") for w in _WORDS.findall(text) if w.strip("'’")]


def same_statement(a: Item, b: Item) -> bool:
    """Whether two quotes are one statement: same wording give or take, or a fragment of the other.

    The words decide, whoever they are credited to: one outlet may credit the mayor and another
    the fire chief with the same sentence (the group then says so). Short fragments, whose words
    prove little, still need the same named speaker.
    """
    credited_apart = bool(a.speaker and b.speaker and a.speaker != b.speaker)
    if not a.words or not b.words:
        return False
    short, long_ = (a, b) if len(a.words) <= len(b.words) else (b, a)
    if credited_apart and len(short.words) < _LONG_ENOUGH:
        return False
    if a.speaker and a.speaker == b.speaker and a.source != b.source and _shared_sentence(a, b):
        return True  # two excerpts of one statement that overlap ("A? B." and "B… C.")
    if len(short.vocabulary & long_.vocabulary) < 0.5 * len(short.vocabulary):
        return False  # too few words in common for either test below
    if len(short.words) >= 0.6 * len(long_.words):
        ratio = difflib.SequenceMatcher(None, a.words, b.words, autojunk=False).ratio()
        if ratio >= _SAME_WORDING:
            return True
    if len(short.words) == 1:
        # A one-word fragment ("unrealistic") only with a named speaker who is the same.
        return bool(
            a.speaker and a.speaker == b.speaker and short.words[0] in long_.words and len(short.words[0]) > 3
        )
    if len(short.words) <= 3 and not (a.speaker and a.speaker == b.speaker):
        return False
    if shared_run(short.words, long_.words) >= max(_LONG_ENOUGH, 0.6 * len(short.words)):
        return True  # "Tonight was a peaceful vigil that devolved into a riot" inside a longer quote
    window = best_window(short.words, long_.words)
    return fuzz.ratio(short.norm, " ".join(window)) >= FRAGMENT


_SENTENCE_END = re.compile(r"[.!?…]+")
_SENTENCE_WORDS = 4  # a whole sentence this long, word for word, is one statement's


def _shared_sentence(a: Item, b: Item) -> bool:
    """Whether two quotes hold one whole sentence in common, word for word."""
    return not a.sentences.isdisjoint(b.sentences)


def _aligned_base(group_text: str, item: Item) -> str:
    """The part of the group's text an occurrence corresponds to (all of it, or a fragment's window)."""
    words = group_text.split()
    norm = [" ".join(normalise(w)) for w in words]
    plain = [w for w in norm if w]
    n = len(item.words)
    if n < len(plain) and any(plain[k : k + n] == item.words for k in range(len(plain) - n + 1)):
        window = item.words  # word for word a part of it: a fragment, however long, not a rewording
    elif n >= 0.6 * len(plain):
        return group_text
    else:
        window = best_window(item.words, plain)
    if not window:
        return group_text
    # Map the normalised window back onto the original words.
    keep = [i for i, w in enumerate(norm) if w]
    for start in range(len(keep) - len(window) + 1):
        if [norm[keep[start + k]] for k in range(len(window))] == window:
            return " ".join(words[keep[start] : keep[start + len(window) - 1] + 1])
    return group_text


def cluster(items: Sequence[Item]) -> list[_Group]:
    """Group items: longest quotes first, each later quote joins the group it matches best.

    A passage two outlets excerpt differently ("A. B." and "A. C.") is one statement when a third
    carries the part they share ("A."): the groups it matches are joined. Renderings of one
    statement in other words by the same speaker are joined at the end (`_join_renderings`).
    """
    groups: list[_Group] = []
    for item in sorted(items, key=lambda it: (-len(it.words), it.source, it.order)):
        best: _Group | None = None
        matched: list[_Group] = []
        for group in groups:
            if any(same_statement(item, member) for member in group.items):
                matched.append(group)
                if item.source in group.sources() and any(m.norm == item.norm for m in group.items):
                    best = group  # the same words again in one article: one occurrence is enough
                    break
                if best is None or len(group.sources()) > len(best.sources()):
                    best = group
        if best is None:
            groups.append(_Group([item]))
            continue
        if len(item.words) >= _LONG_ENOUGH:
            for other in matched:
                if other is not best:
                    best.items.extend(other.items)
                    groups.remove(other)
        if not any(m.source == item.source and m.norm == item.norm for m in best.items):
            best.items.append(item)
    return _join_renderings(groups)


_RENDERING_JACCARD = 0.6  # content words shared by two renderings of one statement …
_RENDERING_ORDER = 0.5  # … or their words in the same order


def _renderings(a: Item, b: Item) -> bool:
    """Two renderings of one statement by one named speaker in other words ("the whole roof was
    ablaze" / "the entire roof was engulfed in flame"; two translations): most content words shared,
    or most words in the same order, lengths alike."""
    if not (a.speaker and a.speaker == b.speaker) or a.source == b.source:
        return False
    ca, cb = _content(a.words), _content(b.words)
    shared, jaccard = _overlap(ca, cb)
    if shared >= 4 and jaccard >= _RENDERING_JACCARD:
        return True
    short, long_ = sorted((len(a.words), len(b.words)))
    if shared < 3 or short < 6 or short < 0.6 * long_:
        return False
    return difflib.SequenceMatcher(None, a.words, b.words, autojunk=False).ratio() >= _RENDERING_ORDER


def _join_renderings(groups: list[_Group]) -> list[_Group]:
    """Groups of one speaker from different articles whose quotes render one statement, joined."""
    out: list[_Group] = []
    for group in groups:
        home = next(
            (
                g
                for g in out
                if g.speaker == group.speaker
                and not g.sources() & group.sources()
                and _close_in_time(g, group)
                and any(_renderings(x, y) for x in g.items for y in group.items)
            ),
            None,
        )
        if home is None:
            out.append(group)
        else:
            home.items.extend(group.items)
    return out


def _content(words: list[str]) -> set[str]:
    return {_stem(w) for w in words if w not in _STOP and len(w) > 2}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _overlap(a: set[str], b: set[str]) -> tuple[int, float]:
    shared = len(a & b)
    return shared, shared / len(a | b) if a | b else 0.0


def link_translations(groups: list[_Group]) -> dict[int, int]:
    """Pairs of groups that are two translations of one statement: {index: index of the original}."""
    links: dict[int, int] = {}
    speakers = [g.speaker for g in groups]
    contents = [_content(g.longest.words) for g in groups]
    for i, gi in enumerate(groups):
        for j in range(i):
            gj = groups[j]
            if j in links or i in links or not speakers[i] or speakers[i] != speakers[j]:
                continue
            if gi.sources() & gj.sources() or not _close_in_time(gi, gj):
                continue
            a, b = contents[i], contents[j]
            shared, jaccard = _overlap(a, b)
            if shared < 3 or jaccard < 0.45:
                continue
            if (shared >= 6 and jaccard >= 0.6) or _neighbours_agree(gi.longest, gj.longest, groups):
                links[i] = j
    return links


def _close_in_time(a: _Group, b: _Group) -> bool:
    times = [it.published for it in a.items + b.items if it.published is not None]
    if len(times) < 2:
        return True
    return abs((max(times) - min(times)).total_seconds()) <= 3 * 86400


def _neighbours_agree(a: Item, b: Item, groups: list[_Group]) -> bool:
    """The same occasion: a quote next to `a` in its article and one next to `b` share content too."""

    def neighbours(item: Item) -> list[Item]:
        out = []
        for g in groups:
            for it in g.items:
                if (
                    it.source == item.source
                    and abs(it.order - item.order) == 1
                    and it.speaker == item.speaker
                ):
                    out.append(it)
        return out

    for na in neighbours(a):
        for nb in neighbours(b):
            shared, jaccard = _overlap(_content(na.words), _content(nb.words))
            if shared >= 3 and jaccard >= 0.3:
                return True
    return False


def to_models(groups: list[_Group], links: dict[int, int]) -> list[QuoteGroup]:
    """Groups as `QuoteGroup`s, most-quoted first, with diffs against each group's text."""
    order = sorted(
        range(len(groups)),
        key=lambda k: (-len({it.outlet or it.ref for it in groups[k].items}), -len(groups[k].items), k),
    )
    position = {k: n for n, k in enumerate(order)}
    out: list[QuoteGroup] = []
    for k in order:
        group = groups[k]
        text = _group_text(group)
        occurrences = []
        differs = False
        for it in sorted(group.items, key=lambda it: (it.source, it.order)):
            base = _aligned_base(text, it)
            diff = word_diff(base, it.quote.text)
            differs = differs or any(op != "=" for op, _ in diff)
            occurrences.append(
                QuoteOccurrence(
                    ref=it.ref,
                    outlet=it.outlet,
                    text=it.quote.text,
                    speaker_as_written=it.quote.speaker,
                    diff=diff,
                )
            )
        outlets = list(
            dict.fromkeys(it.outlet or it.ref for it in sorted(group.items, key=lambda it: it.source))
        )
        credits: dict[str, list[str]] = {}
        for it in sorted(group.items, key=lambda it: it.source):
            if it.speaker:
                credits.setdefault(it.speaker, [])
                if (it.outlet or it.ref) not in credits[it.speaker]:
                    credits[it.speaker].append(it.outlet or it.ref)
        out.append(
            QuoteGroup(
                speaker=group.speaker,
                text=text,
                outlets=outlets,
                occurrences=occurrences,
                wording_differs=differs,
                translation_of=position[links[k]] if k in links else None,
                credits=credits,
                credits_differ=len(credits) > 1,
            )
        )
    return out


def _group_text(group: _Group) -> str:
    """The group's wording: the longest version, the one most outlets share among equals."""
    longest = len(group.longest.words)
    full = [it for it in group.items if len(it.words) >= 0.8 * longest]
    counts = Counter(it.norm for it in full)
    # A version quoted in one piece reads better than one rejoined from an interrupted quote.
    best = max(full, key=lambda it: (counts[it.norm], len(it.words), JOINT not in it.quote.text, -it.source))
    return best.quote.text.replace("\n", " ")


def build_items(
    sources: Sequence[tuple[str, str | None, str, list[Quote], datetime | None]], index: SpeakerIndex
) -> list[Item]:
    """Matching items for every quote of every source (text given), with story-level speakers."""
    items: list[Item] = []
    for n, (ref, outlet, text, quotes, published) in enumerate(sources):
        for order, quote in enumerate(rejoin(text, quotes)):
            words = normalise(quote.text)
            if words:
                items.append(
                    Item(n, ref, outlet, quote, index.canonical(quote.speaker), words, published, order)
                )
    return items
