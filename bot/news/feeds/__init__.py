"""Feeds: the per-server feed book, polling rounds, feed identity, health and parsing."""

from __future__ import annotations

from bot.news.feeds._book import Feed, FeedBook, FeedErrors, FeedHealth
from bot.news.feeds._lease import FeedWorker
from bot.news.feeds._opml import OpmlEntry, OpmlImport, export_opml, import_opml, parse_opml

__all__ = [
    "Feed",
    "FeedBook",
    "FeedErrors",
    "FeedHealth",
    "FeedWorker",
    "OpmlEntry",
    "OpmlImport",
    "export_opml",
    "import_opml",
    "parse_opml",
]
