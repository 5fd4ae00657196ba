"""Ingest: the drop folder and the Ingestor that stores each article once and places it in a story."""

from __future__ import annotations

from bot.news.ingest._dropfolder import IncomingArticle, read_file
from bot.news.ingest._ingestor import Ingestor, IngestReport, ProgressFn, content_hash
from bot.news.ingest._pool import default_workers
from bot.news.ingest._worker import add_quotes, collect_less

__all__ = [
    "IncomingArticle",
    "IngestReport",
    "Ingestor",
    "ProgressFn",
    "add_quotes",
    "collect_less",
    "content_hash",
    "default_workers",
    "read_file",
]
