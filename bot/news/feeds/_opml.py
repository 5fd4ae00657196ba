"""OPML: reading a feed list other readers export, and writing ours.

Every imported URL goes through `FeedBook.add`, so through the same address guard, discovery and
per-server limit as a feed added by hand; an entry that fails is reported and the rest imported.
The XML is read with defusedxml: an OPML file is untrusted input (entity bombs, external entities).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from bot.news.errors import BadArgument, UserFacingError
from bot.news.feeds._book import FeedBook
from bot.news.models import Feed, FeedOrigin

log = logging.getLogger(__name__)

MAX_OPML_BYTES = 1_000_000
MAX_OPML_ENTRIES = 500


@dataclass(frozen=True)
class OpmlEntry:
    """One feed an OPML file lists (`url` empty when the outline names none)."""

    url: str
    name: str | None
    line: int  # its position among the file's feed outlines, from 1


@dataclass
class OpmlImport:
    """What an import did: the feeds added, and each entry refused with the reason."""

    added: list[Feed] = field(default_factory=list)
    refused: list[tuple[OpmlEntry, str]] = field(default_factory=list)


def parse_opml(data: bytes) -> list[OpmlEntry]:
    """The feed outlines of an OPML document (nested folders included); BadArgument if it is not one."""
    if len(data) > MAX_OPML_BYTES:
        raise BadArgument(f"That OPML file is over {MAX_OPML_BYTES // 1000} kB.")
    try:
        root = fromstring(data)
    except (ET.ParseError, DefusedXmlException, ValueError) as e:
        raise BadArgument(f"That is not a readable OPML file ({e.__class__.__name__}: {e}).") from None
    if root.tag.rsplit("}", 1)[-1].lower() != "opml" or root.find("body") is None:
        raise BadArgument("That is not an OPML file (no <opml> with a <body>).")
    entries: list[OpmlEntry] = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        kind = (outline.get("type") or "").lower()
        if not url and (kind not in ("rss", "atom") or len(outline)):
            continue  # a folder
        name = (outline.get("title") or outline.get("text") or "").strip() or None
        entries.append(OpmlEntry(url, name[:100] if name else None, len(entries) + 1))
    if len(entries) > MAX_OPML_ENTRIES:
        raise BadArgument(f"That OPML file lists {len(entries)} feeds; at most {MAX_OPML_ENTRIES}, please.")
    return entries


def export_opml(feeds: Sequence[Feed], *, title: str = "Storydesk feeds", now: datetime | None = None) -> str:
    """Feeds as an OPML 2.0 document that other feed readers import."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = (now or datetime.now(UTC)).strftime("%a, %d %b %Y %H:%M:%S %z")
    body = ET.SubElement(root, "body")
    for f in feeds:
        ET.SubElement(body, "outline", type="rss", text=f.display_name, title=f.display_name, xmlUrl=f.url)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


async def import_opml(
    book: FeedBook,
    data: bytes,
    *,
    guild_id: int | None = None,
    origin: FeedOrigin = "cli",
    added_by: int | None = None,
    alert_channel_id: int | None = None,
) -> OpmlImport:
    """Add every feed an OPML file lists, one at a time (the per-server limit holds)."""
    result = OpmlImport()
    for entry in parse_opml(data):
        if not entry.url:
            result.refused.append((entry, "no xmlUrl"))
            continue
        try:
            added = await book.add(
                entry.url,
                name=entry.name,
                guild_id=guild_id,
                origin=origin,
                added_by=added_by,
                alert_channel_id=alert_channel_id,
            )
        except UserFacingError as e:
            result.refused.append((entry, str(e)))
            continue
        result.added.append(added.feed)
    log.info("OPML import: %d added, %d refused (guild %s)", len(result.added), len(result.refused), guild_id)
    return result
