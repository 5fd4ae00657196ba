"""Article cleaning: boilerplate removal and metadata (title, outlet, byline, date, language).

`extract_article` turns a page (plain text, HTML or markdown) into an `ExtractedArticle`;
`finish_record` tidies an article that arrived as a structured record (JSON). Both are pure,
CPU-bound functions: callers run them off the event loop.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from bot.news.cleaning._bylines import find_byline, tidy_authors
from bot.news.cleaning._dates import parse_date
from bot.news.cleaning._html_page import extract_html
from bot.news.cleaning._language import detect_language
from bot.news.cleaning._lines import LineKind, line_key
from bot.news.cleaning._markdown import markdown_to_text
from bot.news.cleaning._metadata import PageMeta, clean_title, describe_page, find_outlet, find_published
from bot.news.cleaning._outlets import readable_outlet, registered_domain
from bot.news.cleaning._text_page import TextPage, clean_text_page, split_lines
from bot.news.models import DocKind, ExtractedArticle
from bot.news.text import lower

__all__ = ["detect_language", "extract_article", "finish_record", "parse_date"]

log = logging.getLogger(__name__)


def extract_article(
    content: str, kind: DocKind, *, url: str | None = None, path: str | None = None
) -> ExtractedArticle:
    """A cleaned article with its metadata from a page's text, HTML or markdown."""
    if kind == "html":
        return _from_html(content, url=url, path=path)
    if kind == "markdown":
        doc = markdown_to_text(content)
        page = clean_text_page(doc.text)
        meta = describe_page(page, title_hint=doc.title, url=url, path=path)
        front = doc.front_matter
        meta.published = parse_date(front.get("date") or front.get("published")) or meta.published
        meta.outlet = front.get("outlet") or front.get("source") or front.get("publisher") or meta.outlet
        author = front.get("author") or front.get("authors")
        if author:
            meta.byline = [
                a.strip() for a in re.split(r"\s*[;,]\s*|\s+and\s+", author.strip("[]")) if a.strip()
            ]
        return _article(page, meta, url=url or front.get("url") or None)
    if kind == "text":
        page = clean_text_page(content)
        return _article(page, describe_page(page, url=url, path=path), url=url)
    raise ValueError(f"unknown document kind {kind!r}")


def finish_record(
    *,
    text: str,
    title: str | None,
    outlet: str | None,
    published: datetime | None,
    url: str | None,
    byline: list[str] | None,
) -> ExtractedArticle:
    """An article from a structured record: given fields win, the text is tidied, the rest is inferred."""
    lines = split_lines(text)
    title_key = line_key(title) if title else None
    kept: list[str] = []
    keys: list[str] = []  # the kept lines' keys: the language is told from their words
    dropped = []
    for line in lines:
        if line.kind in (LineKind.BOILER, LineKind.META):
            dropped.append(line)
        elif not kept and title_key and line_key(clean_title(line.text)) == title_key:
            continue  # the record's text repeats its headline as the first line
        else:
            kept.append(line.text)
            keys.append(line.key)
    page = TextPage(lines, 0, len(lines), body=kept, dropped=dropped)
    if not outlet:
        outlet = find_outlet(page, None, url=url)
    names = byline if byline else find_byline(page, exclude=[outlet] if outlet else [])
    body = "\n\n".join(kept)
    return ExtractedArticle(
        title=_tidy(title),
        outlet=_tidy(outlet),
        byline=_dedupe(names),
        published=_as_utc(published),
        url=url,
        language=detect_language(body, keys),
        text=body,
    )


def _from_html(content: str, *, url: str | None, path: str | None) -> ExtractedArticle:
    page = extract_html(content, url=url)
    if not page.text and page.plain_text:
        # trafilatura found no article: fall back on the plain-text cleaner over the whole page
        text_page = clean_text_page(page.plain_text)
        meta = describe_page(text_page, url=url, path=path)
        meta.title = page.title or meta.title
        return _article(text_page, meta, url=url)
    text = _drop_leading_title(page.text, page.title)
    # Lines tidied out of the main text ("By ...", "Published ...") still tell who and when.
    removed = split_lines("\n".join(page.dropped))
    aside = TextPage(removed, 0, 0)
    outlet = _tidy(_html_outlet(page.sitename, page.hostname, url, text))
    url = url or page.url  # the address we fetched it from wins; else what the page says it is
    return ExtractedArticle(
        title=_tidy(page.title),
        outlet=outlet,
        byline=_dedupe(tidy_authors(page.authors, [outlet or ""]) or find_byline(aside)),
        published=parse_date(page.date) or find_published(aside),
        url=url,
        language=detect_language(text) or page.language,
        text=text,
    )


def _html_outlet(sitename: str | None, hostname: str | None, url: str | None, text: str) -> str | None:
    """The site's own name; trafilatura falls back on the host name, which we make readable."""
    host = hostname or (re.sub(r"^[a-z]+://", "", url).split("/")[0] if url else None)
    if sitename and "." not in sitename.strip("."):
        return re.split(r"\s+[|·•]\s*", sitename.strip(" |"))[0]  # "Autoracing | F1 | Indy" -> "Autoracing"
    host = host or sitename
    if not host:
        return None
    return readable_outlet(host, text) or registered_domain(host)


def _drop_leading_title(text: str, title: str | None) -> str:
    """Main text without a section label and the headline repeated above the first paragraph."""
    if not title:
        return text
    paragraphs = text.split("\n\n")
    key = line_key(title)
    for i, para in enumerate(paragraphs[:3]):
        if line_key(para) == key:
            return "\n\n".join(
                p for j, p in enumerate(paragraphs) if j != i and not (j < i and len(p.split()) <= 3)
            )
    return text


def _article(page: TextPage, meta: PageMeta, *, url: str | None) -> ExtractedArticle:
    text = page.text
    return ExtractedArticle(
        title=_tidy(meta.title),
        outlet=_tidy(meta.outlet),
        byline=_dedupe(meta.byline),
        published=_as_utc(meta.published),
        url=url,
        language=detect_language(text),
        text=text,
    )


def _tidy(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _dedupe(names: list[str] | None) -> list[str]:
    out: dict[str, str] = {}
    for name in names or []:
        clean = " ".join(str(name).split())
        if clean:
            out.setdefault(lower(clean), clean)  # Python's own: see `bot.news.text.lower`
    return list(out.values())


def _as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
