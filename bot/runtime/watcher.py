"""Drop-folder watching: a scheduler job ingests new files every `poll_seconds`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.config import DropFolderSettings
from bot.news import NewsDesk

log = logging.getLogger(__name__)


@dataclass
class DropFolderHealth:
    """What /status shows about the drop folder."""

    path: str
    exists: bool = False
    scans: int = 0
    last_scan: datetime | None = None
    last_new_at: datetime | None = None
    new_total: int = 0
    rejected_total: int = 0
    last_error: str | None = None


class DropFolderWatcher:
    """Ingests what appears in the drop folder; files seen before (same size and mtime) are skipped."""

    def __init__(self, desk: NewsDesk, settings: DropFolderSettings, clock: Callable[[], datetime]) -> None:
        self.desk = desk
        self.folder = Path(settings.path).expanduser()
        self.poll_seconds = settings.poll_seconds
        self.settle_seconds = settings.settle_seconds  # a file may still be being written
        self.clock = clock
        self.health = DropFolderHealth(path=str(self.folder))
        self._warned_missing = False

    async def scan(self) -> int:
        """One pass over the folder; returns how many new articles were stored. Never raises."""
        self.health.scans += 1
        self.health.last_scan = self.clock()
        if not self.folder.is_dir():
            self.health.exists = False
            if not self._warned_missing:
                log.warning("drop folder %s does not exist; create it to ingest files", self.folder)
                self._warned_missing = True
            return 0
        self.health.exists = True
        self._warned_missing = False
        try:
            report = await self.desk.ingest_paths(
                [str(self.folder)],
                drop_folder=self.folder,
                skip_seen=True,
                settle_seconds=self.settle_seconds,
            )
        except Exception as e:  # one bad pass must not stop the next ones
            self.health.last_error = f"{e.__class__.__name__}: {e}"[:300]
            log.exception("drop-folder scan of %s failed", self.folder)
            return 0
        self.health.last_error = None
        self.health.rejected_total += len(report.rejected)
        if report.new or report.updated:
            self.health.new_total += len(report.new)
            self.health.last_new_at = self.clock()
            log.info(
                "drop folder: %d new, %d updated, %d rejected",
                len(report.new),
                len(report.updated),
                len(report.rejected),
            )
        return len(report.new)
