"""What the README promises a host: deployment files, a licence, ignored databases, bounded dependencies."""

from __future__ import annotations

import asyncio
import re
import subprocess
import tomllib
from pathlib import Path

from bot.news.desk import NewsDesk
from tests.paths import REPO


def test_systemd_unit_restarts_runs_in_its_folder_and_reads_the_token_from_a_file() -> None:
    unit = (REPO / "deploy" / "storydesk.service").read_text()
    keys = dict(line.split("=", 1) for line in unit.splitlines() if "=" in line and not line.startswith("#"))
    assert keys["WorkingDirectory"].startswith("/")
    assert keys["Restart"] in ("on-failure", "always")
    assert keys["EnvironmentFile"] and "DISCORD_TOKEN=" not in unit.replace("echo 'DISCORD_TOKEN=", "")
    assert keys["User"] != "root" and "run" in keys["ExecStart"].split()


def test_dockerfile_runs_as_non_root_with_data_on_a_volume() -> None:
    docker = (REPO / "deploy" / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", docker, re.M)
    assert users and users[-1] not in ("root", "0")
    volumes = re.findall(r"^VOLUME\s+\[?\"?([^\"\]\s]+)", docker, re.M)
    assert volumes
    workdir = re.findall(r"^WORKDIR\s+(\S+)", docker, re.M)[-1]
    assert workdir == volumes[0]  # database and inbox (relative defaults) land on the volume
    assert "[postgres]" in docker


def test_compose_runs_the_bot_against_postgresql() -> None:
    compose = (REPO / "deploy" / "docker-compose.yml").read_text()
    assert re.search(r"image:\s*postgres:\d+", compose)
    assert re.search(r"STORYDESK_DB:\s*postgresql://", compose)
    assert "DISCORD_TOKEN" in compose and "deploy/Dockerfile" in compose


def test_readme_has_the_deployment_section() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Deployment", 1)[1].split("\n## ", 1)[0]
    for needed in ("deploy/storydesk.service", "deploy/Dockerfile", "deploy/docker-compose.yml", "Procfile"):
        assert needed in section, needed
    assert "ephemeral" in section and "/healthz" in section and "/metrics" in section
    assert "resolve against" in readme and ".[postgres]" in readme


def test_licence_matches_the_package_metadata() -> None:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert meta["license"] == {"text": "MIT"}
    licence = (REPO / "LICENSE").read_text()
    assert licence.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in licence


def test_dependencies_have_upper_bounds_on_major_versions() -> None:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    deps = meta["dependencies"] + [d for extra in meta["optional-dependencies"].values() for d in extra]
    # tzdata is versioned by year (the time-zone database): it has no major version to bound.
    unbounded = [d for d in deps if "<" not in d and not d.startswith("tzdata")]
    assert not unbounded


def test_gitignore_covers_the_files_the_readme_commands_create(tmp_path: Path) -> None:
    """Open databases the way the README does and ask git whether what appeared is ignored."""

    async def make(name: str) -> None:
        desk = await NewsDesk.open(f"sqlite+aiosqlite:///{tmp_path / name}")
        try:
            async with desk.store.writer():  # the ingest lock file, as `storydesk ingest` takes it
                pass
        finally:
            await desk.close()

    for name in ("storydesk.sqlite3", "seeds.sqlite", "cli.db"):
        asyncio.run(make(name))
    (tmp_path / "storydesk.sqlite3-wal").touch()
    (tmp_path / "seeds.sqlite-shm").touch()
    created = sorted(p.name for p in tmp_path.iterdir())
    assert len(created) >= 8, created
    paths = [name for name in created] + ["inbox/.rejected/x.txt", "config.toml", "deploy/.env"]
    proc = subprocess.run(
        ["git", "check-ignore", "--no-index", "-v", "-n", *paths],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    not_ignored = [line.split("\t")[-1] for line in proc.stdout.splitlines() if line.startswith("::")]
    assert not not_ignored
    # ...and nothing the project needs is.
    keep = ["config.example.toml", "inbox/bay9-news_ferry-strike.txt", "deploy/Dockerfile", "LICENSE"]
    proc = subprocess.run(
        ["git", "check-ignore", "--no-index", *keep], cwd=REPO, capture_output=True, text=True
    )
    assert proc.stdout.strip() == ""


def test_gitignore_covers_what_the_compiled_install_leaves() -> None:
    """setup.py compiles beside the sources (an editable install): none of it is to be committed."""
    made = [str(p.relative_to(REPO)) for p in (REPO / "bot").rglob("*.so")]
    made += [
        "storydesk_native__mypyc.cpython-311-x86_64-linux-gnu.so",
        "bot/news/quotes/_cast.cpython-311-x86_64-linux-gnu.so",
        "bot/_native_build.json",
        "build/bot/news/quotes/_cast.c",
    ]
    proc = subprocess.run(
        ["git", "check-ignore", "--no-index", "-v", "-n", *made], cwd=REPO, capture_output=True, text=True
    )
    assert [line for line in proc.stdout.splitlines() if line.startswith("::")] == []
    assert subprocess.run(["git", "check-ignore", "-q", "setup.py"], cwd=REPO).returncode == 1


def test_the_image_is_built_with_a_compiler_and_runs_without_it() -> None:
    docker = (REPO / "deploy" / "Dockerfile").read_text()
    build, _, final = docker.rpartition("\nFROM ")
    assert re.search(r"^COPY .*\bsetup\.py\b", build, re.M)  # the build hook that compiles
    assert build.index("gcc") < build.index("pip install")
    assert "gcc" not in final and "COPY --from=build" in final
