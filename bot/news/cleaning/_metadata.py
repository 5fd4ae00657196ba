"""Title, outlet, byline and publication date read off a cleaned plain-text page."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from bot.news.cleaning._bylines import BY_PREFIX, find_byline, names_in_line
from bot.news.cleaning._dates import deglue, find_dates
from bot.news.cleaning._furniture import words_set
from bot.news.cleaning._lines import LineKind, emails_in, line_key, strip_bullet, words_of
from bot.news.cleaning._outlets import WEBMAIL, name_in_text, readable_outlet, registered_domain, smart_case
from bot.news.cleaning._text_page import TextPage

_MAX_META_CHARS = 400  # metadata lives in short lines; longer ones are not even looked at
_DECORATION_HEAD = re.compile(r"^[\s/\\|#=~*>_•·-]+")
_DECORATION_TAIL = re.compile(r"[\s/\\|#=~*<_•·-]+$")
_ARTIFACT_PREFIX = re.compile(r"^[A-Z][a-z]+[A-Z][A-Za-z]*:(?=\S)")  # "NextImg:Headline" from scrapers
_BREADCRUMB = re.compile(r"\s*(?:»|›|>|/|\|)\s*")
_SITE_SEPARATORS = re.compile(r"\s+(?:\||·|•|—|–|-|::)\s+")
_CONNECTORS = words_set("of the and for de du la le des del der van von & on in at")
_SOURCE_LABEL = re.compile(r"^(?i:source|sources|quelle|fuente|fonte|bron|via)\s*:\s*(.+)$")
_WIRE_DATELINE = re.compile(r"^[A-Z][A-Z .,'’-]{1,40}\(([A-Z][\w .&-]{1,30})\)\s*[-—–]")
_SITE_PHRASES = (
    re.compile(r"\bWelcome to (?:the )?([A-Z][\w&'’.-]*(?:\s+[A-Z0-9][\w&'’.-]*){0,5})"),
    re.compile(r"\bPaid for by (?:the )?([A-Z][\w&'’.-]*(?:\s+[A-Z0-9][\w&'’.-]*){0,5})"),
    re.compile(
        r"(?:©|\([cC]\)|Copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*((?:The )?[A-Z][\w&'’-]*(?:\s+[A-Z0-9][\w&'’-]*){0,5})"
    ),
    re.compile(r"^(?i:about)\s+((?:The )?[A-Z0-9][\w&'’.-]*(?:\s+[A-Z0-9][\w&'’.-]*){0,5})\s*:"),
    re.compile(
        r"^((?:The )?[A-Z][\w&'’.-]*(?:\s+[A-Z0-9][\w&'’.-]*){0,4}) (?:is|has been) (?:a|an|the|your)\b.{0,60}\b(?:newspaper|newsroom|news site|magazine|outlet|publication|destination|broadcaster|station)"
    ),
)
_PUBLISHED_WORDS = re.compile(
    r"\b(?i:published|posted|veröffentlicht|publié|publicado|pubblicato|gepubliceerd)\b"
)
_UPDATED_WORDS = re.compile(r"\b(?i:updated|modified|aktualisiert|mis à jour|actualizado|aggiornato)\b")


@dataclass
class PageMeta:
    """What a page says about its article."""

    title: str | None = None
    outlet: str | None = None
    site_name: str | None = None
    byline: list[str] = field(default_factory=list)
    published: datetime | None = None


def describe_page(
    page: TextPage, *, title_hint: str | None = None, url: str | None = None, path: str | None = None
) -> PageMeta:
    """Title, outlet, byline and date of a cleaned text page."""
    site = find_site_name(page)
    title = title_hint or find_title(page, site)
    if site and title and line_key(site) == line_key(title):
        site = None
    meta = PageMeta(title=title, site_name=site)
    meta.outlet = find_outlet(page, site, url=url, path=path)
    meta.byline = find_byline(page, exclude=[n for n in (site, meta.outlet) if n])
    meta.published = find_published(page)
    return meta


# -- title ------------------------------------------------------------------------------------


def clean_title(text: str) -> str:
    """A headline without scraper prefixes, decorations and breadcrumb trails."""
    if len(text) > _MAX_META_CHARS:
        return ""
    text = strip_bullet(text)
    text = _ARTIFACT_PREFIX.sub("", text)
    parts = [p for p in _BREADCRUMB.split(text) if p.strip()]
    if len(parts) >= 3 and len(words_of(parts[0])) <= 2:
        text = parts[-1]  # "Home»International»Headline"
    text = _DECORATION_HEAD.sub("", text)
    return _DECORATION_TAIL.sub("", text).strip()


def _title_shaped(text: str) -> bool:
    tokens = words_of(text)
    if not 3 <= len(tokens) <= 30 or text.endswith((".", ",", ":", ";")):
        return False
    if text.isupper() and len(tokens) <= 6:
        return False  # a masthead or section label
    dates = find_dates(text)
    if dates and (len(tokens) <= 8 or len(dates) > 1):
        return False
    return not names_in_line(text, minimum=1)


def find_title(page: TextPage, site: str | None = None) -> str | None:
    """The page's headline: a title-shaped line above the body, repeated ones first, nearest first."""
    header = page.header
    keys: Counter[str] = Counter()
    for line in header:
        keys[line_key(clean_title(line.text))] += 1
    site_key = line_key(site) if site else None
    candidates: list[tuple[int, int, str]] = []
    for line in header:
        if line.bullet or line.kind in (LineKind.BOILER, LineKind.META):
            continue
        title = clean_title(line.text)
        key = line_key(title)
        if not _title_shaped(title) or key == site_key:
            continue
        if line.kind is LineKind.PROSE and title.endswith("."):
            continue
        distance = page.start - line.index
        candidates.append((keys[key] >= 2, -distance, title))
    near = [c for c in candidates if c[0] or -c[1] <= 8]
    if near:
        return max(near)[2]
    if len(header) == 1 and header[0].kind is LineKind.SHORT and not header[0].bullet:
        only = clean_title(header[0].text)  # "Ferry returns" above the body: a short headline
        if only and not find_dates(only) and not names_in_line(only, minimum=1):
            return only
    for ref in page.references:  # a blog post quoting one source: use the cited headline
        cited = re.sub(r"^(?:\[\d+\]|\d+\.)\s+", "", ref)
        cited = re.split(r"\s+(?:---|—|–)\s+|\.\s", cited)[0]
        if _title_shaped(cited):
            return cited
    return None


# -- outlet -----------------------------------------------------------------------------------


def _name_shaped(text: str, max_words: int = 6) -> bool:
    tokens = text.split()
    if not 1 <= len(tokens) <= max_words or len(text) > 60:
        return False
    if re.search(r"[,;:!?\"“”]", text):
        return False
    return all(t[:1].isupper() or t[:1].isdigit() or t.lower() in _CONNECTORS for t in tokens) and bool(
        tokens[0][:1].isupper() or tokens[0][:1].isdigit()
    )


def _page_text(page: TextPage) -> str:
    return "\n".join(line.text for line in page.lines)


def _spelled(name: str, page_text: str) -> str:
    """The page's mixed-case spelling of a name written in capitals, else a tidy title case."""
    if not name.isupper():
        return name
    for m in re.finditer(re.escape(name), page_text, re.I):
        if not m.group(0).isupper():
            return m.group(0)
    return smart_case(name)


def find_site_name(page: TextPage) -> str | None:
    """The publication's own name as the page shows it: masthead, repeated name, about/copyright lines."""
    votes: Counter[str] = Counter()
    first_seen: dict[str, int] = {}

    def vote(name: str, weight: int, where: int) -> None:
        name = _DECORATION_TAIL.sub("", name.strip()).strip(".'’")
        if not _name_shaped(name):
            return
        key = line_key(name)
        if key.removeprefix("the ") in {"home", "news", "menu", "about", "us", "search"}:
            return
        votes[key] += weight
        first_seen.setdefault(key, where)
        if not name.isupper() or key not in names:
            names[key] = name

    names: dict[str, str] = {}
    header = [line for line in page.header if not line.bullet and line.kind is not LineKind.BOILER]
    if header:  # the masthead: the first real line, before any slogan
        vote(_SITE_SEPARATORS.split(header[0].text)[0], 2, header[0].index)
    counts = Counter(line.key for line in page.header)
    for line in page.header:
        if counts[line.key] >= 2 and len(words_of(line.text)) <= 5 and not line.bullet:
            vote(line.text, 2, line.index)
    for line in [*page.header, *page.dropped, *page.footer]:
        if len(line.text) > _MAX_META_CHARS:
            continue
        for pattern in _SITE_PHRASES:
            for m in pattern.finditer(line.text):
                vote(m.group(1), 2, line.index)
    if not votes:
        return None
    best = max(votes, key=lambda k: (votes[k], -first_seen[k]))
    return _spelled(names[best], _page_text(page))


def find_outlet(
    page: TextPage, site: str | None, *, url: str | None = None, path: str | None = None
) -> str | None:
    """Who published the article.

    A credited source ("Source: Reuters") or the reporters' newsroom (their e-mail domain) names
    the outlet that wrote the story, which is what a comparison across outlets needs; an
    aggregator's own masthead comes after those.
    """
    around = [*page.header, *page.dropped, *page.footer]
    for line in around:
        m = _SOURCE_LABEL.match(strip_bullet(line.text))
        if m and _name_shaped(m.group(1).strip(" .")):
            return m.group(1).strip(" .")
    text = _page_text(page)
    domains = [registered_domain(e.split("@", 1)[1]) for line in around for e in emails_in(line.text)]
    domains = [d for d in domains if d not in WEBMAIL]
    for domain, _ in Counter(domains).most_common():
        readable = readable_outlet(domain, text)
        if readable:
            return readable
    if site:
        return site
    if page.body:
        m = _WIRE_DATELINE.match(page.body[0])
        if m:
            return m.group(1).strip()
    if url:
        host = re.sub(r"^[a-z]+://", "", url.strip()).split("/")[0]
        if host:
            return readable_outlet(host, text) or registered_domain(host)
    if path:
        slug = re.split(r"[_/\\]", path.rsplit("/", 1)[-1])[0]
        spelled = name_in_text(re.sub(r"[^a-z0-9]", "", slug.lower()), text)
        if spelled:
            return spelled
    return domains[0] if domains else None


# -- date -------------------------------------------------------------------------------------


def find_published(page: TextPage) -> datetime | None:
    """When the article was published, from the dateline or byline block around the headline."""
    best: tuple[int, int, datetime] | None = None
    for line in [*page.header, *page.dropped, *page.footer]:
        in_header = line.index < page.start
        if (
            len(line.text) > _MAX_META_CHARS
            or line.kind is LineKind.PROSE
            or (not in_header and line.kind is not LineKind.META)
        ):
            continue
        text = deglue(line.text)  # not bullet-stripped: "12. Februar 2025" starts like a numbered item
        dates = find_dates(text)
        if not dates:
            continue
        published = _PUBLISHED_WORDS.search(text)
        labelled = line.kind is LineKind.META or published or BY_PREFIX.search(text)
        if published:
            after = [d for d in dates if d.start >= published.end()]
            chosen, rank = (after or dates)[0], 3
        elif labelled:
            chosen, rank = dates[0], 1 if _UPDATED_WORDS.search(text) else 2
        else:
            rest = text[: dates[0].start] + text[dates[0].end :]
            if len(dates) > 1 or len(words_of(rest)) > 8:
                continue  # a caption or teaser that happens to mention dates
            chosen, rank = dates[0], 2
        nearness = -abs(page.start - line.index)
        if best is None or (rank, nearness) > best[:2]:
            best = (rank, nearness, chosen.when)
    return best[2] if best else None
