"""Feed titles, summaries, authors and channel names are stored as plain text: hostile entries
(scripts, event handlers, frames, entities escaped once and twice) polled from the local server."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from email.utils import format_datetime
from typing import Any

from bot.news.desk import NewsDesk
from bot.news.feeds._parse import html_to_text
from bot.news.settings import NetworkSettings
from tests.clock import FakeClock
from tests.news.feed_server import FeedServer

LIMITS = NetworkSettings(allow_private_addresses=True, timeout_seconds=1.0, max_response_bytes=2_000_000)

# Invented for this test. Each paragraph is long enough that no page is fetched for it.
PARAGRAPH = (
    "The Millbrook council voted on Tuesday to keep the Harlow Street library open on Sundays, "
    "after a petition signed by more than two thousand residents. The extra hours cost about "
    "forty thousand a year, which the council will take from its events budget. Librarians said "
    "Sunday afternoons were the busiest time for families and for students preparing exams. "
)

# (title as written in the XML, summary as written in the XML, what the title must read as)
HOSTILE = [
    (
        "&lt;script&gt;alert(document.cookie)&lt;/script&gt;Council keeps library open",
        f"&lt;p&gt;{PARAGRAPH}&lt;img src=x onerror=alert(1)&gt;&lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt;",
        "Council keeps library open",
    ),
    (
        "AT&amp;amp;T &#8220;fibre&#8221; plan &amp;lt;blink&amp;gt;approved&amp;lt;/blink&amp;gt;",
        f"<![CDATA[<p>AT&amp;amp;T said &amp;#8220;yes&amp;#8221;.</p><p>{PARAGRAPH}</p>"
        '<iframe src="http://127.0.0.1:1/evil">frame fallback words</iframe><svg><text>drawn</text></svg>]]>',
        "AT&T “fibre” plan approved",
    ),
    (
        '<![CDATA[<img src="x" onerror="alert(1)"><b>Bold</b> &amp; <i>plain</i> &lt;3]]>',
        f"<![CDATA[{PARAGRAPH}<style>p {{ display:none }}</style><noscript>enable scripts</noscript>]]>",
        "Bold & plain <3",  # a heart, written as text
    ),
]


def hostile_rss(now: Any) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>',
        "<title>Millbrook &amp;amp; District &lt;i&gt;News&lt;/i&gt;</title>",
        "<link>http://example.test/</link><description>d</description>",
    ]
    for n, (title, summary, _) in enumerate(HOSTILE):
        parts += [
            f"<item><title>{title}</title><guid isPermaLink='false'>hostile-{n}</guid>",
            f"<pubDate>{format_datetime(now - timedelta(hours=n + 1), usegmt=True)}</pubDate>",
            "<author>ed@example.test (&lt;b&gt;Dana&lt;/b&gt; Ortiz)</author>",
            f"<description>{summary}</description></item>",
        ]
    parts.append("</channel></rss>")
    return "".join(parts)


MARKUP = re.compile(r"<[A-Za-z/!]|&(?:#\d+|#x[0-9a-f]+|[a-z]+);|javascript|onerror|alert\(|steal\(", re.I)


async def test_hostile_feed_entries_are_stored_as_plain_text(
    feed_server: FeedServer, clock: FakeClock, desk: NewsDesk
) -> None:
    desk.feeds.limits = LIMITS
    desk.feeds.rng = random.Random(7)
    url = feed_server.serve("/hostile.xml", hostile_rss(clock.now))
    await desk.feeds.add(url)
    report = await desk.feeds.poll()
    assert report.summary()["new"] == len(HOSTILE)
    stored = await desk.articles()
    assert sorted(a.title or "" for a in stored) == sorted(expected for _, _, expected in HOSTILE)
    for a in stored:
        for value in (a.title, a.outlet, a.text, *a.byline):
            assert value and not MARKUP.search(value), value
        assert "Millbrook council voted" in a.text
        assert "frame fallback" not in a.text and "drawn" not in a.text and "enable scripts" not in a.text
    assert {a.outlet for a in stored} == {"Millbrook & District News"}
    texts = " ".join(a.text for a in stored)
    assert "AT&T said “yes”." in texts


def test_html_to_text_leaves_plain_text_alone() -> None:
    assert html_to_text("Fares rise 5% & more, a < b, 3 > 2, R&D, Q&A") == (
        "Fares rise 5% & more, a < b, 3 > 2, R&D, Q&A"
    )
    assert html_to_text("Fares <b>rise</b> again, a < b") == "Fares rise again, a < b"
    assert html_to_text("<p>One</p><p>Two &amp; three</p>") == "One\n\nTwo & three"
