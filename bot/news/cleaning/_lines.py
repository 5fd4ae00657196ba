"""One line of a page, classified by its features: prose, short, boilerplate or metadata.

The rules are deliberately general (length, punctuation, sentence shape, a vocabulary of site
furniture in a few languages) so that they carry over to pages we have never seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from operator import itemgetter

from bot.news.cleaning._language import any_stopword_ratio


class LineKind(Enum):
    """What a line of a page looks like."""

    PROSE = "prose"  # sentence-shaped: the stuff articles are made of
    SHORT = "short"  # headline, subheading, menu entry, list item, caption...
    BOILER = "boiler"  # site furniture that never belongs in an article body
    META = "meta"  # byline, dateline, "Source:" and similar: not body, but metadata


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
BULLET = re.compile(r"^(?:[•·▪●◦‣∙○■□➤►▶*+–—-]|\d{1,2}[.)])\s+")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]*]*$")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_SAMPLE_CHARS = 3000
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def words_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string (keeps long vocabularies readable)."""
    return frozenset(words.split())


def normalise_line(line: str) -> str:
    """The line with invisible characters dropped and whitespace collapsed."""
    # The work is skipped where it would change nothing (every character is ASCII; no whitespace
    # but single spaces, as every other whitespace character is unprintable).
    if not line.isascii():
        if _HAS_INVISIBLE.search(line):  # rare: str.translate looks up every character
            line = line.translate(_INVISIBLE)
        line = line.replace("\xa0", " ")
    if "  " in line or not line.isprintable():
        line = _SPACES.sub(" ", line)
    return line.strip()


def strip_bullet(text: str) -> str:
    """The line without a leading list marker."""
    return BULLET.sub("", text, count=1)


def words_of(text: str) -> list[str]:
    """Word tokens of a line (letters and digits, inner apostrophes/dots/hyphens kept)."""
    return _WORD.findall(text)


def line_key(text: str) -> str:
    """A comparison key: lowercase letters and digits only, single-spaced."""
    return key_of(words_of(text))


def key_of(words: list[str]) -> str:
    """`line_key` of a line whose `words_of` are known.

    Lowercasing the joined words is lowercasing each: str.lower's one context rule (a final
    sigma) sees a space and the end of a word alike."""
    return " ".join(words).lower()


def emails_in(text: str) -> list[str]:
    """E-mail addresses in a line."""
    return _EMAIL.findall(text) if "@" in text else []


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
_BOILER_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in _BOILER_PATTERNS), re.IGNORECASE)
# Speed (the combined pattern is tried at every position of every line): a pattern runs only on a
# line holding one of its literals. Each literal is text that pattern cannot match without, so a
# line without any of them cannot match it: the answer is the combined pattern's. The test
# compares lowercased text, which agrees with IGNORECASE except on four letters (below): a line
# holding one of those takes the combined pattern.
_NEEDLES: tuple[tuple[str, ...], ...] = (
    ("sponsor",),
    ("advertisement",),
    ("can be ",),
    ("follow",),
    ("sign", "subscribe", "register"),
    ("sign", "subscribe"),
    ("download ",),
    (" here",),
    ("stay ",),
    ("©", "(c)", "copyright", "all rights reserved"),
    ("this material may not be ",),
    ("press ",),
    ("type ",),
    ("comment",),
    ("comment",),
    ("post a comment",),
    ("leave a ",),
    ("add a comment",),
    ("your email address will not be published",),
    ("required fields are marked",),
    ("save my name, email",),
    ("sort by",),
    ("log",),
    ("join the ",),
    ("comment system",),
    (" read",),
    (":",),
    ("more ",),
    (" to ",),
    ("about ",),
    ("[",),
    (" post", " article", " story"),
    ("|",),
    ("(photo", "(image", "(picture", "(file photo", "(video", "(credit"),
    ("getty images", "shutterstock", "ap photo", "afp via getty"),
)
assert len(_NEEDLES) == len(_BOILER_PATTERNS)
# (literal, pattern index), in pattern order: one flat loop of substring tests.
_NEEDLE_INDEX = tuple((needle, i) for i, needles in enumerate(_NEEDLES) for needle in needles)
# Letters IGNORECASE matches to an ASCII letter that str.lower() does not turn into it.
_FOLD_ODD = re.compile("[\u0130\u0131\u017f\u212a]")


def _lowered(body: str) -> str | None:
    """The line lower-cased for the literal tests below; None if IGNORECASE folds a letter of it oddly."""
    return None if _FOLD_ODD.search(body) else body.lower()


def _boiler_pattern_in(body: str) -> bool:
    """`bool(_BOILER_ANY.search(body))`, computed by running only the patterns that can match."""
    return _boiler_pattern_low(body, _lowered(body))


def _boiler_pattern_low(body: str, low: str | None) -> bool:
    """`_boiler_pattern_in(body)`, given `_lowered(body)`."""
    if low is None:
        return bool(_BOILER_ANY.search(body))
    tried = -1
    for needle, index in _NEEDLE_INDEX:
        if needle in low and index != tried:  # the substring test first: it fails far more often
            tried = index
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
    if low is not None and not any(word in low for word in _CAPTION_WORDS):
        return False
    return bool(_CAPTION_PATTERNS[0].search(body))


# Case matters here: "About Us:" or "About The Riverbend Report:" introduce a site blurb.
_ABOUT_BLURB = re.compile(
    r"^(?i:about)\s+(?:(?i:us|me)|[A-Z0-9][\w&'’.-]*(?:\s+[A-Z0-9][\w&'’.-]*){0,5})\s*:\s"
)
_COMMENT_WORDS = re.compile(
    r"\b(?:komentar\w*|kommentar\w*|commentaires?|comentarios?|comentários?|commenti|commento|reacties?|"
    r"reageer|коммент\w*|komentarz\w*)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^(?:author|authors|autor|autoren|auteur|auteurs|autore|by|von|par|por|source|sources|quelle|fuente|fonte|"
    r"bron|credit|credits|tags?|category|categories|filed under|posted in|topics?|section|editing by|reporting by|"
    r"written by|additional reporting by|updated|published|posted|last updated|modified|aktualisiert|"
    r"veröffentlicht|publié|mis à jour|publicado|actualizado|pubblicato|date|datum)\s*:\s*\S",
    re.IGNORECASE,
)
_STAMP = re.compile(
    r"^(?:updated|published|posted|last updated|modified|aktualisiert|veröffentlicht|publié|mis à jour|"
    r"publicado|actualizado|pubblicato)\b.{0,60}\d",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?i:by|von|par|por|di|door|av|af)\s+\S*[A-Z]")


@dataclass(frozen=True, slots=True)
class PageLine:
    """A non-blank line of a page with the features the cleaner looks at."""

    index: int  # position among the page's non-blank lines
    text: str  # normalised text, bullet kept
    kind: LineKind
    words: int
    bullet: bool
    blank_before: int  # blank lines just above it
    key: str = ""  # `line_key(text)`, computed once


def is_prose(text: str) -> bool:
    """Whether a line reads like running text: sentence-shaped, with lowercase function words."""
    body = strip_bullet(text)
    return _is_prose(body, None)


def _is_prose(body: str, tokens: list[str] | None) -> bool:
    """`is_prose` of a line without its list marker; `tokens`: its `words_of`, when known."""
    if not body.isascii() and _CJK.search(body):  # isascii is a flag: no scan
        return len(body) >= 20 and bool(re.search(r"[。！？.!?」』”]$", body))
    if tokens is None:
        tokens = words_of(body)
    if len(tokens) < 4:
        return False
    rest = tokens[1:]
    lower = sum(map(str.islower, map(itemgetter(0), rest)))  # words starting lowercase
    lower_ratio = lower / len(rest)
    if lower_ratio < 0.3 or any_stopword_ratio(tokens) < 0.12:
        return False
    if _ends_a_sentence(body):
        return True
    return len(tokens) >= 20 and lower_ratio >= 0.45


_CLOSERS, _TERMINALS = "\"'”’»)]*", ".!?…:;"  # `_TERMINAL`'s two character sets


def _ends_a_sentence(body: str) -> bool:
    """`bool(_TERMINAL.search(body))` without trying the pattern at every character: the mark
    is the last character once the closers after it are cut (the two sets share none)."""
    if body.endswith("\n"):  # `$` also matches before a final line break: the pattern decides
        return bool(_TERMINAL.search(body))
    cut = body.rstrip(_CLOSERS)
    return bool(cut) and cut[-1] in _TERMINALS


def is_boilerplate(text: str) -> bool:
    """Whether a line is site furniture (ads, share bars, menus, comment boxes, captions...)."""
    body = strip_bullet(text).strip(" *_|")
    return _is_boilerplate(body, line_key(body))


def _is_boilerplate(body: str, key: str) -> bool:
    if not key:
        return not any(c.isalnum() for c in body) and len(body) > 0
    if key in _BOILER_LINES:
        return True
    # A key is its words single-spaced: counted and its first word cut without splitting it all.
    n = key.count(" ") + 1
    if n >= 2 and key.partition(" ")[0] in _SOCIAL and sum(t in _SOCIAL for t in key.split()) / n >= 0.6:
        return True
    if n > 40:
        return False
    if emails_in(body) and n <= 30:
        return True
    if n <= 6 and _COMMENT_WORDS.search(body):
        return True
    if _ABOUT_BLURB.match(body):
        return True
    low = _lowered(body)  # once for both tests below
    return _caption_low(body, low) or _boiler_pattern_low(body, low)


def is_meta(text: str) -> bool:
    """Whether a line is a byline, dateline or a "Label: value" line such as "Source: Reuters"."""
    body = strip_bullet(text).strip(" *_")
    return _is_meta(body, len(words_of(body)))


def _is_meta(body: str, n: int) -> bool:
    if _STAMP.match(body) and n <= 30:
        return True
    if n > 16:
        return False
    if _LABEL.match(body):
        return True
    return bool(_BYLINE.match(body)) and not is_prose(body)


def classify(text: str) -> LineKind:
    """The kind of one normalised line."""
    return describe_line(text)[0]


def describe_line(text: str) -> tuple[LineKind, list[str]]:
    """The kind of one normalised line and its `words_of`, with the words found once."""
    kind, words, _key = describe_line_keyed(text)
    return kind, words


def describe_line_keyed(text: str) -> tuple[LineKind, list[str], str]:
    """`describe_line`, and the line's `line_key` (made once, as the tests use it too).

    The three tests look at the line without its list marker (and without the " *_|" around it,
    which holds no word characters, so the words are the same); a line without a marker has the
    words of the whole line."""
    words = words_of(text)
    sample = text[:_SAMPLE_CHARS] if len(text) > _SAMPLE_CHARS else text  # judged by its start
    marker = BULLET.match(sample)  # what `strip_bullet` cuts: the pattern is anchored
    bare = sample[marker.end() :] if marker else sample
    whole = marker is None and len(sample) == len(text)
    tokens = words if whole else words_of(bare)
    key = key_of(tokens)
    line = key if whole else key_of(words)
    if _is_meta(bare.strip(" *_"), len(tokens)):
        return LineKind.META, words, line
    if _is_boilerplate(bare.strip(" *_|"), key):
        return LineKind.BOILER, words, line
    return (LineKind.PROSE if _is_prose(bare, tokens) else LineKind.SHORT), words, line
