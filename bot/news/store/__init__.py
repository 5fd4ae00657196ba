"""The only package with SQL. `Store` groups one repository per area over one engine; rows become
models here and nowhere else."""

from __future__ import annotations

from bot.news.store._feeds import EntryRecord, EntryWrite, FeedRepo
from bot.news.store._leader import LeaderLock
from bot.news.store._live import LiveCard, LiveChannel, LiveRepo
from bot.news.store._schedules import LedgerRepo, MetaRepo, ScheduleRepo
from bot.news.store._seen import SeenRecord, SeenRepo
from bot.news.store._speaker_index import speaker_tokens
from bot.news.store._speakers import SpeakerRepo
from bot.news.store._store import Store
from bot.news.store._threads import StoryThread, ThreadRepo

__all__ = [
    "EntryRecord",
    "EntryWrite",
    "FeedRepo",
    "LeaderLock",
    "LedgerRepo",
    "LiveCard",
    "LiveChannel",
    "LiveRepo",
    "MetaRepo",
    "ScheduleRepo",
    "SeenRecord",
    "SeenRepo",
    "SpeakerRepo",
    "Store",
    "StoryThread",
    "ThreadRepo",
    "speaker_tokens",
]
