"""Feeds: the per-server feed book, polling rounds, feed identity, health and parsing."""

from __future__ import annotations

from bot.news.feeds._book import Feed, FeedBook, FeedErrors, FeedHealth

__all__ = [
    "Feed",
    "FeedBook",
    "FeedErrors",
    "FeedHealth",
]
