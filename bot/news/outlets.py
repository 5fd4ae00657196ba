"""Who published what: outlet names as shown to readers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from urllib.parse import urlsplit

from bot.news.models import StoredArticle


def outlet_label(article: StoredArticle) -> str:
    """Who published an article: its outlet, else its web host, else a name that admits we don't know.

    An article whose page never says who published it still counts as one publisher: two such
    pages are two voices, not one.
    """
    if article.outlet:
        return article.outlet
    if article.url:
        host = urlsplit(article.url).hostname
        if host:
            return host.removeprefix("www.")
    return f"unnamed outlet ({PurePath(article.ref.split('#')[0]).name or article.ref})"


def distinct_outlets(articles: Sequence[StoredArticle]) -> list[str]:
    """Publishers of a story, in order of first appearance; syndicated copies do not add one."""
    seen: dict[str, str] = {}
    for a in articles:
        if a.syndicated_of is None:
            name = outlet_label(a)
            seen.setdefault(name.casefold(), name)
    if not seen:  # only copies: still name who carried them
        for a in articles:
            name = outlet_label(a)
            seen.setdefault(name.casefold(), name)
    return list(seen.values())
