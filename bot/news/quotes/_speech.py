"""Whether a quoted passage is someone's words or a name, a title, a link caption or a scare quote.

Quotation marks also set off titles of works ("the film “Bloodline”"), names of shows, slogans on
merchandise, the captions of linked articles and the writer's own distance from a word ("the deal is
a “pre-agreement”"). The rules read the passage's shape (title case, length), the words touching
its marks and the words of its sentence, never which article it is in.
"""

from __future__ import annotations

import re

from bot.news.text import (
    ANONYMOUS_HEADS,
    ORG_WORDS,
    ROLE_HEADS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    lower,
    word_set,
)

_WORD = re.compile(r"\w+")
_SMALL_WORDS = word_set("of the a an and in on to for at by with from or nor but as")
# Words right before a title: "the book “…”", "CNN’s “…”", "titled “…”", "on “…”". Whole words
# only, and inside the clause: "…on the question. “Denver,” he answered" is no title context. A
# title right after "told" is who was told, a programme: 'Fiorina told “Fox and Friends,”'.
_TITLE_CONTEXT = re.compile(
    r"(?:\b(?:book|film|movie|show|program|programme|series|album|song|play|novel|memoir|podcast|"
    r"documentary|headlined|headline|column|article|op-ed|essay|report|magazine|"
    r"newspaper|sketch|episode|segment|on|with|of|told|tells|telling)|\w[’']s)[\s,:]{0,3}$",
    re.IGNORECASE,
)
# Words that introduce an utterance or a written message nobody in particular signs (chants, cries,
# signs and hats that read something) and naming verbs, whose object is the name someone chose
# ("an ad titled “Scam.”", "known as “the Poorhouse of the Caribbean”"): the words are someone's.
_UTTERANCE_CONTEXT = re.compile(
    r"\b(?:titled|entitled|named|nicknamed|dubbed|billed\s+as|known\s+as|designated\s+as|labell?ed\s+as|"
    r"label\s+as|chant(?:s|ed|ing)?(?:\s+of)?|cr(?:y|ies|ied)(?:\s+of)?|calls?\s+of|shout(?:s|ed|ing)?|"
    r"yell(?:s|ed|ing)?|scream(?:s|ed|ing)?|read|reads|reading|says|interjecting|message|"
    r"proclamation|slogan)[\s,:]{0,3}$",
    re.IGNORECASE,
)
# A link right after the closing mark: the passage is a linked article's headline or excerpt.
_LINK_AFTER = re.compile(r"^[”\"'’]{0,2}[.,]?[”\"'’]{0,2}\s*\(?https?://")
# "“The Making of Donald Trump,” by David Cay Johnston": a work (or a headline) and its author.
_BYLINE_AFTER = re.compile(r"^[”\"'’]{0,2}(,?)[”\"'’]{0,2}\s+by\s+(?:the\s+)?[A-Z]")
_LEADS_PARAGRAPH = re.compile(r"(?:^|\n|[—–])\s*$")
# A title-case name right before a noun of the screen or the air names a programme or a work that
# the noun belongs to: "“Daily Show” host Trevor Noah", "another ''Today'' anchor".
_PROGRAMME_AFTER = re.compile(
    r"^[”\"'’]{1,2}\s+(?:host|hosts|co-host|anchor|anchors|star|stars|podcast|broadcasts?|show|"
    r"series|episode|segment|actor|actress|creator|producer|franchise|sequel)\b",
    re.IGNORECASE,
)
# Words that can stand for whoever said, wrote or holds the quoted words ("he", "officials", "the
# senator", "the administration", "the contract states", "according to"), verbs of opinion, whose
# holder is a source too ("jobs that are considered “…”"), and words about words ("the phrase “…”").
_SOURCE_WORDS = (
    word_set(
        """
        he she they i we you his her their him them my our according states state non-profit
        consider considered considers deem deemed regard regarded believe believed believes think
        thinks thought talk talked talking talks view viewed
        """
    )
    | ANONYMOUS_HEADS
    | ROLE_HEADS
    | ORG_WORDS
)
_MENTION_WORDS = word_set(
    """
    phrase term terms label labels word words known slogan moniker nickname dubbed so-called name
    named titled entitled designated
    """
)
_SCARE_MAX_WORDS = 3
_TITLE_WORDS, _SUBTITLE_WORDS = 8, 12  # the most words a title (and its subtitle) has
# More words than a title and its subtitle together, told without building the list of words
# (possessive quantifiers: no backtracking splits one word in two). Most quotes are this long.
_LONGER_THAN_TITLES = re.compile(rf"(?:\W*+\w++){{{_TITLE_WORDS + _SUBTITLE_WORDS + 1}}}")


def is_titled(passage: str, words: list[str] | None = None) -> bool:
    """A short passage whose content words are capitalised: a title or a name more than a sentence.

    A title with a subtitle may run longer: "Backfire: Carly Fiorina's High-Stakes Battle for the
    Soul of Hewlett-Packard" (both sides of the colon title-case). `words`: the passage's words
    (`_WORD.findall`), when the caller has them.
    """
    head, colon, tail = passage.partition(":")
    if colon and _WORD.search(head) and _WORD.search(tail):
        return _title_case(_WORD.findall(head), _TITLE_WORDS) and _title_case(
            _WORD.findall(tail), _SUBTITLE_WORDS
        )
    return _title_case(_WORD.findall(passage) if words is None else words, _TITLE_WORDS)


def _title_case(words: list[str], most: int) -> bool:
    if not words or len(words) > most:
        return False
    content = [w for w in words if lower(w) not in _SMALL_WORDS] or words
    capitalised = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return capitalised >= 0.6 * len(content)


def is_speech(passage: str, before: str, after: str, attributed: bool) -> bool:
    """Whether a quoted passage is quoted words rather than a title, a name or a link caption.

    `before` is the text up to the opening mark, `after` the text from the closing mark;
    `attributed` tells whether a speaker or a speech verb was found for it.
    """
    # A passage of more words than a title and its subtitle together is no title (no word spans
    # the colon) nor a label: most quotes, spared listing their words.
    long = _LONGER_THAN_TITLES.match(passage) is not None
    words = [] if long else _WORD.findall(passage)
    if not long and not words:
        return False
    if not long and len(words) <= 2 and passage.rstrip().endswith(":"):
        return False  # a label: "“Related:”"
    if _LINK_AFTER.match(after):
        return False  # '—"Pop-up art show strives to …" http://…': a linked article's words
    near = before[-40:]
    titled = not long and is_titled(passage, words)
    byline = _BYLINE_AFTER.match(after)
    if byline and (titled or (byline.group(1) and _LEADS_PARAGRAPH.search(near))):
        return False  # "'This Kind of War,' by T.R. Fehrenbach", '—"Met accused of …," by Post's …'
    if titled and _PROGRAMME_AFTER.match(after):
        return False  # "“Off Message” podcast": a programme's name
    if not titled or _UTTERANCE_CONTEXT.search(near):
        return True  # "chants of “Feel the Bern!”", "a sign that read “15%!”"
    if not attributed:
        return False  # "“Apollo 13”", "the “Big Tent Brunch”": a name or title nobody said
    return not _TITLE_CONTEXT.search(near[-30:])


def is_scare_quote(passage: str, sentence_words: list[str]) -> bool:
    """A few quoted words in a sentence that names nobody: the writer's scare quote or term.

    `sentence_words` are the words of the quote's sentence outside quotation marks, in order.
    Reported words need a source; with no name (a capitalised word past the first), no pronoun or
    noun for people, no speech verb or noun and no word about words anywhere in the sentence,
    nobody is reported as saying them ("The deal is actually a “pre-agreement”", "the ''marbling''
    of the rebel groups", 'rated in "fair" condition'). A quote that is (nearly) its own sentence
    is an utterance, so it stays; title-case passages are names or titles, which `is_speech` reads.
    Only for quotes the reader found no speaker or speech verb for.
    """
    if len(passage.split()) > _SCARE_MAX_WORDS or len(sentence_words) < 3 or is_titled(passage):
        return False
    for k, word in enumerate(sentence_words):
        low = lower(word)
        if (k > 0 and word[0].isupper()) or low in _SOURCE_WORDS or low in _MENTION_WORDS:
            return False
        if low in SPEECH_VERBS or low in SPEECH_NOUNS:
            return False
    return True
