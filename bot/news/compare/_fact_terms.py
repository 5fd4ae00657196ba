"""Terms for telling whether two clauses state one fact: words reduced to what they mean.

The sentence comparison (`_points.terms_of`) keeps a light stem and reads every capitalised word as
a name. Two outlets stating one fact differ in more than that: "an investigation into the cause"
and "Investigations into what caused the fire" share no term there ("Investigations" opens the
sentence, so it was read as a name; "cause"/"caus"). Here a word is stemmed to its root
("investigat", "evacuat", "caus"), a capitalised word that the story also uses in lower case is a
plain word, and "no one"/"no-one"/"nobody" is one term (a fact in itself: nobody was hurt).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from bot.news.text import name_key, synonym_of, word_set

__all__ = ["WORD", "FactTerms", "fact_stem"]

WORD = r"[A-Za-zÀ-ÿ][\w’'.-]*[\w]|[A-Za-z]|\d[\d,.]*\d|\d"  # a word or a figure, as _points reads them
_WORD = re.compile(WORD)
_NOBODY = re.compile(r"\b(?:no\s*-\s*one|no one|nobody)\b", re.IGNORECASE)
_STOP = word_set("""
    a an the and or but of to in on at for with by from as is are was were be been being it its this that these
    those he his him she her they their them we our us you your i me my not than more most very will would
    can could should may might must do does did have has had so if then there here all any just also only
    about into over up out what which who whom how when where why said says say told mr mrs ms according
    after before while since because during one new no
    """)
_VOWEL = re.compile(r"[aeiouy]")
_ENDINGS = (("ation", 3), ("ator", 2), ("ment", 4), ("ion", 3), ("ly", 2))  # and how much each cuts
_ENDING_WORDS = tuple(suffix for suffix, _ in _ENDINGS)


def fact_stem(word: str) -> str:
    """A lower-case word's root, Porter-like but lighter: investigation/investigated/investigators
    -> "investigat", caused/cause -> "caus", injuries/injured/injury -> "injur", stopped -> "stop"."""
    w = word
    if len(w) <= 3:
        return w
    if w.endswith("ies") or w.endswith("ied"):
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed") if w.endswith(("ing", "ed")) else ():  # one test for most words
        if w.endswith(suffix) and _VOWEL.search(w[: -len(suffix)]) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # "stopped" -> "stop"
            break
    for suffix, cut in _ENDINGS if w.endswith(_ENDING_WORDS) else ():
        if w.endswith(suffix) and len(w) - cut >= 4 and (suffix != "ion" or w[-4] in "st"):
            w = w[:-cut]
            break
    if len(w) > 4 and w[-1] in "ey":
        w = w[:-1]  # "cause"/"caus", "injury"/"injur"
    return w


class FactTerms:
    """The fact terms of a story's texts; each word's term is worked out once."""

    def __init__(self, texts: Iterable[str] = (), words: Iterable[str] = ()) -> None:
        """`texts` (or their `words`, already found): the story's sentences, read for the words it
        uses in lower case."""
        found = [w for t in texts for w in _WORD.findall(t)]
        plain = {w.lower() for w in (*found, *words) if w[0].islower()}
        self._stems = {w: fact_stem(w) for w in plain}  # each word stemmed once
        self._plain = set(self._stems.values())  # "investigation" makes "Investigations" plain
        self._known: dict[str, str | None] = {}

    @staticmethod
    def fold(text: str) -> str:
        """The text with the phrases that are one term written as one word ("no - one" -> "nobody");
        before a text is cut into clauses, so that the phrase is not cut."""
        return _NOBODY.sub("nobody", text)

    def __call__(self, text: str) -> Counter[str]:
        """The fact terms of a (folded) text, with their counts."""
        out: Counter[str] = Counter()
        for word in _WORD.findall(text):
            term = self.term(word)
            if term is not None:
                out[term] += 1
        return out

    def term(self, word: str) -> str | None:
        """The fact term of one word (None for a stop word)."""
        term = self._known.get(word, "")
        if term == "":
            term = self._known[word] = self._term(word)
        return term

    def _term(self, word: str) -> str | None:
        low = word.lower().strip(".")
        if low in _STOP or len(low) < 2:
            return None
        stem = self._stems.get(low) or fact_stem(low)
        if word[0].isupper() and word.isalpha() and stem not in self._plain:
            return name_key(word)  # a name ("Zelenskyy"/"Zelensky" one key), not a sentence's first word
        return synonym_of(low) or stem
