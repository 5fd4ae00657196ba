"""Feeds: parse RSS 0.9x/1.0/2.0 and Atom (feedparser), find a page's feed, entry text.

Parsing only, no network and no database. Input is bytes already capped in size by the fetcher;
documents declaring XML entities are refused before any parser sees them (billion laughs).
"""

from __future__ import annotations

import calendar
import html
import io
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import feedparser
import lxml.html
from lxml import etree
from yarl import URL

log = logging.getLogger(__name__)

FEED_LINK_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_WS = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section"}
)


# feedparser flags these, but the document itself parsed as XML.
_BENIGN = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)


class FeedParseError(Exception):
    """The document cannot be used as a feed; the message says why."""


@dataclass
class FeedEntry:
    """One item of a feed, as parsed."""

    guid: str | None = None
    link: str | None = None
    title: str | None = None
    summary_html: str = ""
    content_html: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[str] = field(default_factory=list)

    @property
    def when(self) -> datetime | None:
        """The entry's date: published, else updated."""
        return self.published or self.updated

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe form, kept while the entry waits for a retry."""
        return {
            "guid": self.guid,
            "link": self.link,
            "title": self.title,
            "summary_html": self.summary_html,
            "content_html": self.content_html,
            "published": self.published.isoformat() if self.published else None,
            "updated": self.updated.isoformat() if self.updated else None,
            "authors": self.authors,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeedEntry:
        def when(key: str) -> datetime | None:
            value = data.get(key)
            return datetime.fromisoformat(value) if isinstance(value, str) else None

        title = data.get("title")
        return cls(
            guid=data.get("guid"),
            link=data.get("link"),
            # Kept by an older version, the title may still hold markup.
            title=plain_line(title) or None if isinstance(title, str) else None,
            summary_html=data.get("summary_html") or "",
            content_html=data.get("content_html") or "",
            published=when("published"),
            updated=when("updated"),
            authors=list(data.get("authors") or []),
        )


@dataclass
class ParsedFeed:
    """A feed document: its channel data and its entries, in document order."""

    version: str
    title: str | None = None
    site_link: str | None = None
    language: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    malformed: bool = False


def refuse_entity_declarations(body: bytes) -> None:
    """`FeedParseError` if the document's prolog declares entities (entity-expansion bombs)."""
    head = body[:65536]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        head = head.replace(b"\x00", b"")  # UTF-16/32: the ASCII markup survives dropping NULs
    root = _ROOT_START.search(head)
    prolog = head[: root.start()] if root else head
    if _ENTITY_DECL.search(prolog):
        raise FeedParseError("the document declares XML entities, which feeds never need (refused)")


def _struct_to_datetime(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _text_value(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _plain_value(value: Any) -> str:
    # Titles and names: feeds put markup and entities (even escaped twice) in them.
    return plain_line(value) if isinstance(value, str) else ""


def _absolute(link: str, base: URL) -> str | None:
    if not link:
        return None
    try:
        return str(base.join(URL(link)))
    except (ValueError, TypeError):
        return None


def _entry_from(raw: Any, base: URL) -> FeedEntry:
    content = raw.get("content") or []
    content_html = max((_text_value(c.get("value")) for c in content), key=len, default="")
    authors = [_plain_value(a.get("name")) for a in raw.get("authors") or [] if _plain_value(a.get("name"))]
    if not authors and _plain_value(raw.get("author")):
        authors = [_plain_value(raw.get("author"))]
    return FeedEntry(
        guid=_text_value(raw.get("id")) or None,
        link=_absolute(_text_value(raw.get("link")), base),
        title=_plain_value(raw.get("title")) or None,
        summary_html=_text_value(raw.get("summary")),
        content_html=content_html,
        published=_struct_to_datetime(raw.get("published_parsed")),
        # dict.get: FeedParserDict.get maps a missing updated_parsed to published_parsed, with a warning.
        updated=_struct_to_datetime(dict.get(raw, "updated_parsed")),
        authors=authors,
    )


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document; `FeedParseError` if it is not a feed."""
    if not body.strip():
        raise FeedParseError("empty document")
    refuse_entity_declarations(body)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A BytesIO, never a str: feedparser treats a string as a URL or file name to open.
    # HTML is turned into plain text later, so feedparser's sanitiser is wasted work here.
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({problem.__class__.__name__}: {str(problem)[:120]})" if problem else ""
        raise FeedParseError(f"not an RSS or Atom feed{detail}")
    channel = parsed.get("feed", {})
    base = URL(url)
    language = _text_value(channel.get("language")).lower()[:8] or None
    return ParsedFeed(
        version=version or "unknown",
        title=_plain_value(channel.get("title")) or None,
        site_link=_text_value(channel.get("link")) or None,
        language=language,
        entries=[_entry_from(e, base) for e in parsed.entries],
        malformed=bool(parsed.get("bozo")) and not isinstance(parsed.get("bozo_exception"), _BENIGN),
    )


class _AlternateLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("link", "a"):
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in FEED_LINK_TYPES and values.get("href", "").strip():
            self.found.append((values["href"].strip(), kind))


def find_feed_links(html: bytes, base_url: str) -> list[str]:
    """Feed URLs a web page names with <link rel="alternate" type="application/rss+xml|atom+xml">."""
    text = html[:1_000_000].decode("utf-8", "replace")
    finder = _AlternateLinks()
    try:
        finder.feed(text)
        finder.close()
    except Exception:  # a broken page: keep what was found before the break
        log.debug("page %s did not parse cleanly", base_url)
    base = URL(base_url)
    seen: dict[str, None] = {}
    for href, _kind in finder.found:
        try:
            seen.setdefault(str(base.join(URL(href))), None)
        except ValueError:
            continue
    return list(seen)


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """True for a web page (by its type, or its first tag when the type is vague)."""
    kind = (content_type or "").lower()
    if "html" in kind:
        return True
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


# Elements whose content is never text a reader should see (scripts, embeds, drawings, forms).
_HIDDEN = "|".join(
    f".//{tag}"
    for tag in (
        "script", "style", "noscript", "iframe", "frame", "object", "embed", "applet", "svg",
        "math", "template", "head", "title", "select", "textarea", "canvas", "audio", "video",
    )
)  # fmt: skip
# A character reference or named entity still in text that was decoded once: escaped twice.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG_START = re.compile(r"<[A-Za-z!/?]")
# Control characters (C0 but tab and newlines, DEL, C1): never text; lxml refuses some of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed's summary or content), paragraphs kept.

    Tags go, with scripts, frames and other content no reader sees; entities are decoded. Feeds
    that escape twice ("AT&amp;amp;T", "&amp;lt;script&amp;gt;") are decoded again, and markup
    that decoding reveals goes too: what comes out holds no markup and no entity.
    """
    text = _CONTROL.sub("", fragment)
    for _ in range(3):
        if not _TAG_START.search(text) and not _ENTITY.search(text):
            break
        text = _html_pass(text)
    return _tidy(text)


def plain_line(value: str) -> str:
    """A title or name from a feed as one line of plain text."""
    return " ".join(html_to_text(value).split())


def _html_pass(fragment: str) -> str:
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return html.unescape(re.sub(r"<[^>]*>?", " ", fragment))
    for bad in root.xpath(_HIDDEN):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n\n" + (el.tail or "")
    return str(root.text_content())


def _tidy(text: str) -> str:
    lines = [_WS.sub(" ", line).strip() for line in text.replace("\xa0", " ").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
