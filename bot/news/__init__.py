"""The news engine: ingestion, cleaning, clustering, quotes, comparison, digests. No Discord here.

This is its face: the CLI, the runtime and the cogs import from `bot.news` and nothing deeper.
Inside the engine, modules import each capability's own face (`bot.news.stories`, ...), never
`bot.news` itself, so that the package's import order stays acyclic.
"""
# The engine must stay free of Discord and of wall-clock scheduling (STYLE.md): imports point
# cogs -> bot.runtime -> bot.news, never back.

from __future__ import annotations

from bot.news.compare import summarize_story
from bot.news.coverage import Coverage, build_coverage, may_develop, render_png, story_coverage, story_png
from bot.news.desk import DeskStatus, NewsDesk
from bot.news.errors import BadArgument, DatabaseError, NotFound, UserFacingError
from bot.news.feeds import FeedErrors, FeedHealth, FeedWorker, OpmlImport, export_opml, import_opml
from bot.news.filters import StoryFilter, parse_filter
from bot.news.ingest import IngestReport, add_quotes, collect_less, read_file
from bot.news.live import CardAction, CardView, LiveBoard, channel_filter
from bot.news.models import (
    Comparison,
    Digest,
    DigestItem,
    DigestLink,
    ExtractedArticle,
    Feed,
    NumberComparison,
    OutletReport,
    Point,
    PollReport,
    QuoteGroup,
    QuoteOccurrence,
    SaidReport,
    Statement,
    StoredArticle,
    Story,
    StoryChanges,
)
from bot.news.outlets import outlet_label, outlet_name, outlets_matching
from bot.news.schedules import LedgerEntry, Schedule, check_timezone
from bot.news.settings import (
    ClusteringSettings,
    EngineSettings,
    FeedConfig,
    FeedSettings,
    IngestSettings,
    NetworkSettings,
)
from bot.news.store import LeaderLock, LiveCard, SeenRecord
from bot.news.threads import TARGETS, StoryThread, Target, ThreadBook, check_target

__all__ = [
    "TARGETS",
    "BadArgument",
    "CardAction",
    "CardView",
    "ClusteringSettings",
    "Comparison",
    "Coverage",
    "DatabaseError",
    "DeskStatus",
    "Digest",
    "DigestItem",
    "DigestLink",
    "EngineSettings",
    "ExtractedArticle",
    "Feed",
    "FeedConfig",
    "FeedErrors",
    "FeedHealth",
    "FeedSettings",
    "FeedWorker",
    "IngestReport",
    "IngestSettings",
    "LeaderLock",
    "LedgerEntry",
    "LiveBoard",
    "LiveCard",
    "NetworkSettings",
    "NewsDesk",
    "NotFound",
    "NumberComparison",
    "OpmlImport",
    "OutletReport",
    "Point",
    "PollReport",
    "QuoteGroup",
    "QuoteOccurrence",
    "SaidReport",
    "Schedule",
    "SeenRecord",
    "Statement",
    "StoredArticle",
    "Story",
    "StoryChanges",
    "StoryFilter",
    "StoryThread",
    "Target",
    "ThreadBook",
    "UserFacingError",
    "add_quotes",
    "build_coverage",
    "channel_filter",
    "check_target",
    "check_timezone",
    "collect_less",
    "export_opml",
    "import_opml",
    "may_develop",
    "outlet_label",
    "outlet_name",
    "outlets_matching",
    "parse_filter",
    "read_file",
    "render_png",
    "story_coverage",
    "story_png",
    "summarize_story",
]
