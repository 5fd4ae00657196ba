"""/status shows the private-address switch, and each rejection's reason once."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.news import DeskStatus
from bot.runtime.render import status_embed
from bot.runtime.status import StatusReport
from bot.runtime.watcher import DropFolderHealth

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _report(private: bool) -> StatusReport:
    return StatusReport(
        desk=DeskStatus(
            articles=3,
            stories=2,
            last_ingest=NOW,
            recent_rejections=[("inbox/empty.txt: empty file", "empty file", NOW)],
        ),
        drop=DropFolderHealth(path="inbox", exists=True),
        poll_seconds=30,
        schedules=[],
        scheduler_running=True,
        private_addresses=private,
    )


def test_private_addresses_are_shown_as_a_warning() -> None:
    quiet = status_embed(_report(False))
    loud = status_embed(_report(True))
    assert "Network" not in [f.name for f in quiet.fields]
    [network] = [f for f in loud.fields if f.name == "Network"]
    assert "allow_private_addresses" in (network.value or "")
    assert loud.colour != quiet.colour


def test_a_rejection_says_its_reason_once() -> None:
    embed = status_embed(_report(False))
    [field] = [f for f in embed.fields if f.name == "Recently rejected files"]
    assert "empty.txt: empty file" in (field.value or "")
    assert (field.value or "").count("empty file") == 1
