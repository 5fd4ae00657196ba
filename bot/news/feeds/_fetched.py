"""What a fetched feed URL says about the feed itself: that it moved for good, or that it is a
web page (and which feed it names)."""

from __future__ import annotations

import logging

from yarl import URL

from bot.news.feeds._parse import find_feed_links, looks_like_html
from bot.news.fetching import FetchResult

log = logging.getLogger(__name__)


def moved_for_good(url: str, fetched: FetchResult) -> str | None:
    """The feed's new URL if it moved permanently (301/308); None if it did not, or if the move
    gives up https (then the redirect is followed on each poll, never kept). Every hop passed
    the fetcher's address guard, and the kept URL passes it again on every poll."""
    new = fetched.moved_to
    if not new or new == url:
        return None
    if URL(url).scheme == "https" and URL(new).scheme != "https":
        log.warning("%s redirects permanently to %s: not kept, it would give up https", url, new)
        return None
    return new


def with_hint(error: str, fetched: FetchResult) -> str:
    if looks_like_html(fetched.body, fetched.content_type):
        links = find_feed_links(fetched.body, fetched.url)
        if links:
            return f"this is a web page, not a feed; its feed is {links[0]}"
        return "this is a web page, not a feed, and it names no feed"
    return error
