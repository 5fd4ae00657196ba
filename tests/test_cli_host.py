"""The CLI as a new host meets it: pipes, wrong databases, exit codes, "nothing here" messages,
rejections said once, and the private-address switch shown where a host looks."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from tests.paths import INBOX, REPO


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `storydesk ARGS` in this process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as e:  # argparse
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(config, database) with the sample inbox ingested; the config file is empty (defaults)."""
    wd = tmp_path_factory.mktemp("host")
    cfg = wd / "config.toml"
    cfg.write_text("")
    db = wd / "inbox.sqlite3"
    assert main(["--config", str(cfg), "--db", str(db), "ingest", str(INBOX)]) == 0
    return cfg, db


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# --- Pipes -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database whose listings are far bigger than a pipe's buffer (64 KiB)."""
    wd = tmp_path_factory.mktemp("pipes")
    records = wd / "many.jsonl"
    with records.open("w", encoding="utf-8") as f:
        for n in range(60):
            words = " ".join(f"topic{n}word{k}" for k in range(200))
            text = f"Report number {n} about subject {n}. {words}."
            f.write(json.dumps({"title": f"Story {n} headline", "outlet": f"Outlet {n % 7}", "text": text}))
            f.write("\n")
    db = wd / "big.sqlite3"
    assert main(["--db", str(db), "ingest", str(records)]) == 0
    return db


@pytest.mark.parametrize(
    "command", [["articles", "--json"], ["stories", "--json"], ["extract", "BIGFILE"]], ids=lambda c: c[0]
)
def test_output_piped_into_a_reader_that_stops_early_ends_quietly(
    big_db: Path, tmp_path: Path, command: list[str]
) -> None:
    big = tmp_path / "big.txt"
    paragraphs = (
        f"On Tuesday the council of district {n} voted {n % 9} to {n % 5} to approve a budget of "
        f"{n * 3} million dollars for the harbor, officials said. Residents of ward {n} expect the "
        f"new ferry schedule to start within {n % 12 + 1} weeks."
        for n in range(400)
    )
    big.write_text("Harbor council votes on ferry budget\n\n" + "\n\n".join(paragraphs))
    args = [str(big) if a == "BIGFILE" else a for a in command]
    env = {k: v for k, v in os.environ.items() if k not in ("STORYDESK_DB", "DISCORD_TOKEN")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--db", str(big_db), *args],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()  # like `| head -1`: one line, then the reader goes away
    proc.stdout.close()
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert code == 0


# --- Databases ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["stories"], ["status"], ["digest"], ["articles"], ["feeds", "list"]])
def test_reading_commands_never_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, _, err = cli(capsys, "--db", str(tmp_path / "seeds.sqlit"), *command)
    assert code == 3
    assert "seeds.sqlit" in err and "no such file" in err
    assert _files(tmp_path) == set()  # no database, no lock files


def test_unusable_database_urls_exit_3_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = cli(capsys, "--db", "mysql://u:p@localhost/news", "stories")
    assert code == 3 and "unsupported URL scheme 'mysql'" in err and "Traceback" not in err
    code, _, err = cli(capsys, "--db", "postgresql://u:p@localhost:99999/news", "stories")
    assert code == 3 and "bad port" in err
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "asyncpg" else real(name, *a)
    )
    code, _, err = cli(capsys, "--db", "postgresql://u:p@localhost/news", "stories")
    assert code == 3 and ".[postgres]" in err and "asyncpg" in err


# --- Exit codes and rejections -----------------------------------------------------------------


def test_ingest_exit_codes_follow_the_readme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.sqlite3"
    code, _, err = cli(capsys, "--db", str(db), "ingest", str(tmp_path / "nonexistent"))
    assert code == 1 and "no such file or folder" in err
    assert not db.exists()
    good = INBOX / "bay9-news_ferry-strike.txt"
    code, out, err = cli(capsys, "--db", str(db), "ingest", str(tmp_path / "nope.txt"), str(good))
    assert code == 1 and "nope.txt" in err
    assert "1 new" in out  # the good path was read all the same


def test_every_rejection_is_said_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    (folder / "lines.jsonl").write_text('{"text": "A fine article about the harbor."}\n{"title": "x"}\n')
    db = tmp_path / "r.sqlite3"
    with caplog.at_level(logging.WARNING):
        code, out, err = cli(capsys, "--db", str(db), "ingest", str(folder))
    assert code == 0
    assert out.count("empty.txt") == 1 and out.count("lines.jsonl:2") == 1
    assert "empty.txt" not in err and not [r for r in caplog.records if "empty.txt" in r.getMessage()]

    code, out, _ = cli(capsys, "--db", str(db), "status")
    assert code == 0
    assert "empty file: empty file" not in out
    assert out.count("empty file") == 1
    code, out, _ = cli(capsys, "--db", str(db), "status", "--json")
    rejections: list[dict[str, Any]] = json.loads(out)["recent_rejections"]
    by_reason = {r["reason"]: r for r in rejections}
    empty = by_reason["empty file"]
    assert empty["path"].endswith("empty.txt") and "empty file" not in empty["path"]
    assert empty["line"] is None and set(empty) >= {"path", "reason", "at", "line"}
    line_two = next(r for r in rejections if r["line"] == 2)
    assert line_two["path"].endswith("lines.jsonl") and line_two["reason"] == "record has no 'text'"


# --- "Nothing here" says what was asked and what was found ---------------------------------------


def test_outlets_match_by_prefix_or_word_in_any_case(
    filled: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cfg, db = filled
    for query in ("Bay 9", "bay 9 news", "BAY"):
        code, out, _ = cli(
            capsys, "--config", str(cfg), "--db", str(db), "articles", "--outlet", query, "--json"
        )
        found = json.loads(out)
        assert code == 0 and found, query
        assert {a["outlet"] for a in found} == {"Bay 9 News"}
    code, out, _ = cli(
        capsys, "--config", str(cfg), "--db", str(db), "articles", "--outlet", "ledger", "--json"
    )
    assert {a["outlet"] for a in json.loads(out)} == {"The Harbor Ledger"}


def test_empty_answers_say_what_was_asked_and_found(
    filled: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cfg, db = filled
    base = ["--config", str(cfg), "--db", str(db)]
    code, out, _ = cli(capsys, *base, "status", "--json")
    stored = json.loads(out)
    code, out, _ = cli(capsys, *base, "articles", "--outlet", "Nowhere Gazette")
    assert code == 0 and "'Nowhere Gazette'" in out and f"{stored['articles']} article(s) stored" in out
    assert "No articles stored yet" not in out
    code, out, _ = cli(capsys, *base, "stories", "--query", "zzzz")
    assert code == 0 and "'zzzz'" in out and str(stored["stories"]) in out
    assert "in that period" not in out
    code, out, _ = cli(capsys, *base, "digest", "--hours", "100000", "--min-outlets", "99")
    assert code == 0 and "at least 99 outlets" in out and "Nothing new arrived" not in out
    assert "widest carried by 5 outlet(s)" in out


@pytest.mark.parametrize("hours", ["1e308", "inf", "nan"])
def test_absurd_periods_are_usage_errors(
    filled: tuple[Path, Path], capsys: pytest.CaptureFixture[str], hours: str
) -> None:
    cfg, db = filled
    code, _, err = cli(capsys, "--config", str(cfg), "--db", str(db), "digest", "--hours", hours)
    assert code == 2 and "Traceback" not in err
    code, _, err = cli(capsys, "--config", str(cfg), "--db", str(db), "stories", "--since", "99999999999999w")
    assert code == 2 and "too long" in err


# --- allow_private_addresses -------------------------------------------------------------------


def test_private_addresses_are_warned_about_and_shown(
    filled: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain, db = filled
    code, out, _ = cli(capsys, "--config", str(plain), "--db", str(db), "status", "--json")
    assert code == 0 and json.loads(out)["allow_private_addresses"] is False
    open_cfg = tmp_path / "open.toml"
    open_cfg.write_text("[network]\nallow_private_addresses = true\n")
    base = ["--config", str(open_cfg), "--db", str(db)]
    code, out, _ = cli(capsys, *base, "status", "--json")
    assert code == 0 and json.loads(out)["allow_private_addresses"] is True
    code, out, _ = cli(capsys, *base, "status")
    assert code == 0 and "allow_private_addresses = true" in out
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    for command in (["feeds", "list"], ["run"]):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            cli(capsys, *base, *command)
        warned = [r for r in caplog.records if "allow_private_addresses" in r.getMessage()]
        assert len(warned) == 1 and warned[0].levelno == logging.WARNING, command
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        cli(capsys, "--config", str(plain), "--db", str(db), "feeds", "list")
    assert not [r for r in caplog.records if "allow_private_addresses" in r.getMessage()]
