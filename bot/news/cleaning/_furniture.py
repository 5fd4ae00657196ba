"""The vocabulary of site furniture: lines and patterns that are clutter wherever they appear
(share bars, newsletter asks, photo credits), and the fast tests `_lines` runs against them."""

from __future__ import annotations

import re
from itertools import compress

from bot.news.text import lower  # Python's own lower-casing, compiled too


def words_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string (keeps long vocabularies readable)."""
    return frozenset(words.split())


# Whole lines (compared by `line_key`) that are site furniture wherever they appear.
_BOILER_LINES = frozenset(
    phrase.strip()
    for phrase in """
    advertisement|advertisements|advertising|advert|ad|ads|anzeige|werbung|publicité|publicidad|pubblicità
    reclame|advertentie|реклама|sponsored|sponsored content|paid content|partner content|promoted
    share|share this|share this article|share this story|share on facebook|share on twitter|tweet|print|email
    related|related posts|related articles|related stories|related content|related news|related coverage
    more stories|more news|read more|read next|see also|also read|recommended|recommended for you
    you may also like|you might also like|don t miss|don't miss|most popular|most read|popular posts|popular
    latest|latest news|latest posts|latest stories|latest articles|trending|trending now|trending stories
    top stories|editors picks|editor s picks|editors pick|featured|featured posts|in case you missed it
    about us|about|contact|contact us|privacy|privacy policy|terms|terms of use|terms of service
    terms and conditions|cookie policy|cookies|imprint|impressum|accessibility|sitemap|advertise
    advertise with us|careers|faq|help|subscribe|subscribe now|subscribe for updates|sign up|sign in|log in
    login|logout|log out|register|newsletter|newsletters|donate|support us|menu|close menu|open menu
    main menu|navigation|toggle navigation|home|search|search for|skip to content|skip to main content
    back to top|scroll to top|source link|previous post|next post|previous post next post|previous article
    next article|older post|newer post|older posts|newer posts|previous|next|comments|comment|no comments
    post a comment|post comment|leave a reply|leave a comment|add a comment|view comments|show comments
    load comments|join the discussion|name|website|tags|tag|categories|category|filed under|topics
    listen|listen live|watch live|watch|play|photos|gallery|view gallery|view property|album art
    now playing|on air|loading|please wait|all rights reserved|copy link|copied|follow us|connect with us
    """.replace("\n", "|").split("|")
) - {""}

_SOCIAL = words_set(
    "share shares facebook twitter x pinterest linkedin tumblr email e mail telegram whatsapp reddit vkontakte vk "
    "copy link print messenger flipboard mail sms tweet pocket bluesky threads instagram youtube tiktok "
    "mastodon xing line viber skype"
)

# Patterns that mark a (short) line as furniture anywhere in it.
_BOILER_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^sponsor(?:ed)?(?: by)?\s*:",
        r"^advertisement\b",
        r"\bcan be (?:reached|contacted) at\b",
        r"(?:^|[.!?]\s+)follow\b.{0,40}\b(?:on|at)\s+(?:twitter|facebook|instagram|tiktok|bluesky|threads|linkedin|youtube|x)\b",
        r"\b(?:sign(?:ing)? up|subscribe|register)\b.{0,60}\b(?:newsletters?|news alerts?|e-?mail alerts?|text alerts?|inbox|digest)\b",
        r"\b(?:sign(?:ing)? up|subscribe)\b.{0,10}\b(?:for|to) (?:our|the|free)\b.{0,30}\b(?:updates|alerts)\b",
        r"\bdownload (?:the|our)\b.{0,40}\bapp\b",
        r"\b(?:click|tap) here\b",
        r"^stay (?:with|tuned|informed|connected)\b",
        r"(?:(?<![^\W\d_])©\s*(?:\d{4}|[A-Z])|\(c\)\s*\d{4}|^copyright\b|\bcopyright (?:©\s*)?\d{4}|\ball rights reserved\b)",
        r"\bthis material may not be (?:published|broadcast|rewritten|redistributed)\b",
        r"\bpress (?:enter|esc)\b",
        r"^type (?:above|here)\b",
        r"^(?:no|\d+)\s+comments?\s*$",
        r"^comments?\s*\(\d+\)$",
        r"\bpost a comment\b",
        r"\bleave a (?:reply|comment)\b",
        r"\badd a comment\b",
        r"\byour email address will not be published\b",
        r"\brequired fields are marked\b",
        r"\bsave my name, email\b",
        r"^sort by\b",
        r"\blog ?in to (?:join|comment|leave|reply|post)\b",
        r"\bjoin the (?:discussion|conversation)\b",
        r"\bcomment system\b",
        r"\b\d+\s*min(?:ute)?s?\.? read\b",
        r"^(?:related|read more|read also|see also|also read|more|recommended|read next|must read|trending|"
        r"watch|listen|video|photos?|gallery|image|picture|foto|bild)\s*:",
        r"^more (?:from|on|about|in|stories|news|coverage)\b",
        r"^(?:back to|go to|return to) \S+(?: \S+)?$",
        r"^about (?:us|me|the [\w -]{1,30}|[\w-]+)$",
        r"^\[[a-z_]+\s+[a-z_]+\s*=[^\]]*\]|\[/[a-z_]+\]",  # shortcodes left by CMS exports
        r"^(?:previous|next|older|newer) (?:post|article|story)\b",
        r"^(?:privacy|terms)\b.{0,40}\|",
        r"\((?:photo|image|picture|file photo|video|credit)\b[^)]*\)\s*$",
        r"\b(?:getty images|shutterstock|ap photo|afp via getty)\b",
    )
]


# A pattern's literals that must open the line (the pattern is anchored there) come after this
# mark in its `_NEEDLES` entry. A mark, not a tuple subclass: mypyc compiles no such subclass.
_START = "^"


def _start(*prefixes: str) -> tuple[str, ...]:
    """The `_NEEDLES` entry of an anchored pattern: its prefixes after the `_START` mark."""
    return (_START, *prefixes)


# "Related:", "Read more:", "Photos:"...: the openings of the labelled-link pattern.
_LABEL_OPENINGS = (
    "related", "read more", "read also", "see also", "also read", "more", "recommended", "read next",
    "must read", "trending", "watch", "listen", "video", "photo", "gallery", "image", "picture", "foto",
    "bild",
)  # fmt: skip
_BOILER_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in _BOILER_PATTERNS), re.IGNORECASE)
# Speed (the combined pattern is tried at every position of every line): a pattern runs only on a
# line holding one of its literals. Each literal is text that pattern cannot match without, so a
# line without any of them cannot match it: the answer is the combined pattern's. The test
# compares lowercased text, which agrees with IGNORECASE except on four letters (below): a line
# holding one of those takes the combined pattern.
# A literal after `_START` must open the line: the pattern is anchored there (`^`, no other
# branch). The substring tests cost most (each looks through the whole line): patterns share
# one where a shorter literal is in all of theirs ("comment" in "post a comment").
_NEEDLES: tuple[tuple[str, ...], ...] = (
    _start("sponsor"),
    _start("advertisement"),
    ("can be ",),
    ("follow",),
    ("sign", "subscribe", "register"),
    ("sign", "subscribe"),
    ("download ",),
    (" here",),
    _start("stay "),
    ("©", "(c)", "copyright", "all rights reserved"),
    ("this material may not be ",),
    ("press ",),
    _start("type "),
    ("comment",),
    _start("comment"),
    ("comment",),
    ("leave a ",),
    ("comment",),
    ("email",),
    ("required fields are marked",),
    ("email",),
    _start("sort by"),
    ("log",),
    ("join the ",),
    ("comment",),
    (" read",),
    _start(*_LABEL_OPENINGS),
    _start("more "),
    _start("back to ", "go to ", "return to "),
    _start("about "),
    ("[",),
    _start("previous ", "next ", "older ", "newer "),
    _start("privacy", "terms"),
    ("(",),
    ("getty", "shutterstock", "ap photo"),
)
assert len(_NEEDLES) == len(_BOILER_PATTERNS)
_ANCHORED = frozenset(i for i, needles in enumerate(_NEEDLES) if needles[0] == _START)


def _substring_gates() -> dict[str, tuple[int, ...]]:
    """Each distinct substring once, with the patterns it lets run (in order)."""
    gates: dict[str, tuple[int, ...]] = {}
    for index, needles in enumerate(_NEEDLES):
        if index not in _ANCHORED:
            for needle in needles:
                gates[needle] = (*gates.get(needle, ()), index)
    return gates


_SUBSTRINGS = _substring_gates()
_NEEDLE_TEXTS = tuple(_SUBSTRINGS)
_NEEDLE_PATTERNS = tuple(_SUBSTRINGS.values())
_OPENINGS = tuple((_NEEDLES[i][1:], _BOILER_PATTERNS[i]) for i in sorted(_ANCHORED))
# The anchored patterns' prefixes all together: one test, which most lines fail.
_ANY_OPENING = tuple(prefix for prefixes, _ in _OPENINGS for prefix in prefixes)
# Letters IGNORECASE matches to an ASCII letter that str.lower() does not turn into it.
_FOLD_ODD = re.compile("[\u0130\u0131\u017f\u212a]")


def _lowered(body: str) -> str | None:
    """The line lower-cased for the literal tests below; None if IGNORECASE folds a letter of it oddly."""
    return None if _FOLD_ODD.search(body) else lower(body)


def _boiler_pattern_in(body: str) -> bool:
    """`bool(_BOILER_ANY.search(body))`, computed by running only the patterns that can match."""
    return _boiler_pattern_low(body, _lowered(body))


def _boiler_pattern_low(body: str, low: str | None) -> bool:
    """`_boiler_pattern_in(body)`, given `_lowered(body)`."""
    if low is None:
        return bool(_BOILER_ANY.search(body))
    if low.startswith(_ANY_OPENING):  # one test for the anchored patterns: few lines pass it
        for prefixes, pattern in _OPENINGS:
            if low.startswith(prefixes) and pattern.search(body):
                return True
    # The substring tests first (they fail far more often), all in C: `compress` hands on the
    # patterns of each literal found, and is asked no further once one matches.
    for indices in compress(_NEEDLE_PATTERNS, map(low.__contains__, _NEEDLE_TEXTS)):
        for index in indices:
            if _BOILER_PATTERNS[index].search(body):
                return True
    return False


# Photo and video captions end with a credit ("... Photo by Jane Doe / The Ledger"); case matters.
_CAPTION_PATTERNS = [
    re.compile(r"\b(?i:photo|image|picture|foto|video)s?(?: (?i:credit))?\s*(?i:by|:)\s*[A-Z][^.!?]{0,60}$"),
    re.compile(r"\b[A-Z]{2,}(?: [A-Z]{2,})* PHOTO\s*/"),
]
# Words the first caption pattern cannot match without (lowercased), and the second's literal.
_CAPTION_WORDS = ("photo", "image", "picture", "foto", "video")
_CAPTION_LITERAL = " PHOTO"


def _caption_in(body: str) -> bool:
    """`any(p.search(body) for p in _CAPTION_PATTERNS)`, skipping a pattern where its words are not.

    Most lines name no photo: a few substring tests instead of two patterns tried at every word.
    As in `_boiler_pattern_in`, a line with a letter IGNORECASE folds oddly takes the pattern."""
    return _caption_low(body, _lowered(body))


def _caption_low(body: str, low: str | None) -> bool:
    """`_caption_in(body)`, given `_lowered(body)`."""
    if _CAPTION_LITERAL in body and _CAPTION_PATTERNS[1].search(body):
        return True
    if low is not None and not any(map(low.__contains__, _CAPTION_WORDS)):
        return False
    return bool(_CAPTION_PATTERNS[0].search(body))
