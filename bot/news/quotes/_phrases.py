"""Reading the noun phrase that names a speaker, forwards ("said U.N. spokesman Farhan Haq") or
backwards from a verb ("Daniel Fried, a retired U.S. diplomat …, said")."""

from __future__ import annotations

from collections.abc import Callable

from bot.news.quotes._phrase_parts import (
    DETERMINERS,
    Found,
    name_before_comma,
    namey,
    namey_title,
    phrase_end,
    pronoun,
    strip_parenthesis,
)
from bot.news.text import (
    AUXILIARIES,
    NAME_PARTICLES,
    PERSON_PRONOUNS,
    ROLE_WORDS,
    SPEECH_VERBS,
    TIME_WORDS,
    Token,
    is_name_word,
    read_phrase,
    word_set,
)

HARD_STOPS = frozenset({".", ";", "“", "”", '"', "?", "!", "(", ")", "[", "]", "¶"})
_STOPS_OR_COMMA = HARD_STOPS | {","}
_INTRO_WORDS = word_set(
    """
    when if after before while as although though despite since asked in on at during following
    later earlier meanwhile however still but and yet so also instead to like unlike for with indeed
    back once by from under over amid about
    """
)
_NP_STOP = word_set(
    """
    in on at of for to from with during after before about by and but or nor that who whom whose
    which while as when where because if than would will could should can may might must did does do
    is was were are has have had been be being not also later then now who's
    """
)
_PREPOSITIONS = word_set("in at on during with after before from for by under over")
# Words after a name that show it is not followed by its verb (built once, not per word).
_NOT_VERBS = _PREPOSITIONS | (_NP_STOP - AUXILIARIES)
_LEADERS = word_set("when while as after before and but so since because though although")
_JOINERS = frozenset({"bin", "al", "de", "van", "von", "der", "of"})


class PhraseReader:
    """Reads speaker phrases; `known` says whether a name is a person the article talks about."""

    def __init__(self, known: Callable[[str], bool] | None = None) -> None:
        self.known = known or (lambda name: True)

    def _is_known(self, found: Found | None) -> bool:
        return bool(found and found.phrase and found.phrase.name and self.known(found.phrase.name))

    def parse_forward(self, toks: list[Token], i: int) -> Found | None:
        """The speaker phrase starting at toks[i] ("said U.N. spokesman Farhan Haq, who …")."""
        if i >= len(toks):
            return None
        found = pronoun(toks[i])
        if found is not None:
            return found
        j = i + (toks[i].lower in DETERMINERS)
        last_name = -1  # index of the last word that can belong to a name or title
        while j < len(toks):
            t = toks[j]
            low = t.lower
            if not t.is_word:
                if t.text == "-" and last_name == j - 1:
                    j += 1
                    continue
                break
            after_role = low == "of" and j > i and toks[j - 1].lower in ROLE_WORDS and j + 1 < len(toks)
            # "Peter T. King of New York": a surname that is also a role word ends the name.
            given = toks[j - 2] if j - 2 >= i and toks[j - 1].is_cap else None
            after_role = after_role and not (given and is_name_word(given) and not namey_title(given))
            if after_role and (toks[j + 1].is_cap or toks[j + 1].lower in ROLE_WORDS):
                j += 1  # "Secretary of State Marco Rubio", "former secretary of state Hillary Clinton"
                continue
            if low in _NP_STOP or (low in SPEECH_VERBS and not t.is_cap):
                break
            if namey(t):
                last_name = j
            elif low in NAME_PARTICLES and j + 1 < len(toks) and toks[j + 1].is_cap:
                pass
            elif j - max(last_name, i) >= 3 or (
                last_name >= 0 and (low in DETERMINERS or low.endswith("ed"))
            ):
                break  # "Republican political consultant Chris Russell", not "Kerpen needled the CNN"
            j += 1
            if t.possessive and t.is_cap:
                # "Zelensky's office" is a body; "the Kremlin's spokesman" a person described.
                k = j
                while (
                    k < len(toks) and toks[k].is_word and not toks[k].is_cap and toks[k].lower not in _NP_STOP
                ):
                    k += 1
                    if k - j >= 3:
                        break
                if k > j and not any(toks[x].lower in ROLE_WORDS for x in range(j, k)):
                    last_name = k - 1
                    break
        end = last_name + 1 if last_name >= 0 else min(j, i + 3)
        if end <= i:
            return None
        phrase = read_phrase(toks[i:end])
        if phrase is None:
            return None
        if phrase.kind in {"description", "anonymous"}:
            # "The Kremlin’s spokesman, Dmitri S. Peskov, told", "the ambassador at the time, John E. Herbst"
            comma = next(
                (c for c in range(end, min(len(toks), end + 5)) if toks[c].text in _STOPS_OR_COMMA), None
            )
            if comma is not None and toks[comma].text == "," and comma + 1 < len(toks):
                appos = self.parse_forward(toks, comma + 1)
                if appos is not None and appos.phrase is not None and appos.phrase.kind == "person":
                    return appos
        return Found(phrase, None, toks[i].start, end=toks[end - 1].end)

    def skip_back(self, toks: list[Token], j: int, floor: int) -> int:
        """Step back over auxiliaries, adverbs, times and a parenthesis between a subject and its verb."""
        while j >= floor:
            low = toks[j].lower
            if low == ")":
                opening = next(
                    (o for o in range(j - 1, max(floor, j - 12) - 1, -1) if toks[o].text == "("), None
                )
                if opening is not None:
                    j = opening - 1  # "Harry M. Reid (D-Nev.) said"
                    continue
            if low == "ago":
                back = j - 1  # "The State Department less than two weeks ago said"
                while back >= max(floor, j - 5) and not toks[back].is_cap and toks[back].is_word:
                    back -= 1
                j = back
                continue
            if low in AUXILIARIES or low in TIME_WORDS or (low.endswith("ly") and not toks[j].is_cap):
                j -= 1
                continue
            if (
                low in {"on", "last", "this", "earlier", "late", "early"}
                and j + 1 < len(toks)
                and toks[j + 1].lower in TIME_WORDS
            ):
                j -= 1
                continue
            break
        return j

    def subject_before(self, toks: list[Token], k: int, floor: int = 0) -> Found | None:
        """The subject of the verb at toks[k], read backwards ("Kremlin spokesman Dmitry Peskov said")."""
        j = self.skip_back(toks, k - 1, floor)
        if j < floor:
            return None
        found = pronoun(toks[j])
        if found is not None:
            return found
        if toks[j].lower == "who" and j - 2 >= floor and toks[j - 1].text == ",":
            return self.apposed_subject(toks, j - 1, floor)  # "Elizabeth Arnold, 32, a …, who said"
        if toks[j].text == ",":
            return self.apposed_subject(toks, j, floor)
        if toks[j].lower in {"and", "but", "or"}:
            return self._coordinated_subject(toks, floor, j)  # "Cruz knocked Rubio … and called him"
        found = self.phrase_ending(toks, j, floor)
        if (
            found is not None
            and found.phrase is not None
            and found.phrase.kind == "person"
            and not self._is_known(found)
        ):
            # "Stacy Baker of Columbia, South Carolina says": the place is not the speaker.
            start = next((n for n in range(j, floor - 1, -1) if toks[n].start == found.pos), None)
            if start is not None and start - 1 > floor and toks[start - 1].text == ",":
                apposed = self.apposed_subject(toks, start - 1, floor)
                if self._is_known(apposed):
                    return apposed
        if (
            found is not None
            and found.phrase is not None
            and found.phrase.kind in {"anonymous", "description"}
        ):
            # "Trump in his announcement speech called …": step over the prepositional phrase.
            start = next((n for n in range(j, floor - 1, -1) if toks[n].start == found.pos), None)
            if start is not None and start - 1 >= floor and toks[start - 1].lower in _PREPOSITIONS:
                again = self.subject_before(toks, start - 1, floor)
                if again is not None and (again.pronoun or self._is_known(again)):
                    return again
        return found

    def _coordinated_subject(self, toks: list[Token], floor: int, j: int) -> Found | None:
        """The subject of the clause before "and": the nearest name followed by its verb."""
        for n in range(j - 1, floor - 1, -1):
            if toks[n].text in {",", ";", "¶"} and n < j - 1 and toks[n + 1].lower in _LEADERS:
                break
            nxt = toks[n + 1] if n + 1 < j else None
            if nxt is None or not is_name_word(toks[n]) or toks[n].possessive:
                continue
            if nxt.is_word and not nxt.is_cap and nxt.lower not in _NOT_VERBS:
                found = self.phrase_ending(toks, n, floor)
                if found is not None and found.phrase is not None and found.phrase.kind == "person":
                    return found
        return self.main_subject(toks, floor, j)

    def phrase_ending(self, toks: list[Token], j: int, floor: int) -> Found | None:
        """The noun phrase that ends at toks[j]."""
        end = j + 1
        while j >= floor:
            t = toks[j]
            if t.lower in DETERMINERS:
                j -= 1
                break
            if namey(t) or t.lower in _JOINERS:
                j -= 1
                continue
            if j == end - 1 and t.is_word and not t.is_cap:
                # A common noun ("one European official", "the crowd"): back to its determiner.
                d = j - 1
                while d >= max(floor, j - 4) and toks[d].is_word and toks[d].lower not in DETERMINERS:
                    d -= 1
                if d >= floor and toks[d].lower in DETERMINERS:
                    j = d - 1
            break
        start = j + 1
        if (
            start - 2 >= floor
            and start < end
            and toks[start].lower == "the"
            and toks[start - 1].lower == "of"
            and is_name_word(toks[start - 2])
        ):
            # "James Pethokoukis of the American Enterprise Institute": the person, not the body.
            before = self.phrase_ending(toks, start - 2, floor)
            if before is not None and before.phrase is not None and before.phrase.kind == "person":
                return before
        while start < end and toks[start].lower == "of":
            start += 1
        if start >= end:
            return None
        phrase = read_phrase(toks[start:end])
        return None if phrase is None else Found(phrase, None, toks[start].start, end=toks[end - 1].end)

    def apposed_subject(self, toks: list[Token], comma: int, floor: int) -> Found | None:
        """ "Daniel Fried, a retired diplomat who …, said": the name among the appositions."""
        segments: list[tuple[int, int]] = []
        end = comma
        depth = 0
        for i in range(comma - 1, floor - 1, -1):
            depth += (toks[i].text == ")") - (toks[i].text == "(")
            if toks[i].text == "," and depth == 0:
                segments.append((i + 1, end))
                end = i
        segments.append((floor, end))
        segments.reverse()  # clause order: the subject first, then its appositions
        names: list[Found] = []
        for s, e in segments:
            seg = [t for t in toks[s:e] if t.text not in {"(", ")"}]
            inner = strip_parenthesis(toks[s:e])
            while inner and inner[0].lower in _LEADERS:
                inner = inner[1:]  # "…, when Mr. Buchanan, who had failed …, called"
            if inner and all(namey(t) for t in inner):
                phrase = read_phrase(inner)
                if phrase is not None and phrase.kind == "person" and seg:
                    names.append(Found(phrase, None, seg[0].start, end=seg[-1].end))
        known = [f for f in names if self._is_known(f)]
        if known or names:
            return (known or names)[0]
        s, e = segments[0]
        return self.phrase_ending(toks, e - 1, s) if e > s else None

    def main_subject(self, toks: list[Token], floor: int, limit: int) -> Found | None:
        """The subject that opens a clause, after an introductory phrase ("Speaking in Brussels, X …")."""
        i = floor
        # A dateline: "WASHINGTON —", "RENO, Nev. (AP) —".
        dash = next((k for k in range(i, min(limit, i + 8)) if toks[k].text in {"—", "–", "-"}), None)
        head = toks[i:dash] if dash is not None else []
        capitals = all(t.text.isupper() or not t.is_word or t.is_cap for t in head)
        if (
            dash is not None
            and capitals
            and any(t.is_word and t.text.isupper() and len(t.text) > 2 for t in head)
        ):
            i = dash + 1
        while i < limit and toks[i].lower in {
            "but",
            "and",
            "so",
            "yet",
            "still",
            "however",
            "now",
            "then",
            ",",
            "—",
        }:
            i += 1
        if i >= limit:
            return None
        first = toks[i]
        intro = first.lower in _INTRO_WORDS or (
            first.lower.endswith(("ing", "ly")) and not self.known(first.text)
        )
        if intro or not (first.is_cap or first.lower in DETERMINERS or first.lower in PERSON_PRONOUNS):
            after = self._after_intro(toks, i, limit)
            if after is None:
                return None
            i = after
        found = self.parse_forward(toks[:limit], i)
        if found is not None and found.phrase is not None and not self._is_known(found):
            # "Early in his campaign, Trump …": a capitalised opener that is nobody.
            later = self._after_intro(toks, i, min(limit, i + 9))
            if later is not None:
                again = self.parse_forward(toks[:limit], later)
                if self._is_known(again) or (again is not None and again.pronoun):
                    return again
        return found

    def _after_intro(self, toks: list[Token], i: int, limit: int) -> int | None:
        comma = next((k for k in range(i, min(limit, i + 20)) if toks[k].text == ","), None)
        if comma is None:
            return None
        i = comma + 1
        while i < limit and not (
            toks[i].is_cap
            or toks[i].lower in DETERMINERS
            or toks[i].lower in PERSON_PRONOUNS
            or name_before_comma(toks, i + 1, min(limit, i + 4))
        ):
            # "In a wide-ranging, in-prison interview …, Lazar said": the intro has commas inside.
            comma = next((k for k in range(i, min(limit, i + 20)) if toks[k].text == ","), None)
            if comma is None:
                return None
            i = comma + 1
        # "Speaking in Salem, New Hampshire, Trump …": step over a place after the comma.
        while True:
            end = phrase_end(toks, i)
            if end > i and end + 1 < limit and toks[end].text == "," and is_name_word(toks[end + 1]):
                i = end + 1
            else:
                return i if i < limit else None
