"""Who said a quote: read the attribution around it ("X said", "said X", "according to X", …).

Rules, in order: the words right after the closing mark (",” Mr. Peskov told reporters"), "according
to X" in the sentence, the speech verb before the quote and its subject ("Hegseth called it “…”"),
a speech verb later in the sentence, a colon after the subject; the caller then falls back on the
sentence's subject and on the speaker of the quote or sentence just before.
"""

from __future__ import annotations

from bot.news.quotes._phrase_parts import DETERMINERS, Found, token_after
from bot.news.quotes._phrases import HARD_STOPS, PhraseReader
from bot.news.text import (
    AUXILIARIES,
    PARTICIPLE_CUES,
    PERSON_PRONOUNS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    TIME_WORDS,
    Token,
    is_name_word,
    word_set,
)

_CUE_EXTENSIONS = (
    ("in", "a", "statement"),
    ("in", "an", "interview"),
    ("in", "a", "post"),
    ("in", "an", "online", "post"),
    ("in", "a", "social", "media", "post"),
    ("on", "twitter"),
    ("on", "x"),
    ("on", "truth", "social"),
    ("on", "facebook"),
    ("in", "a", "tweet"),
    ("in", "a", "speech"),
)
# Verbs that come before their subject after a quote or a comma ("said X", "asked X").
_INVERTING = word_set(
    """
    said says asked asks added adds wrote writes continued explained recalled replied stated noted
    argued
    """
)
_REPORTING = word_set("said says told tells wrote writes added adds argued argues noted notes stated")
_SUBORDINATORS = word_set("until when after before because while as if that since and but so than")
DASHES = frozenset({"—", "–", "―", "-", "--"})
_LEADS = DASHES | {",", ":"}  # what may come between a closing mark and its attribution
_PHRASAL = frozenset({"shot", "fired", "hit", "wrote", "snapped", "pushed"})  # "… shot back"
_QUOTING = word_set("quoted quotes quoting")
_AS_SAYING = word_set("saying telling writing")
_NOUN_MARKERS = word_set("the a an his her their its our my your these those this that whose")


def is_cue(tok: Token, prev: Token | None = None, nxt: Token | None = None) -> bool:
    """A speech verb, unless the word before makes it a noun ("Trump's remarks", "the claims")."""
    if tok.lower not in SPEECH_VERBS and not (
        nxt is not None
        and (
            (tok.lower in _PHRASAL and nxt.lower == "back")
            or (tok.lower in {"put", "puts"} and nxt.lower == "it")
            or (tok.lower in {"went", "goes"} and nxt.lower == "on")  # "“…,” Trump went on."
        )
    ):
        return False
    return prev is None or not (prev.lower in _NOUN_MARKERS or (prev.possessive and prev.is_word))


def find_cue(toks: list[Token], lo: int, hi: int, last: bool = False) -> int | None:
    """Index of the first (or last) speech verb in toks[lo:hi]."""
    rng = range(hi - 1, lo - 1, -1) if last else range(lo, hi)
    for k in rng:
        if is_cue(toks[k], toks[k - 1] if k > 0 else None, toks[k + 1] if k + 1 < len(toks) else None):
            return k
    return None


def cue_phrase(toks: list[Token], k: int) -> str:
    """The verb with what completes it: "said in a statement", "told reporters"."""
    verb = toks[k].text
    rest = [t.lower for t in toks[k + 1 : k + 7]]
    for ext in _CUE_EXTENSIONS:
        if tuple(rest[: len(ext)]) == ext:
            return " ".join([verb, *(t.text for t in toks[k + 1 : k + 1 + len(ext)])])
    if toks[k].lower in {"told", "tells", "tell", "telling"}:
        obj: list[str] = []
        for t in toks[k + 1 : k + 5]:
            if not t.is_word or t.lower in {"that", "on", "in", "at", "after", "before", "during"}:
                break
            obj.append(t.text)
            if not t.is_cap and t.lower not in DETERMINERS:
                break
        if obj:
            return " ".join([verb, *obj])
    if toks[k].lower == "according":
        return "according to"
    return verb


def _coordinated(toks: list[Token], found: Found) -> bool:
    """Whether a subject is one of several joined by "and" ("he and Mr. Putin")."""
    at = next((n for n, t in enumerate(toks) if t.start == found.pos), None)
    if at is None:
        return False
    end = token_after(toks, found)
    # "and" joins two subjects only between two people: "a woman asked for a photo and Clinton
    # said" joins clauses, and Clinton is the one speaking.
    if at > 1 and toks[at - 1].lower == "and" and _names_someone(toks[at - 2]):
        return True
    return end + 1 < len(toks) and toks[end].lower == "and" and _names_someone(toks[end + 1])


_BE = frozenset({"was", "were", "is", "are", "been", "being"})


def _passive(toks: list[Token], k: int) -> bool:
    """A cue in the passive ("were called", "was told"): its subject is spoken to or of, not the speaker
    ("was quoted as saying" excepted)."""
    word = toks[k].lower
    return k > 0 and toks[k - 1].lower in _BE and (word.endswith("ed") or word == "told") and word != "quoted"


def _names_someone(tok: Token) -> bool:
    return is_name_word(tok) or tok.lower in PERSON_PRONOUNS or tok.lower in _NOUN_MARKERS


def _with_cue(found: Found | None, cue: str) -> Found | None:
    if found is not None:
        found.cue = cue
    return found


class Attributor(PhraseReader):
    """The attribution patterns, on tokens around one quote."""

    def after_quote(self, post: list[Token]) -> Found | None:
        """Attribution right after the closing mark: ", X said", ", said X", ", according to X"."""
        if post and post[0].text in DASHES and len(post) > 1:
            signed = self.parse_forward(post, 1)  # "“…” ― Sonya Herridge", "— Donald J. Trump (@…)"
            end = token_after(post, signed)
            named = signed is not None and signed.phrase is not None and signed.phrase.kind == "person"
            if named and (end >= len(post) or post[end].text in {".", ",", "(", ";"}):
                return signed
        i = 0
        while i < len(post) and i < 2 and post[i].text in _LEADS:
            i += 1
        if i >= len(post):
            return None
        if post[i].lower == "according" and i + 1 < len(post) and post[i + 1].lower == "to":
            return _with_cue(self.parse_forward(post, i + 2), "according to")
        if post[i].lower == "by" and i + 1 < len(post):
            by = self.parse_forward(post, i + 1)  # "has been called “…” by Joshua Hendrick"
            end = token_after(post, by)
            ends = end >= len(post) or post[end].text in {".", ";"}
            listed = (
                end < len(post)
                and post[end].text == ","
                and any(t.lower == "and" for t in post[end : end + 6])
            )
            if self._is_known(by) and (ends or (end < len(post) and post[end].text == "," and not listed)):
                return by
        k = i
        while k < len(post) and post[k].lower in AUXILIARIES:
            k += 1
        nxt = post[k + 1] if k + 1 < len(post) else None
        if k < len(post) and (is_cue(post[k], None, nxt) or self._inverted_verb(post, k)):
            if post[k].lower in PARTICIPLE_CUES:
                return Found(None, cue_phrase(post, k), post[k].start)  # subject from the main clause
            n = k + 1
            while n < len(post) and (
                post[n].lower in TIME_WORDS or post[n].lower in AUXILIARIES or post[n].lower == "back"
            ):
                n += 1
            return _with_cue(self.parse_forward(post, n), cue_phrase(post, k))
        for k in range(i, min(len(post), i + 14)):
            if post[k].text in HARD_STOPS:
                return None
            nxt = post[k + 1] if k + 1 < len(post) else None
            if is_cue(post[k], post[k - 1], nxt) and post[k].lower not in PARTICIPLE_CUES:
                if _passive(post, k) or (nxt is not None and nxt.lower == "that" and post[i].is_cap):
                    # "“…” Engineers were called to switch off …": no one speaks; "“…” Witnesses
                    # said that Gray …": a sentence of its own, reporting other words.
                    return None
                found = self.subject_before(post, k, i)
                if found is not None and found.pos == post[i].start:
                    return _with_cue(found, cue_phrase(post, k))  # "“…,” Mr. Peskov told reporters"
                if post[k - 1].text == "," and post[k].lower in _INVERTING:
                    inverted = self.parse_forward(post, k + 1)  # "… in its dealings with Asia, said X"
                    if inverted is not None:
                        return _with_cue(inverted, cue_phrase(post, k))
                apposed = self._long_apposition(post, i)
                if apposed is not None:
                    return apposed
                # Not a subject that follows a subordinator: "…” until Haley said".
                if found is None or any(t.lower in _SUBORDINATORS and t.start < found.pos for t in post[i:k]):
                    return None
                return _with_cue(found, cue_phrase(post, k))
        return self._long_apposition(post, i)

    def _inverted_verb(self, post: list[Token], k: int) -> bool:
        """ "“This is fantastic!” beamed Donald Hartley": an unlisted -ed verb before a known name."""
        tok = post[k]
        if not (
            tok.lower.endswith("ed") and not tok.is_cap and k + 1 < len(post) and is_name_word(post[k + 1])
        ):
            return False
        found = self.parse_forward(post, k + 1)
        return self._is_known(found)

    def _long_apposition(self, post: list[Token], i: int) -> Found | None:
        """ "“…,” Trent Lott, who was Republican Senate majority leader under …, said."."""
        head = self.parse_forward(post, i)
        if not self._is_known(head) or head is None:
            return None
        end = token_after(post, head)
        if end >= len(post) or post[end].text != ",":
            return None
        for k in range(end + 1, min(len(post), end + 40)):
            if post[k].text in HARD_STOPS:
                return None
            if is_cue(post[k], post[k - 1]) and post[k].lower not in PARTICIPLE_CUES:
                return _with_cue(head, cue_phrase(post, k))
        return None

    def according_to(self, toks: list[Token]) -> Found | None:
        """ "according to X" or "… quoted X as saying" anywhere in the tokens: X is the source,
        not the outlet that quotes X ("the Post quoted Sergei Lavrov as saying")."""
        for k in range(len(toks) - 1):
            if toks[k].lower == "according" and toks[k + 1].lower == "to":
                return _with_cue(self.parse_forward(toks, k + 2), "according to")
            if toks[k].lower in _QUOTING:
                found = self.parse_forward(toks, k + 1)
                end = token_after(toks, found)
                if (
                    found is not None
                    and end + 1 < len(toks)
                    and toks[end].lower == "as"
                    and toks[end + 1].lower in _AS_SAYING
                ):
                    return _with_cue(found, f"quoted as {toks[end + 1].lower}")
        return None

    def before_quote(self, pre: list[Token], sentence: list[Token]) -> Found | None:
        """The speech verb closest before the quote and its subject ("Hegseth called it …").

        `pre` runs from the previous quote of the sentence (or its start) to this quote; `sentence`
        from the sentence's start, for verbs whose subject opens the sentence ("…, adding that").
        """
        hi = len(pre)
        anonymous: Found | None = None
        while True:
            k = find_cue(pre, 0, hi, last=True)
            if k is None:
                break
            hi = k
            if pre[k].lower == "according":
                continue
            found = self.subject_of_cue(pre, k, sentence)
            if found is not None and _coordinated(pre, found):
                continue  # "He said he and Mr. Putin agreed to “…”": the outer verb's subject speaks
            if found is not None and found.phrase is not None and found.phrase.kind == "anonymous":
                # "in her opening remarks that …": maybe a noun read as a verb; look further back.
                anonymous = anonymous or _with_cue(found, cue_phrase(pre, k))
                continue
            if found is not None:
                outer = self._outer_speaker(pre, k, sentence)
                return outer or _with_cue(found, cue_phrase(pre, k))
        if pre and pre[-1].text == ":":
            return self._colon_subject(pre, sentence) or anonymous
        return anonymous

    def _outer_speaker(self, pre: list[Token], k: int, sentence: list[Token]) -> Found | None:
        """ "Ross said Mr. Obama had told them … “no daylight”": the quote is reported by the outer
        speaker, whose "said" opens the clause the inner verb sits in."""
        outer = find_cue(pre, 0, k, last=True)
        if outer is None or pre[outer].lower not in _REPORTING or outer + 1 >= k:
            return None
        nxt = pre[outer + 1]
        if not (nxt.lower == "that" or is_name_word(nxt) or nxt.lower in PERSON_PRONOUNS):
            return None
        if any(t.text in {",", ";", ":", "“", '"'} for t in pre[outer + 1 : k]):
            return None
        found = self.subject_of_cue(pre[: outer + 1], outer, sentence[: len(sentence) - len(pre) + outer + 1])
        if found is None or (found.phrase is not None and found.phrase.kind == "anonymous"):
            return None
        return _with_cue(found, cue_phrase(pre, outer))

    def subject_of_cue(self, pre: list[Token], k: int, sentence: list[Token]) -> Found | None:
        """Who the speech verb at pre[k] belongs to (`sentence` ends where `pre` does)."""
        cue = pre[k].lower
        offset = len(sentence) - len(pre)
        if (
            cue in PARTICIPLE_CUES
            and k > 1
            and is_name_word(pre[k - 1])
            and any(t.lower == "with" for t in pre[max(0, k - 8) : k])
        ):
            return self.subject_before(pre, k)  # "with Donald Trump tweeting that …"
        if k > 0 and pre[k - 1].lower == "to":
            # "Mr. Trump was prompted to say": the subject before the verbs that lead to "to".
            j = k - 2
            while (
                j >= 0
                and pre[j].is_word
                and not pre[j].is_cap
                and j >= k - 5
                and pre[j].lower not in PERSON_PRONOUNS
            ):
                j -= 1
            if j >= 0 and j < k - 2:
                near = self.subject_before(pre, j + 1)
                if near is not None and (near.pronoun or self._is_known(near)):
                    return near
            return self.main_subject(sentence, 0, offset + k)  # "agreed only to tell …"
        if cue in PARTICIPLE_CUES:
            # "…, Mr. Hegseth said, adding that …": the finite verb's subject; else the sentence's.
            finite = find_cue(sentence, 0, offset + k, last=True)
            if finite is not None and sentence[finite].lower not in PARTICIPLE_CUES:
                found = self.subject_of_cue(sentence[: finite + 1], finite, sentence[: finite + 1])
                if found is not None:
                    return found
            return self.main_subject(sentence, 0, offset + k)  # "…, adding that …"
        if (k == 0 or pre[k - 1].text in {",", "—", "–", "”", '"', "''"}) and cue in _INVERTING:
            found = self.parse_forward(pre, k + 1)  # "But, said Solovey, “…”", "Said Dorothy Poynter, …"
            end = token_after(pre, found)
            if (
                found is not None
                and found.phrase is not None
                and end < len(pre)
                and pre[end].text in {",", ":", "—"}
            ):
                return found
        found = self.subject_before(pre, k)
        if found is None and k == 0 and offset > 0:
            found = self.subject_before(sentence, offset)  # the subject is before a previous quote
        return found

    def _colon_subject(self, pre: list[Token], sentence: list[Token]) -> Found | None:
        """ "… off the table: “…”": the sentence's subject; "- Philip Bump: “…”": the name."""
        if len(pre) >= 2 and is_name_word(pre[-2]):
            named = self.phrase_ending(pre, len(pre) - 2, 0)
            if named is not None and named.phrase is not None and named.phrase.kind == "person":
                first = next(n for n, t in enumerate(pre) if t.start == named.pos)
                if first == 0 or pre[first - 1].text in {"-", "—", "–", ":"}:
                    return named
        subject = self.main_subject(sentence, 0, len(sentence) - 1)
        if (
            subject is None or (subject.phrase is not None and subject.phrase.kind == "anonymous")
        ) and is_name_word(pre[-2] if len(pre) >= 2 else pre[-1]):
            named = self.phrase_ending(pre, len(pre) - 2, 0)  # "… doesn't surprise pollster Daron Shaw: “…”"
            if self._is_known(named):
                return named
        return subject

    def possessed_words(self, pre: list[Token]) -> Found | None:
        """ "Sanders's clarion call for a “revolution”", "Trump's assertion that “…”": the possessor."""
        for k in range(len(pre) - 1, -1, -1):
            tok = pre[k]
            if (
                tok.possessive
                and is_name_word(tok)
                and any(t.lower in SPEECH_NOUNS for t in pre[k + 1 : k + 5])
            ):
                bare = [*pre[:k], Token(tok.bare, tok.start, tok.start + len(tok.bare))]
                found = self.phrase_ending(bare, k, 0)
                if found is not None and found.phrase is not None and found.phrase.kind == "person":
                    return found
        return None

    def later_in_sentence(self, post: list[Token]) -> Found | None:
        """ "… “hold an in-person meeting” in the near future, Mr. Peskov said."."""
        for k in range(len(post)):
            if post[k].text in {"“", '"'}:
                return None
            tok = post[k]
            if (
                not is_cue(tok, post[k - 1] if k else None)
                or tok.lower in PARTICIPLE_CUES
                or tok.lower == "according"
                or _passive(post, k)
                or (k + 1 < len(post) and post[k + 1].lower == "that" and post[0].is_cap)
            ):
                continue
            if k > 0 and post[k - 1].text == ",":
                found = self.parse_forward(post, k + 1)  # "…, said Nargis Kassenova, an expert"
            else:
                found = self.subject_before(post, k)
            if found is not None and (found.pronoun or (found.phrase and found.phrase.kind != "anonymous")):
                return _with_cue(found, cue_phrase(post, k))
        return None
