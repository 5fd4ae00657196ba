"""`[discord] shard_count / shard_ids`: what a process runs, and the settings that cannot work."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import DiscordSettings, Settings
from bot.runtime.main import sharding_problem
from bot.runtime.shards import ShardPlan


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
