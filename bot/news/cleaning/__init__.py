"""Cleaning: page clutter out; title, outlet, byline, date and language found (text, HTML, Markdown)."""

from __future__ import annotations

from bot.news.cleaning._extract import extract_article, finish_record, parse_date

__all__ = [
    "extract_article",
    "finish_record",
    "parse_date",
]
