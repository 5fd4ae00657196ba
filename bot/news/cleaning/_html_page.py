"""HTML pages: trafilatura finds the main text and the page's metadata; we tidy both."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import html as lxml_html

from bot.news.cleaning._furniture import words_set
from bot.news.cleaning._lines import LineKind, classify, normalise_line

if TYPE_CHECKING:
    import trafilatura

log = logging.getLogger(__name__)

# favor_precision scores best on the benchmark pages, but on a few layouts it keeps only a
# fragment; then the default extraction is taken when it finds much more text.
_SHORT_WORDS = 120
_MUCH_LONGER = 2.0
_SECTION_END = re.compile(
    r"^(?:(?i:about) (?:(?i:us)|(?:the )?[A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,3})|(?i:related (?:posts|articles|stories|"
    r"coverage|content)|more (?:from|on) .{1,30}|comments|editor'?s'? picks|you may also like|recommended(?: for you)?))"
    r"\s*:?$"
)
_DATE_MARKUP = (
    re.compile(
        r"<meta[^>]+(?:property|name|itemprop)=[\"'](?:article:published_time|datePublished|pubdate|"
        r"publishdate|publish-date|date|dc\.date|dcterms\.created|sailthru\.date|parsely-pub-date)[\"'][^>]*"
        r"content=[\"']([^\"']+)",
        re.I,
    ),
    re.compile(r"\"datePublished\"\s*:\s*\"([^\"]+)\""),
    re.compile(r"<time[^>]+datetime=[\"']([^\"']+)", re.I),
)
_BLOCK_TAGS = tuple(
    words_set(
        "p div li h1 h2 h3 h4 h5 h6 br tr td th blockquote pre article section header footer nav aside "
        "dd dt figcaption title"
    )
)


@dataclass
class HtmlPage:
    """What came out of an HTML page."""

    text: str  # main text, paragraphs separated by blank lines
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    sitename: str | None = None
    hostname: str | None = None
    url: str | None = None  # the page's own address (canonical link or og:url)
    language: str | None = None
    dropped: list[str] = field(default_factory=list)  # furniture removed from the main text
    plain_text: str | None = None  # the whole page as text, when trafilatura found no article


def extract_html(content: str, url: str | None = None) -> HtmlPage:
    """The main text and metadata of an HTML page."""
    doc = _bare(content, url, favor_precision=True)
    words = len((doc.text or "").split()) if doc is not None else 0
    if words < _SHORT_WORDS:
        alt = _bare(content, url)
        alt_words = len((alt.text or "").split()) if alt is not None else 0
        if alt is not None and (doc is None or alt_words >= _MUCH_LONGER * max(words, 1)):
            doc = alt
    if doc is None or not (doc.text or "").strip():
        return HtmlPage(text="", title=doc.title if doc else None, plain_text=html_to_lines(content))
    text, dropped = tidy_text(doc.text or "")
    return HtmlPage(
        text=text,
        title=doc.title or None,
        authors=split_authors(doc.author),
        date=_precise_date(content, doc.date) or doc.date or None,
        sitename=doc.sitename or None,
        hostname=doc.hostname or None,
        url=_http_url(doc.url),
        language=_lang_attr(content),
        dropped=dropped,
    )


def _bare(
    content: str, url: str | None, *, favor_precision: bool = False
) -> trafilatura.settings.Document | None:
    # Imported here: most articles come as records or text, and an ingest worker that never sees
    # a web page need not carry trafilatura (~11 MB a process).
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            content,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=favor_precision,
        )
    except Exception:  # a parser failure on one odd page must not stop ingestion
        log.warning("trafilatura failed on %s", url or "a page", exc_info=True)
        return None
    return result if isinstance(result, trafilatura.settings.Document) else None


def tidy_text(text: str) -> tuple[str, list[str]]:
    """Main text with furniture lines (ads, share bars, newsletter pitches, bylines) removed."""
    kept: list[str] = []
    dropped: list[str] = []
    lines = [line for line in (normalise_line(raw) for raw in text.split("\n")) if line]
    total = sum(len(line.split()) for line in lines) or 1
    seen = 0
    for i, line in enumerate(lines):
        seen += len(line.split())
        if seen >= 0.6 * total and len(line.split()) <= 6 and _SECTION_END.match(line):
            dropped.extend(lines[i:])  # "About Acme" or "Related stories" ends the article
            break
        if classify(line) in (LineKind.BOILER, LineKind.META):
            dropped.append(line)
        else:
            kept.append(line)
    return "\n\n".join(kept), dropped


def split_authors(value: str | None) -> list[str]:
    """trafilatura's author string ("A; B") as a list of names."""
    if not value:
        return []
    names = [n.strip() for n in re.split(r"\s*;\s*", value) if n.strip()]
    return list(dict.fromkeys(names))


def html_to_lines(content: str) -> str:
    """The whole page's visible text, one block element a line (for the plain-text cleaner)."""
    try:
        root = lxml_html.fromstring(content)
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template|//svg|//iframe"):
        bad.drop_tree()
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    return str(root.text_content())


def _precise_date(content: str, day: str | None) -> str | None:
    """The publication time from the page's own markup, when it agrees with trafilatura's day."""
    for pattern in _DATE_MARKUP:
        for m in pattern.finditer(content[:200_000]):
            value = m.group(1)
            if re.search(r"\d{1,2}:\d{2}", value) and (day is None or value.startswith(day[:10])):
                return value
    return None


def _lang_attr(content: str) -> str | None:
    m = re.search(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2})\b", content[:5000], re.I)
    return m.group(1).lower() if m else None


def _http_url(value: str | None) -> str | None:
    """A page address worth linking to: absolute http(s) only."""
    if value and value.startswith(("http://", "https://")) and " " not in value:
        return value
    return None
