"""Feed parsing, safety of the XML, discovery, entry identity and the polling schedule (no network)."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.news.feeds._identity import article_ref, entry_fingerprint, entry_key, entry_text, normalise_link
from bot.news.feeds._parse import (
    FeedEntry,
    FeedParseError,
    find_feed_links,
    html_to_text,
    looks_like_html,
    parse_feed,
    refuse_entity_declarations,
)
from bot.news.feeds._schedule import backoff_seconds, next_after_failure, next_after_success
from bot.news.settings import FeedSettings
from tests.news.feed_server import (
    BILLION_LAUGHS,
    atom,
    items_from,
    page_with_alternate,
    rss1,
    rss2,
    shared_articles,
)

BASE = "http://news.test"


@pytest.fixture(scope="module")
def records(shared_dir: Path) -> list[dict[str, Any]]:
    return shared_articles("basil_stories", limit=6)


@pytest.mark.parametrize(("build", "version"), [(rss2, "rss20"), (atom, "atom10"), (rss1, "rss10")])
def test_formats_parse_to_the_same_entries(records: list[dict[str, Any]], build: Any, version: str) -> None:
    items = items_from(records, BASE)
    parsed = parse_feed(build(items).encode(), f"{BASE}/feed")
    assert parsed.version == version and not parsed.malformed
    assert len(parsed.entries) == len(items)
    for entry, item, rec in zip(parsed.entries, items, records, strict=True):
        assert entry.title == item.title
        assert entry.link == item.link
        assert entry.when == item.date
        # The full text survives the trip through the feed and back to plain text.
        text = entry_text(entry)
        first_para = str(rec["text"]).strip().split("\n")[0].strip()
        assert first_para[:60] in text
        assert len(text) > 0.8 * len(str(rec["text"]).replace("\n", ""))


def test_rss_091_and_relative_links() -> None:
    doc = (
        '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>Old</title>'
        "<link>http://old.test/</link><description>d</description><language>en</language>"
        "<item><title>First</title><link>/story/1</link><description>Hello there.</description></item>"
        "</channel></rss>"
    )
    parsed = parse_feed(doc.encode(), "http://old.test/rss.xml")
    assert parsed.version.startswith("rss09")
    assert parsed.entries[0].link == "http://old.test/story/1"
    assert parsed.entries[0].guid is None and parsed.entries[0].when is None


def test_malformed_feed_is_read_loosely_or_refused() -> None:
    broken = b"<rss version='2.0'><channel><title>B</title><item><title>One & two</title><link>http://b.test/1</link></item>"
    parsed = parse_feed(broken, "http://b.test/feed")
    assert parsed.malformed and parsed.entries[0].link == "http://b.test/1"
    with pytest.raises(FeedParseError, match="not an RSS or Atom feed"):
        parse_feed(b"this is { not xml at all", "http://b.test/feed")
    with pytest.raises(FeedParseError, match="empty"):
        parse_feed(b"  \n", "http://b.test/feed")


def test_entity_declarations_are_refused_before_parsing() -> None:
    started = time.process_time()
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse_feed(BILLION_LAUGHS.encode(), "http://x.test/feed")
    # Also hidden in UTF-16, and written on one line.
    with pytest.raises(FeedParseError):
        refuse_entity_declarations(BILLION_LAUGHS.encode("utf-16"))
    with pytest.raises(FeedParseError):
        refuse_entity_declarations(b'<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>')
    assert time.process_time() - started < 1.0
    # Text that merely mentions the word inside the document is fine.
    refuse_entity_declarations(b"<rss><channel><title>&lt;!ENTITY is XML</title></channel></rss>")


def test_external_doctype_is_not_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file://{secret}">'
        '<rss version="2.0"><channel><title>T</title><item><title>i</title><description>d</description>'
        "</item></channel></rss>"
    )
    parsed = parse_feed(doc.encode(), "http://x.test/feed")
    assert "TOP-SECRET" not in repr(parsed)


def test_feed_discovery_from_a_page() -> None:
    page = (
        page_with_alternate("/rss.xml")
        + '<link rel="alternate" type="application/atom+xml" href="http://o.test/atom">'
    )
    links = find_feed_links(page.encode(), "http://o.test/news/index.html")
    assert links == ["http://o.test/rss.xml", "http://o.test/atom"]
    assert looks_like_html(page.encode(), None) and not looks_like_html(b"<rss/>", "application/rss+xml")
    assert (
        find_feed_links(b"<html><head><link rel='stylesheet' href='a.css'></head></html>", "http://o.test/")
        == []
    )


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    text = html_to_text("<p>One&nbsp;two.</p><script>alert(1)</script><p>Three <b>four</b>.</p>")
    assert text == "One two.\n\nThree four."
    # Feed text is HTML even without tags: its entities are decoded (issue 14: "AT&amp;T" stayed).
    assert html_to_text("plain &amp; simple") == "plain & simple"
    assert html_to_text("") == ""


def test_normalise_link() -> None:
    assert (
        normalise_link("HTTPS://News.Example.COM:443/a/b?utm_source=rss&id=7&fbclid=X&gclid=Y&mc_eid=1#top")
        == "https://news.example.com/a/b?id=7"
    )
    assert normalise_link("http://example.com") == "http://example.com/"
    assert (
        normalise_link("http://example.com:8080/x?q=a%20b&utm_medium=m")
        == "http://example.com:8080/x?q=a%20b"
    )
    assert normalise_link("mailto:a@b.c") is None


def test_entry_key_precedence() -> None:
    with_guid = FeedEntry(guid="tag:site,2026:42", link="http://s.test/a?utm_source=x", title="T")
    assert entry_key(with_guid) == "guid:tag:site,2026:42"
    url_guid = FeedEntry(guid="http://S.test/a?utm_campaign=c#x", title="T")
    assert entry_key(url_guid) == "http://s.test/a"
    link_only = FeedEntry(link="http://s.test/b?fbclid=1", title="T")
    assert entry_key(link_only) == "http://s.test/b"
    bare = FeedEntry(title="Only a title", summary_html="<p>Some words</p>")
    assert entry_key(bare).startswith("sha256:")
    assert entry_key(bare) == entry_key(FeedEntry(title="Only a title", summary_html="Some  words"))


def test_fingerprint_changes_with_edits_and_dates() -> None:
    when = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    entry = FeedEntry(guid="g", title="T", summary_html="s", published=when)
    same = FeedEntry(guid="g", title="T", summary_html="s", published=when)
    assert entry_fingerprint(entry) == entry_fingerprint(same)
    assert entry_fingerprint(entry) != entry_fingerprint(
        FeedEntry(guid="g", title="T", summary_html="s2", published=when)
    )
    redated = FeedEntry(guid="g", title="T", summary_html="s", published=when + timedelta(hours=1))
    assert entry_fingerprint(entry) != entry_fingerprint(redated)
    assert FeedEntry.from_json(entry.to_json()) == entry


def test_article_refs_are_scoped_per_server() -> None:
    shared = article_ref("http://s.test/a", feed_url="http://s.test/rss", guild_id=None)
    private = article_ref("http://s.test/a", feed_url="http://s.test/rss", guild_id=7)
    assert shared == "http://s.test/a" and private == "guild:7:http://s.test/a"
    opaque = article_ref("guid:42", feed_url="http://S.test/rss?utm_source=x", guild_id=None)
    assert opaque == "feed:http://s.test/rss#guid:42"


def test_schedule_jitter_and_backoff() -> None:
    policy = FeedSettings(jitter=0.1, backoff_max=6 * 3600)
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    rng = random.Random(3)
    delays = [(next_after_success(now, 900, policy, rng) - now).total_seconds() for _ in range(200)]
    assert all(810 <= d <= 990 for d in delays) and max(delays) - min(delays) > 100  # jitter spreads them
    assert [backoff_seconds(n, 900, policy, None) for n in (1, 2, 3, 4, 5, 6, 9)] == [
        900,
        1800,
        3600,
        7200,
        14400,
        21600,
        21600,
    ]
    assert backoff_seconds(1, 900, policy, retry_after=5000) == 5000  # Retry-After wins when longer
    assert backoff_seconds(3, 900, policy, retry_after=10) == 3600
    for _ in range(50):
        when = next_after_failure(now, 1, 900, policy, rng, retry_after=4000)
        assert 4000 <= (when - now).total_seconds() <= 4400  # jitter never shortens Retry-After
