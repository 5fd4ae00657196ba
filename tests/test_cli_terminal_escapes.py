"""Stored text that a terminal would act on (escape sequences, BEL, C1 controls, bidi overrides)
is shown, never acted on, by every human-readable CLI command; `--json` keeps the data exact."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main as cli_main
from bot.cli._output import terminal_safe
from bot.news.desk import NewsDesk
from bot.news.ingest._dropfolder import IncomingArticle
from bot.news.models import ExtractedArticle
from tests.paths import REPO

# Retitles the terminal window, rings the bell and clears the screen; then a one-byte CSI (C1),
# a carriage return that would overwrite the line, and a right-to-left override.
HOSTILE = "\x1b]0;PWNED\x07\x1b[2J"
TITLE = f"Harlow Street library reopens {HOSTILE}"
OUTLET = "Harlow \x9b31m Gazette\r"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

BODY = (
    "The Harlow Street library reopened on Saturday after a winter of roof repairs, the county said. "
    "“We missed the reading room more than anything,\x1b[8m” said Dana Ortiz\u202e, who chairs the "
    "friends group. Opening hours return to normal next week, and 42 new shelves arrive in March."
)


def storydesk(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("STORYDESK_DB", "DISCORD_TOKEN")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), *args],
        cwd=db.parent, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


async def _hostile_database(db: Path) -> str:
    """Two articles of one story whose title, outlet, byline and text hold control characters;
    returns the story id."""
    desk = await NewsDesk.open(f"sqlite+aiosqlite:///{db}")
    try:
        now = datetime.now(UTC)
        items = [
            IncomingArticle(
                f"lib-{n}",
                ExtractedArticle(
                    title=TITLE,
                    outlet=f"{OUTLET}{n}",
                    byline=[f"Ed\x1b[1m {n}"],
                    text=BODY + " x" * n,
                    published=now - timedelta(hours=n + 1),
                    url=f"https://example.test/{n}",
                ),
            )
            for n in range(2)
        ]
        report = await desk.ingest_items(items)
        return str(report.story_of["lib-0"])
    finally:
        await desk.close()


def test_human_output_neutralises_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "desk.sqlite3"
    story_id = asyncio.run(_hostile_database(db))
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / f"notes{HOSTILE}.docx").write_text("whatever", encoding="utf-8")  # rejected by name
    page = tmp_path / "page.txt"
    page.write_text(f"{TITLE}\n\n{BODY}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STORYDESK_DB", raising=False)
    commands = [
        ["stories"], ["articles"], ["story", story_id], ["compare", story_id], ["quotes", story_id],
        ["digest", "--hours", "48"], ["ingest", str(drop)], ["status"], ["extract", str(page)],
    ]  # fmt: skip
    for args in commands:
        assert cli_main(["--db", str(db), *args]) == 0, args
        out = capsys.readouterr().out
        assert out.strip() and not UNSAFE.search(out), (args, out)
        if args[0] in ("stories", "story", "digest"):
            assert "\\x1b]0;PWNED\\x07" in out, args  # shown, not hidden
    # As a real process, to the real standard output.
    proc = storydesk(db, "stories")
    assert proc.returncode == 0 and "PWNED" in proc.stdout and not UNSAFE.search(proc.stdout)
    # Log lines on standard error (here the warning that names a file not in UTF-8) too.
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / f"caf\u00e9{HOSTILE}.txt").write_bytes(
        f"{TITLE}\n\nCaf\u00e9 society. {BODY}\n".encode("cp1252", "replace")
    )
    proc = storydesk(db, "ingest", str(legacy))
    assert "not UTF-8" in proc.stderr and not UNSAFE.search(proc.stderr), proc.stderr
    # --json keeps the data as stored (JSON escapes C0 control characters itself).
    proc = storydesk(db, "stories", "--json")
    assert proc.returncode == 0 and "\x1b" not in proc.stdout
    assert json.loads(proc.stdout)[0]["headline"].endswith(HOSTILE)


def test_terminal_safe_keeps_ordinary_text() -> None:
    text = "Café “quoted” — 5 % more\n\tindented, 東京, emoji 🙂"
    assert terminal_safe(text) == text
    assert terminal_safe("a\x1bb\x9bc\u202ed\re") == "a\\x1bb\\x9bc\\u202ed\\x0de"
