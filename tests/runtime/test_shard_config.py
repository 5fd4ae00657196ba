"""`[discord] shard_count / shard_ids`: what a process runs, and the settings that cannot work."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import ConfigError, DiscordSettings, Settings, with_shard_environment
from bot.runtime.main import sharding_problem
from bot.runtime.shards import ShardPlan
from tests.paths import REPO


def _discord(**kw: object) -> DiscordSettings:
    return Settings.model_validate({"discord": kw}).discord


def test_default_is_one_process_with_every_server() -> None:
    plan = ShardPlan.from_settings(_discord())
    assert not plan.sharded and plan.owns(1 << 40) and plan.client_options() == {}


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"shard_ids": [0]}, "needs shard_count"),
        ({"shard_count": 2, "shard_ids": [2]}, "not below shard_count"),
        ({"shard_count": 2, "shard_ids": [1, 1]}, "each shard once"),
        ({"shard_count": 2, "shard_ids": []}, "each shard once"),
        ({"shard_count": 0}, "greater than 0"),
        ({"shard_count": 2, "shard_ids": [-1]}, "greater than or equal to 0"),
    ],
)
def test_shard_settings_that_cannot_work_are_refused(keys: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _discord(**keys)


def test_several_processes_need_postgresql() -> None:
    part = _discord(shard_count=2, shard_ids=[1])
    problem = sharding_problem(part, "sqlite+aiosqlite:///x.sqlite3")
    assert problem is not None and "PostgreSQL" in problem
    assert sharding_problem(part, "postgresql+asyncpg://u@h/db") is None
    # One process running every shard may stay on SQLite.
    assert sharding_problem(_discord(shard_count=2), "sqlite+aiosqlite:///x.sqlite3") is None
    assert sharding_problem(_discord(shard_count=2, shard_ids=[0, 1]), "sqlite+aiosqlite:///x") is None


def test_a_process_names_its_shards_in_its_environment() -> None:
    base = Settings.model_validate({"discord": {"shard_count": 4}})
    assert with_shard_environment(base, {}) is base
    got = with_shard_environment(base, {"STORYDESK_SHARD_IDS": "1, 3"}).discord
    assert got.shard_count == 4 and got.shard_ids == [1, 3]
    got = with_shard_environment(
        Settings(), {"STORYDESK_SHARD_COUNT": "2", "STORYDESK_SHARD_IDS": "0"}
    ).discord
    assert ShardPlan.from_settings(got).client_options() == {"shard_id": 0, "shard_count": 2}
    for bad in ({"STORYDESK_SHARD_IDS": "one"}, {"STORYDESK_SHARD_IDS": "0"}, {"STORYDESK_SHARD_COUNT": "0"}):
        with pytest.raises(ConfigError, match="STORYDESK_SHARD"):
            with_shard_environment(Settings(), bad)


def test_procfile_keeps_the_one_process_default_and_shard_roles_cover_every_shard() -> None:
    roles = dict(line.split(":", 1) for line in (REPO / "Procfile").read_text().splitlines() if ":" in line)
    assert roles["worker"].split() == ["python", "-m", "bot", "run"]
    shards = {}
    for name, command in roles.items():
        env = dict(w.split("=", 1) for w in command.split() if w.startswith("STORYDESK_SHARD"))
        if name.startswith("bot-shard-"):
            got = with_shard_environment(Settings(), env).discord
            assert got.shard_ids == [int(name.rsplit("-", 1)[1])] and command.split()[-1] == "run"
            shards[got.shard_ids[0]] = got.shard_count
    assert shards and set(shards.values()) == {len(shards)} and sorted(shards) == list(range(len(shards)))
    unit = (REPO / "deploy" / "storydesk-shard@.service").read_text()
    assert "Environment=STORYDESK_SHARD_IDS=%i" in unit and "Restart=on-failure" in unit
    readme = (REPO / "README.md").read_text().split("## Deployment with many processes", 1)[1]
    for needed in ("shard_count", "shard_ids", "coordination_seconds", "PostgreSQL", "storydesk work"):
        assert needed in readme.split("\n## ", 1)[0], needed
