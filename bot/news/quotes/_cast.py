"""The people named in one article, so that "Mr. Hegseth", "Hegseth" and "Hesgeth" are one person."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Final

from bot.news.text import (
    NAME_PARTICLES,
    ROLE_HEADS,
    ROLE_WORDS,
    TITLE_ABBREVIATIONS,
    NamePhrase,
    Token,
    given_name,
    given_names_agree,
    is_initial,
    is_name_word,
    keys_match,
    lower,
    name_key,
    read_phrase,
    surname_of,
)

# Roles that show a name is a person's (built once, not per mention).
_EVIDENCE_ROLES: Final = ROLE_HEADS | TITLE_ABBREVIATIONS


@dataclass
class Person:
    """One person as the article names them, with every spelling and role seen."""

    surname: str
    key: str  # name_key of the surname
    # Full names ("Pete Hegseth") and how often each is written: a plain dict, not a Counter,
    # whose Python-level constructor was a visible share of making the article's people.
    forms: dict[str, int] = field(default_factory=dict)
    roles: set[str] = field(default_factory=set)
    gender: str = ""
    evidence: int = 0  # honorifics, roles, given names, speech: how sure we are this is a person
    first: int = 0
    last_seen: int = 0
    # The given names of `forms` ("Pete" of "Pete Hegseth"), kept as forms are added: every
    # lookup of a name checks them, and building the set afresh each time was a tenth of it.
    given: set[str] = field(default_factory=set)

    @property
    def canonical(self) -> str:
        """The fullest common spelling: the most frequent full name, else the surname."""
        if not any(not is_initial(f.split()[0]) for f in self.forms):
            return self.surname  # "D. Trump" alone says no more than "Trump"

        def rank(kv: tuple[str, int]) -> tuple[bool, int, bool, int]:
            words = kv[0].split()
            return (not is_initial(words[0]), kv[1], len(words) <= 3, -len(kv[0]))

        return max(self.forms.items(), key=rank)[0]  # "Donald Trump" over "D. Trump"

    def matches(self, name: str, key: str | None = None) -> bool:
        """Whether a name can be this person's: same surname, given names that do not clash."""
        key = name_key(surname_of(name)) if key is None else key
        if not keys_match(key, self.key):
            return False
        return self.agrees(given_name(name))

    def agrees(self, given: str | None) -> bool:
        """Whether a given name (None: none written) clashes with none of this person's."""
        if given is None or not self.given:
            return True  # nothing to clash with: most calls, spared the generator
        return all(given_names_agree(given, g) for g in self.given)

    def add_form(self, name: str) -> None:
        """Count one more mention of a full name."""
        forms = self.forms
        if name not in forms:
            given = given_name(name)
            if given is not None:
                self.given.add(given)
            forms[name] = 1
        else:
            forms[name] += 1


@dataclass(slots=True)  # one per name run of every article
class Mention:
    """A run of name words in the text, read as a phrase."""

    start: int
    end: int
    phrase: NamePhrase
    possessive: bool = False


def name_runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """Token index ranges of capitalised runs, with the role words that lead into a name."""
    runs: list[tuple[int, int]] = []
    n = len(tokens)
    j = 0  # end of the last run: no run starts inside one
    # Both ways into a run need a capital: only capitalised words are looked at (a plain loop:
    # compiled, reading the flag is a native attribute access, cheaper than `compress` and `map`).
    for i in range(n):
        tok = tokens[i]
        if i < j or not tok.is_cap:
            continue
        if not (is_name_word(tok) or tok.lower in TITLE_ABBREVIATIONS):
            continue
        j = i + 1
        while j < n and not tokens[j - 1].possessive:
            nxt = tokens[j]
            # All three ways on need a capital (an initial's first letter is one): most runs end at
            # a lower-case word, which is spared the three tests.
            if nxt.is_cap and (is_name_word(nxt) or is_initial(nxt.text) or nxt.lower in TITLE_ABBREVIATIONS):
                j += 1
            elif (
                (nxt.lower in NAME_PARTICLES or nxt.lower in ROLE_WORDS)
                and j + 1 < n
                and is_name_word(tokens[j + 1])
            ):
                j += 2
            elif nxt.lower in ROLE_WORDS and nxt.is_word and j + 2 < n and tokens[j + 1].lower in ROLE_WORDS:
                j += 1  # "spokesman" in "Kremlin press spokesman Dmitry…"
            else:
                break
        runs.append((i, j))
    return runs


@functools.lru_cache(maxsize=4096)
def name_facts(name: str) -> tuple[str, str | None, bool]:
    """A name's surname key, its given name, and whether it is a full name (two words or more
    besides particles such as "de", "van"). Cached: the same people are named across articles,
    and each article worked these out afresh at its first mention of them."""
    full = sum(1 for w in name.split() if lower(w) not in NAME_PARTICLES) >= 2
    return name_key(surname_of(name)), given_name(name), full


class Cast:
    """People and bodies named in an article's text (quoted words excluded by the caller)."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self.mentions: list[Mention] = []
        self._by_key: dict[str, list[Person]] = {}
        self._near: dict[str, list[str]] = {}  # first letter -> keys, for spelling slips
        # name -> (its surname's key, its given name, whether it is a full name): an article names
        # the same few people hundreds of times, and each mention looked all three up afresh.
        self._names: dict[str, tuple[str, str | None, bool]] = {}
        # `find` asks the same names again and again; who a name finds changes only when a person
        # or a given name is added, unless several people fit, when mention counts decide and the
        # answer is not kept. Every person a name can find has a surname key with the same first
        # letter as the name's (the key itself, or a spelling slip filed under that letter), so
        # the additions are counted per first letter (`_versions`): adding "Putin" leaves what
        # "Trump" finds alone, where one count for the article made most answers stale.
        self._versions: dict[str, int] = {}
        self._found: dict[str, tuple[int, Person | None]] = {}

    def _key(self, name: str) -> str:
        return self._name_info(name)[0]

    def _name_info(self, name: str) -> tuple[str, str | None, bool]:
        info = self._names.get(name)
        if info is None:
            info = self._names[name] = name_facts(name)
        return info

    def scan(self, tokens: list[Token]) -> None:
        """Record every name run of the tokens (in reading order)."""
        for i, j in name_runs(tokens):
            phrase = read_phrase(tokens[i:j])
            if phrase is None:
                continue
            mention = Mention(tokens[i].start, tokens[j - 1].end, phrase, tokens[j - 1].possessive)
            self.mentions.append(mention)
            if phrase.kind == "person" and phrase.name:
                self.add(phrase, mention.start)

    def add(self, phrase: NamePhrase, pos: int, speaking: bool = False) -> Person | None:
        """Count a mention of a person; return the person it belongs to."""
        name = phrase.name
        if phrase.kind != "person" or not name:
            return None
        key, _, full = self._name_info(name)  # full: two words or more besides particles ("de", "van")
        person = self._find(name, key)
        if person is None:
            person = Person(surname_of(name), key, first=pos)
            self.people.append(person)
            if person.key not in self._by_key and person.key:
                self._near.setdefault(person.key[0], []).append(person.key)
            self._by_key.setdefault(person.key, []).append(person)
            self._changed(person.key)
        if full and not name.startswith("The "):
            if name in person.forms:
                person.forms[name] += 1  # a form seen before: its given name is known already
            else:
                known = len(person.given)
                person.add_form(name)
                if len(person.given) != known:
                    self._changed(person.key)
        roles, gender = phrase.roles, phrase.gender
        evidence = full + 2 * speaking
        if roles:  # most mentions are a bare name: no roles to add or weigh
            person.roles |= roles
            evidence += 2 * (not roles.isdisjoint(_EVIDENCE_ROLES))
        if gender:
            person.gender = person.gender or gender
            evidence += 2
        person.evidence += evidence
        if pos > person.last_seen:
            person.last_seen = pos
        return person

    def _changed(self, key: str) -> None:
        """A person or a given name was added under this surname key: answers may change."""
        letter = key[:1]
        self._versions[letter] = self._versions.get(letter, 0) + 1

    def find(self, name: str) -> Person | None:
        """The person a name refers to; with several candidates, the most often named."""
        return self._find(name, self._name_info(name)[0])

    def _find(self, name: str, key: str) -> Person | None:
        version = self._versions.get(key[:1], 0)
        kept = self._found.get(name)
        if kept is not None and kept[0] == version:
            return kept[1]
        found = self._candidates(name)
        if len(found) <= 1:
            person = found[0] if found else None
            self._found[name] = (version, person)
            return person
        return max(found, key=lambda p: (sum(p.forms.values()), p.evidence, -p.first))

    def _candidates(self, name: str) -> list[Person]:
        """The people a name can refer to: same surname key and agreeing given names, else (for
        long surnames) one spelling slip away."""
        key, given, _ = self._name_info(name)
        found: list[Person] = []
        if key:  # an empty key matches no one (keys_match); the people filed under it share it
            people = self._by_key.get(key, ())
            # A surname alone (most mentions) clashes with no given name: every one agrees.
            found = list(people) if given is None else [p for p in people if p.agrees(given)]
        if not found and len(key) >= 6:
            # Spelling slips: only keys with the same first letter can match ("Hesgeth", "Hegseth").
            near = [k for k in self._near.get(key[0], ()) if k != key and keys_match(k, key)]
            found = [p for k in near for p in self._by_key[k] if p.matches(name, key)]
        return found

    def canonical(self, name: str) -> str:
        """One spelling for one person within the article."""
        person = self.find(name)
        if person is None:
            return name
        full = person.canonical
        # A name written fully at the quote and nowhere else is kept as written.
        return full if len(full.split()) >= len(name.split()) else name

    def is_person(self, name: str) -> bool:
        """Whether the article treats the name as a person's (titles, given names, speech)."""
        person = self.find(name)
        return person is not None and person.evidence >= 1

    def describe(self, roles: frozenset[str], before: int) -> Person | None:
        """The person a description ("the Ukrainian president") refers back to, if one fits."""
        head = next((r for r in roles if r in ROLE_HEADS or r.rstrip("s") in ROLE_HEADS), None)
        if head is None:
            return None
        fitting = [p for p in self.people if p.first < before and head in p.roles]
        if not fitting:
            return None
        modifiers = {r for r in roles if r not in ROLE_HEADS and r not in {"the", "former", "new"}}
        exact = [p for p in fitting if modifiers <= p.roles]
        pool = exact or fitting
        return max(pool, key=lambda p: self.last_mention(p, before))

    def last_mention(self, person: Person, before: int) -> int:
        """Offset of the person's last mention before a point (-1 if none)."""
        best = -1
        for m in self.mentions:
            if m.start >= before:
                break
            name = m.phrase.name
            if m.phrase.kind == "person" and name and person.matches(name, self._key(name)):
                best = m.start
        return best
