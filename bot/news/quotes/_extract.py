"""Read one article's quotes: find them, attribute them, keep the ones that are speech."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Final

from bot.news.models import Quote
from bot.news.quotes._attribution import DASHES, Attributor, is_cue
from bot.news.quotes._cast import Cast
from bot.news.quotes._phrase_parts import Found
from bot.news.quotes._speech import is_scare_quote, is_speech
from bot.news.text import (
    PARTICIPLE_CUES,
    PERSON_PRONOUNS,
    SPEECH_VERBS,
    QuoteSpan,
    Token,
    find_quote_spans,
    mask_quotes,
    paragraphs,
    split_sentences,
    tokenize,
    word_set,
)

# Words that may come before a quote without attributing it ("Instead, “…”", "Adding, “…”").
_CONNECTIVES: Final = PARTICIPLE_CUES | word_set(
    "instead but and still yet however so also then later finally now again meanwhile indeed plus or"
)
_SUBORDINATORS: Final = word_set("after before when while until since once if unless")
_STATEMENT_NOUNS: Final = word_set("statement tweet tweets post interview speech remarks letter email")

_CUE_WORDS: Final = _STATEMENT_NOUNS | SPEECH_VERBS  # one test per token finds both kinds

_ACRONYM: Final = re.compile(r"[A-Z]{2,6}")  # a news agency or body (IRNA, AFP, BBC), never a person


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    para: int
    tok_lo: int  # token index range
    tok_hi: int


@dataclass(slots=True)
class _Event:
    pos: int
    name: str | None
    gender: str


class ArticleReader:
    """One pass over an article: sentences in order, quotes attributed as they come."""

    def __init__(self, text: str, spans: list[QuoteSpan] | None = None) -> None:
        self.text = text
        self.spans = find_quote_spans(text) if spans is None else spans
        pieces = [p for q in self.spans for p in q.pieces]
        self.masked = mask_quotes(text, pieces)
        self.tokens = tokenize(mask_quotes(text, pieces, keep_ends=False))
        tokens = self.tokens
        self._starts = [t.start for t in tokens]
        # Token indices of statement nouns and speech verbs, found in one pass over the article
        # rather than word by word in every sentence. Plain loops: compiled, a comprehension reads
        # a native attribute where `map(attrgetter(...))` went through a Python-level call per token.
        self._statements: list[int] = []
        self._verbs: list[int] = []
        for i, tok in enumerate(tokens):
            low = tok.lower
            if low in _CUE_WORDS:
                if low in _STATEMENT_NOUNS:
                    self._statements.append(i)
                if low in SPEECH_VERBS:
                    self._verbs.append(i)
        self.cast = Cast()
        self.cast.scan(self.tokens)
        self.attr = Attributor(self.cast.is_person)
        self.sentences: list[_Sentence] = []
        for index, (ps, pe) in enumerate(paragraphs(text)):
            for ss, se in split_sentences(text, ps, pe, mask=self.masked):
                self.sentences.append(_Sentence(ss, se, index, self._tok(ss), self._tok(se)))
        self._sent_starts = [s.start for s in self.sentences]
        self.events: list[_Event] = []
        self._close_ends = sorted(q.close_end for q in self.spans if q.close_end is not None)
        self._open_marks = sorted(q.open_mark for q in self.spans)
        # Pages that quote speech with double marks use single ones at top level only in headlines.
        self._double_style = any(not q.single for q in self.spans)

    def _tok(self, pos: int) -> int:
        return bisect_left(self._starts, pos)

    def _sentence_of(self, pos: int) -> int:
        return max(0, bisect_right(self._sent_starts, pos) - 1)

    def read(self) -> list[Quote]:
        """Every quote of the article with its speaker and cue, in reading order."""
        quotes: list[Quote] = []
        spans = sorted(self.spans, key=lambda q: q.open_mark)
        qi = 0
        previous: tuple[QuoteSpan, str | None, int] | None = None  # last quote, its speaker, sentence
        for si, sent in enumerate(self.sentences):
            if qi >= len(spans):
                break  # every quote is read: what later sentences tell changes none of them
            while qi < len(spans) and spans[qi].open_mark < sent.end:
                span = spans[qi]
                qi += 1
                found, how = self._attribute(span, si)
                speaker = self._resolve(found, span.open_mark) if found else None
                cue = found.cue if found else None
                if speaker is None and how in {"", "subject"}:
                    inherited = self._inherit(span, si, previous)
                    if inherited is not None:
                        speaker, how = inherited, "inherit"
                self._event(span.open_mark, speaker)
                if self._keep(span, speaker, cue):
                    quotes.append(self._quote(span, speaker, cue))
                previous = (span, speaker, self._sentence_of(span.end))
            self._sentence_events(sent)
        return quotes

    # -- attribution -------------------------------------------------------------------------

    def _attribute(self, span: QuoteSpan, si: int) -> tuple[Found | None, str]:
        sent = self.sentences[si]
        close = span.close_mark if span.close_mark is not None else span.end
        end_si = self._sentence_of(close)
        end_sent = self.sentences[end_si]
        # The latest closing mark end at or before this quote's opening, the first opening mark
        # after its close: looked up in the sorted offsets, not by a pass over every quote.
        closes, opens = self._close_ends, self._open_marks
        at = bisect_right(closes, span.open_mark)
        prev_close = closes[at - 1] if at else 0
        at = bisect_right(opens, close)
        next_open = opens[at] if at < len(opens) else len(self.text)
        pre = self.tokens[self._tok(max(sent.start, prev_close)) : self._tok(span.open_mark)]
        sentence = self.tokens[self._tok(sent.start) : self._tok(span.open_mark)]
        after = span.close_end if span.close_end is not None else close
        post = self.tokens[self._tok(after) : self._tok(min(end_sent.end, next_open))]
        attr = self.attr
        if span.closed:
            found = attr.after_quote(post)
            if found is not None and found.phrase is None and found.pronoun is None:
                subject = (
                    attr.main_subject(sentence, 0, len(sentence)) if sentence else None
                )  # "…,” adding, “…”
                found = Found(subject.phrase, found.cue, subject.pos, subject.pronoun) if subject else found
            if found is not None:
                return found, "after"
        # The sentence without the quote's words (from its opening mark to its closing one): the
        # tokens are in order, so those are one stretch of them, cut out by their offsets.
        lo, hi = self._tok(sent.start), self._tok(end_sent.end)
        cut_lo = min(max(self._tok(span.open_mark), lo), hi)
        cut_hi = min(max(bisect_right(self._starts, close), cut_lo), hi)
        found = attr.according_to(self.tokens[lo:cut_lo] + self.tokens[cut_hi:hi])
        if found is not None:
            return found, "according"
        found = attr.before_quote(pre, sentence)
        if found is not None:
            return found, "before"
        if span.closed:
            found = attr.later_in_sentence(post)
            if found is not None:
                return found, "later"
            found = self._next_sentence(end_si, close)
            if found is not None:
                return found, "after"
        found = attr.possessed_words(pre)
        if found is not None:
            return found, "subject"
        # A fragment inside a sentence with no speech verb ("Sanders credited her win to “…”"):
        # the clause's subject, when it is a person, is whose words they are.
        if any(t.is_word for t in pre):
            found = attr.main_subject(pre, 0, len(pre))
            if found is None or not (found.pronoun in {"he", "she"} or self._names_person(found)):
                found = attr.main_subject(sentence, 0, len(sentence))
            if found is not None and (found.pronoun in {"he", "she"} or self._names_person(found)):
                found.cue = None
                return found, "subject"
        return None, ""

    def _names_person(self, found: Found) -> bool:
        phrase = found.phrase
        if phrase is None or phrase.name is None:
            return phrase is not None and phrase.kind == "description"
        return phrase.kind == "person" and self.cast.is_person(phrase.name)

    def _next_sentence(self, si: int, close: int) -> Found | None:
        """ "“…!” LeVell declared, …": the attribution opens the sentence after the quote; or a
        signature line follows the quote paragraph ("- Bernie Sanders.")."""
        if si + 1 >= len(self.sentences) or self.sentences[si].end > close + 3:
            return None
        nxt = self.sentences[si + 1]
        toks = self.tokens[nxt.tok_lo : nxt.tok_hi]
        signature = nxt.para == self.sentences[si].para + 1 and bool(toks) and toks[0].text in DASHES
        if nxt.para != self.sentences[si].para and not (signature and len(toks) <= 10):
            return None
        found = self.attr.after_quote(toks)
        if found is not None and (
            found.pronoun or (found.phrase is not None and found.phrase.kind == "person")
        ):
            return found
        return None

    def _inherit(
        self, span: QuoteSpan, si: int, previous: tuple[QuoteSpan, str | None, int] | None
    ) -> str | None:
        """A quote with no attribution of its own continues the latest speaker before it."""
        sent = self.sentences[si]
        if previous is not None and previous[2] == si:
            return previous[1]  # a second quote in the sentence: "called it “…” and “…”"
        # "X dismissed concerns, IRNA reported. “…”": the agency relays X's words, it does not speak.
        latest = next(
            (
                e
                for e in reversed(self.events)
                if e.pos < span.open_mark and not (e.name and _ACRONYM.fullmatch(e.name))
            ),
            None,
        )
        if latest is None:
            latest = _Event(-1, None, "")
        lsi = self._sentence_of(latest.pos) if latest.pos >= 0 else -9
        lpara = self.sentences[lsi].para if lsi >= 0 else -9
        pre = self.tokens[self._tok(sent.start) : self._tok(span.open_mark)]
        if not all(not t.is_word or t.lower in _CONNECTIVES for t in pre):
            # "…,” Hennessey added. But that’s not the same thing as “…”": the paragraph's speaker.
            return latest.name if lsi == si - 1 and lpara == sent.para else None
        if lpara == sent.para and lsi >= si - 2:
            return latest.name  # "“…,” he said. “…”"
        last_of_para = lsi >= 0 and (lsi + 1 >= len(self.sentences) or self.sentences[lsi + 1].para != lpara)
        opens_para = si == 0 or self.sentences[si - 1].para != sent.para
        if lpara == sent.para - 1 and last_of_para and opens_para:
            return latest.name  # a quote paragraph after the one that names its speaker
        if si > 0 and not pre and self.sentences[si - 1].para == sent.para - 1:
            before = self.sentences[si - 1]  # "17-year-old Jared Potts echoed:" then the quote
            toks = self.tokens[before.tok_lo : before.tok_hi]
            if toks and toks[-1].text == ":":
                found = self.attr.before_quote(toks, toks)
                return self._resolve(found, before.start) if found is not None else None
        return None

    # -- resolution --------------------------------------------------------------------------

    def _resolve(self, found: Found, pos: int) -> str | None:
        """A speaker phrase as a canonical name: pronouns and descriptions resolved, or None."""
        if found.pronoun is not None:
            gender = PERSON_PRONOUNS.get(found.pronoun, "")
            if found.pronoun in {"he", "she", "him", "her"}:
                return self._antecedent(pos, gender)
            return None
        phrase = found.phrase
        if phrase is None or phrase.kind == "anonymous":
            return None
        if phrase.kind == "description":
            person = self.cast.describe(phrase.roles, min(pos, found.pos))
            return person.canonical if person is not None else None
        if phrase.name is None:
            return None
        if phrase.kind == "person":
            self.cast.add(phrase, found.pos, speaking=True)
            return self.cast.canonical(phrase.name)
        return phrase.name

    def _antecedent(self, pos: int, gender: str) -> str | None:
        """Who "he"/"she" is: the latest speaker or sentence subject before it that fits."""
        si = self._sentence_of(pos)
        para = self.sentences[si].para
        for back in range(si, max(-1, si - 7), -1):
            sent = self.sentences[back]
            if para - sent.para > 2:
                break
            limit = min(sent.end, pos)
            events = [e for e in self.events if sent.start <= e.pos < limit]
            for event in reversed(events):
                if event.name is None or _ACRONYM.fullmatch(event.name):
                    continue  # "IRNA reported": an agency is not "he" or "she"
                if not gender or not event.gender or event.gender == gender:
                    return event.name
            subject = self._subject_of(sent, limit)
            if subject is not None and not _ACRONYM.fullmatch(subject):
                person = self.cast.find(subject)
                g = person.gender if person else ""
                if (not gender or not g or g == gender) and self.cast.is_person(subject):
                    return self.cast.canonical(subject)
        return None

    def _subject_of(self, sent: _Sentence, limit: int) -> str | None:
        toks = self.tokens[sent.tok_lo : self._tok(limit)]
        found = self.attr.main_subject(toks, 0, len(toks)) if toks else None
        if found is None or found.phrase is None:
            return None
        if found.phrase.kind == "description":
            person = self.cast.describe(found.phrase.roles, sent.start)
            return person.canonical if person else None
        return found.phrase.name if found.phrase.kind == "person" else None

    def _event(self, pos: int, name: str | None) -> None:
        """Someone spoke here (None: someone unknown, which stops "he said" carrying over)."""
        person = self.cast.find(name) if name else None
        self.events.append(_Event(pos, name, person.gender if person else ""))

    def _sentence_events(self, sent: _Sentence) -> None:
        """Speech verbs outside quotes ("Mr. Hegseth said NATO …") make their subject salient."""
        lo, hi = sent.tok_lo, sent.tok_hi
        statements, verbs = self._statements, self._verbs
        stated = bisect_left(statements, lo) < bisect_left(statements, hi)
        first, past = bisect_left(verbs, lo), bisect_left(verbs, hi)
        if not stated and first == past:
            return  # most sentences: no statement noun, no speech verb
        toks = self.tokens[lo:hi]
        if stated:
            # "Clinton began Sunday with a personally signed tweet …": the subject has spoken.
            found = self.attr.main_subject(toks, 0, len(toks))
            if found is not None and found.phrase is not None and self._names_person(found):
                name = self._resolve(found, sent.start)
                if name is not None:
                    self._event(sent.start, name)
        # Without a next word, is_cue needs a speech verb: only those words are looked at.
        for i in verbs[first:past]:
            k = i - lo
            tok = toks[k]
            if tok.lower == "according" or not is_cue(tok, toks[k - 1] if k else None):
                continue
            found = self.attr.subject_of_cue(toks[: k + 3], k, toks[: k + 3])
            if found is not None and _subordinate(toks, found):
                continue  # "Hooton said after Rubio spoke": the main clause's speaker stays salient
            if found is not None and (found.phrase is not None or found.pronoun in {"he", "she"}):
                name = self._resolve(found, tok.start)
                if name is not None:
                    self._event(tok.start, name)

    # -- output ------------------------------------------------------------------------------

    def _keep(self, span: QuoteSpan, speaker: str | None, cue: str | None) -> bool:
        """Speech, not a title or a scare quote: "on CNN’s “Fareed Zakaria GPS”", "the film
        “Bloodline”", "the deal is a “pre-agreement”" (no source anywhere in the sentence)."""
        if span.single and self._double_style:
            return False  # single marks at top level where the body quotes with double ones: headlines
        before = self.text[max(0, span.open_mark - 60) : span.open_mark]
        after = self.text[span.end : span.end + 60]
        attributed = speaker is not None or cue is not None
        passage = self.text[span.start : span.end]
        if not attributed and is_scare_quote(passage, self._words_around(span)):
            return False
        return is_speech(passage, before, after, attributed)

    def _words_around(self, span: QuoteSpan) -> list[str]:
        """The words of the sentence a quote opens in, outside quotation marks."""
        sent = self.sentences[self._sentence_of(span.open_mark)]
        return [t.text for t in self.tokens[sent.tok_lo : sent.tok_hi] if t.is_word]

    def _quote(self, span: QuoteSpan, speaker: str | None, cue: str | None) -> Quote:
        pieces = [self.text[s:e] for s, e in span.pieces] or [self.text[span.start : span.end]]
        return Quote(text="\n".join(pieces), speaker=speaker, cue=cue, start=span.start, end=span.end)


def _subordinate(toks: list[Token], found: Found) -> bool:
    """Whether a subject opens a temporal or conditional clause ("after Rubio spoke")."""
    at = next((n for n, t in enumerate(toks) if t.start == found.pos), 0)
    return at > 0 and toks[at - 1].lower in _SUBORDINATORS


def extract_quotes(text: str) -> list[Quote]:
    """Direct quotations in an article's text, each with its speaker (or None) and cue.

    `start`/`end` are offsets of the quoted words in `text` (marks excluded); a quote running over
    several paragraphs spans them all and its `text` has one line per paragraph.
    """
    if not text or not any(c in text for c in "\"“”'‘’«„"):
        return []
    spans = find_quote_spans(text)
    if not spans:
        return []  # apostrophes only: nothing to attribute, no need to read the article
    return ArticleReader(text, spans).read()
