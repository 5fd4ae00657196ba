"""The CLI as users and scripts run it: real processes, real files, JSON shapes kept exactly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.paths import INBOX, SEEDS


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("STORYDESK_DB", "DISCORD_TOKEN")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_json(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Any:
    proc = run(*args, "--json", cwd=cwd, env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the sample inbox ingested into ./storydesk.sqlite3 (the default database)."""
    wd = tmp_path_factory.mktemp("cli")
    env = {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = run("ingest", str(INBOX), cwd=wd, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Ingested:" in proc.stdout and "rejected" in proc.stdout
    assert (wd / "storydesk.sqlite3").exists()
    return wd


def test_extract_json_shape(shared_dir: Path, tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    data = run_json("extract", str(seed), cwd=tmp_path)
    for key in ("title", "outlet", "byline", "published", "url", "language", "text", "quotes"):
        assert key in data
    assert isinstance(data["byline"], list) and data["text"]
    for q in data["quotes"]:
        assert set(q) >= {"text", "speaker", "cue", "start", "end"}
        assert data["text"][q["start"] : q["end"]].strip("“”\"' ") != ""
    assert not (tmp_path / "storydesk.sqlite3").exists()  # extract needs no database


def test_ingest_json_counts_and_idempotence(workdir: Path) -> None:
    again = run_json("ingest", str(INBOX), cwd=workdir)
    assert again["new"] == 0 and again["duplicate"] >= 12 and again["rejected"] == 0


def test_articles_have_refs(workdir: Path) -> None:
    arts = run_json("articles", cwd=workdir)
    assert len(arts) >= 12
    for a in arts:
        assert a["ref"] and isinstance(a["byline"], list)
        assert a["published"] is None or "T" in a["published"]
    assert any(a["ref"].startswith(str(INBOX)) for a in arts)


def test_stories_story_quotes_compare_digest_shapes(workdir: Path) -> None:
    stories = run_json("stories", cwd=workdir)
    assert stories
    for s in stories:
        assert set(s) >= {"id", "headline", "outlets", "first_seen", "last_updated", "articles"}
        for a in s["articles"]:
            assert set(a) >= {"ref", "outlet", "title", "published", "syndicated_of"}
    biggest = max(stories, key=lambda s: len(s["outlets"]))
    assert len(biggest["outlets"]) >= 3
    one = run_json("story", str(biggest["id"]), cwd=workdir)
    assert one["id"] == biggest["id"] and len(one["articles"]) == len(biggest["articles"])
    quotes = run_json("quotes", str(biggest["id"]), cwd=workdir)
    assert isinstance(quotes, list)
    for g in quotes:
        assert set(g) >= {"speaker", "text", "outlets", "occurrences"}
        for o in g["occurrences"]:
            assert set(o) >= {"ref", "outlet", "text"}
    cmp = run_json("compare", str(biggest["id"]), cwd=workdir)
    assert set(cmp) >= {"story", "outlets", "shared_points", "discrepancies", "agreements"}
    for o in cmp["outlets"]:
        assert set(o) >= {"outlet", "ref", "headline", "words", "speakers", "unique_points"}
    digest = run_json("digest", "--hours", "24", cwd=workdir)
    counts = [item["outlet_count"] for item in digest["items"]]
    assert counts and counts[0] == max(counts) >= 3
    assert all(len(item["summary"]) <= 2 and item["outlets"] for item in digest["items"])


def test_human_digest_and_unknown_story(workdir: Path) -> None:
    proc = run("digest", cwd=workdir)
    assert proc.returncode == 0 and "Storydesk digest" in proc.stdout and "compare" in proc.stdout
    proc = run("story", "999999", cwd=workdir)
    assert proc.returncode == 1 and "no story 999999" in proc.stderr.lower()


def test_exit_codes_for_config_and_database_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[digest]\nhours = -1\n")
    proc = run("--config", str(bad), "stories", cwd=tmp_path)
    assert proc.returncode == 2 and "[digest] hours" in proc.stderr
    proc = run("--db", str(tmp_path / "missing" / "x.db"), "ingest", str(INBOX), cwd=tmp_path)
    assert proc.returncode == 3 and "cannot open database" in proc.stderr
    proc = run("stories", "--since", "soon", cwd=tmp_path)
    assert proc.returncode == 2 and "not a duration" in proc.stderr


def test_db_option_beats_environment(tmp_path: Path) -> None:
    env = {"STORYDESK_DB": str(tmp_path / "env.db")}
    run_json("ingest", str(INBOX), cwd=tmp_path, env=env)
    assert (tmp_path / "env.db").exists()
    run_json(
        "--db",
        str(tmp_path / "cli.db"),
        "ingest",
        str(INBOX / "bay9-news_ferry-strike.txt"),
        cwd=tmp_path,
        env=env,
    )
    assert len(run_json("--db", str(tmp_path / "cli.db"), "articles", cwd=tmp_path, env=env)) == 1


def test_the_seed_story_through_the_cli(shared_dir: Path, tmp_path: Path) -> None:
    """The five seed pages as a user drops them in: one story, quoted and compared."""
    env = {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    ingested = run_json("ingest", str(SEEDS), cwd=tmp_path, env=env)
    assert ingested["new"] == 5
    (story,) = run_json("stories", cwd=tmp_path, env=env)
    assert len(story["outlets"]) == 5
    assert story["first_seen"].startswith("2025-02-12") and story["last_updated"].startswith("2025-02-22")
    sid = str(story["id"])
    quoted = run("quotes", sid, cwd=tmp_path, env=env)
    assert quoted.returncode == 0, quoted.stderr
    assert "Pete Hegseth" in quoted.stdout and "[+Pursuing]" in quoted.stdout
    assert "another translation of quote" in quoted.stdout
    compared = run_json("compare", sid, cwd=tmp_path, env=env)
    disagreeing = [{v["value"] for v in d["values"]} for d in compared["discrepancies"]]
    assert {"$65.9 billion", "more than $66.5 billion"} in disagreeing
    assert all(o["outlet"] and not o["outlet"].startswith(("/", ".")) for o in compared["outlets"])


def test_answers_do_not_depend_on_hash_seeds(workdir: Path) -> None:
    """Labels and orders must not follow set iteration, which changes from run to run."""
    env = {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    (story,) = [s for s in run_json("stories", cwd=workdir, env=env) if len(s["outlets"]) >= 3][:1]
    outputs = set()
    for seed in ("1", "2", "3"):
        for command in ("compare", "quotes"):
            proc = run(command, str(story["id"]), cwd=workdir, env={**env, "PYTHONHASHSEED": seed})
            assert proc.returncode == 0, proc.stderr
            outputs.add((command, proc.stdout))
    assert len(outputs) == 2


def test_the_ingest_command_sets_its_process_up_for_ingesting(tmp_path: Path) -> None:
    """`storydesk ingest` (the console script, `python -m bot`) freezes its imported code out of the
    garbage collector's passes and collects less often, as the ingest workers do; the long-running
    commands, and `bot.cli.main` called in-process (as tests do), leave the collector alone."""
    probe = (
        "import gc, sys, bot.cli._app as app, bot.__main__, bot.cli\n"
        "default = gc.get_threshold()\n"
        "def load_settings(path):\n"
        "    print(gc.get_threshold() != default, gc.get_freeze_count() > 0)\n"
        "    raise app.ConfigError('stop here')\n"
        "app.load_settings = load_settings\n"
        "entry = bot.cli.main if sys.argv[1] == 'direct' else bot.__main__.main\n"
        "entry(sys.argv[2:])\n"
    )
    root = str(Path(__file__).resolve().parent.parent)

    def collector(*args: str) -> list[str]:
        proc = subprocess.run(
            [sys.executable, "-c", probe, *args], cwd=tmp_path, env={**os.environ, "PYTHONPATH": root},
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        return proc.stdout.split()

    assert collector("script", "ingest", "x") == ["True", "True"]
    assert collector("script", "poll") == ["False", "False"]
    assert collector("script", "run") == ["False", "False"]
    assert collector("direct", "ingest", "x") == ["False", "False"]
