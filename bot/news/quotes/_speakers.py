"""One name per person across a story's articles: "Zelensky", "Zelenskyy" and "Volodymyr Zelensky"
are one speaker, "Mr. Trump", "D. Trump" and "Donald Trump" another."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rapidfuzz import fuzz

from bot.news.text import ROLE_WORDS, is_initial, lower, name_key, same_person, surname_of

# Words before a person's name that are not part of it ("New York City Councilman Jumaane D.
# Williams", "Mr Williams"): roles, honorifics without their stop.
_NOT_NAME = ROLE_WORDS | frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "councilman",
        "councilwoman",
        "councillor",
        "alderman",
        "detective",
        "officer",
        "police",
        "lt",
        "sgt",
        "the",
    ]
)


def person_part(name: str) -> str:
    """The person's own name at the end of a credit: "City Councilman Jumaane D. Williams" ->
    "Jumaane D. Williams"; a credit with no such name comes back as it was."""
    words = name.split()
    kept: list[str] = []
    for word in reversed(words):
        low = lower(word)
        if low in _NOT_NAME or low.rstrip(".") in _NOT_NAME or not word[:1].isupper() or len(kept) == 4:
            break
        kept.insert(0, word)
    return " ".join(kept) if kept and len(kept) < len(words) else name


class SpeakerIndex:
    """Clusters the speakers named across a story and picks one spelling for each."""

    def __init__(self, names: Iterable[str]) -> None:
        self._clusters: list[Counter[str]] = []
        counts = Counter(person_part(n) for n in names)
        self._credits = {n: person_part(n) for n in set(names) if n}
        for name in sorted(counts, key=lambda n: (-len(n.split()), n)):
            self._add(name, counts[name])
        self._canonical: dict[str, str] = {}
        for cluster in self._clusters:
            best = _best_spelling(cluster)
            for name in cluster:
                self._canonical[name] = best

    def _add(self, name: str, count: int) -> None:
        fitting = [c for c in self._clusters if all(_compatible(name, other) for other in c)]
        if fitting:
            max(fitting, key=lambda c: sum(c.values()))[name] += count  # "Trump": the Trump most named
        else:
            self._clusters.append(Counter({name: count}))

    def canonical(self, name: str | None) -> str | None:
        """The story-wide spelling of a speaker (None stays None)."""
        if name is None:
            return None
        person = self._credits.get(name) or person_part(name)
        return self._canonical.get(person, person)

    def matches(self, query: str, name: str | None) -> bool:
        """Whether a speaker filter typed by a user ("zelensky", "Hegseth") means this speaker."""
        if name is None:
            return False
        if _compatible(query, name):
            return True
        q, n = lower(query).strip(), lower(name)
        return (fuzz.partial_ratio(q, n) >= 85 and len(q) >= 4) or fuzz.ratio(q, surname_of(n)) >= 80


def _compatible(a: str, b: str) -> bool:
    """Person names that can be one person, or body names that are the same."""
    if lower(a).removeprefix("the ") == lower(b).removeprefix("the "):
        return True
    if len(a.split()) > 4 or len(b.split()) > 4:
        return False  # "Russia's Tass news service" and the like: only exact matches
    return same_person(a, b)


def _best_spelling(cluster: Counter[str]) -> str:
    """The full name most outlets use; "Donald Trump" over "D. Trump" over "Trump"."""

    def rank(kv: tuple[str, int]) -> tuple[bool, bool, int, int]:
        words = kv[0].split()
        return (len(words) >= 2, not is_initial(words[0]), kv[1], -len(kv[0]))

    return max(cluster.items(), key=rank)[0]


def speaker_key(name: str | None) -> str | None:
    """A spelling-tolerant key for a speaker (its surname's key)."""
    return name_key(surname_of(name)) if name else None
