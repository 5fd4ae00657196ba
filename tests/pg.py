"""PostgreSQL for the tests: the server STORYDESK_TEST_PG names (`.ci/run` starts one), and a new,
empty database on it per test. Tests that need it skip where no server is named."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot.config import to_database_url

PG = os.environ.get("STORYDESK_TEST_PG", "")
NO_PG = "no PostgreSQL server (set STORYDESK_TEST_PG)"


@asynccontextmanager
async def pg_database() -> AsyncIterator[str]:
    """A new, empty database on the test server (dropped afterwards); yields its async URL.
    Skips the test where no server is named."""
    if not PG:
        pytest.skip(NO_PG)
    import asyncpg  # type: ignore[import-untyped]

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    try:
        yield to_database_url(PG.rsplit("/", 1)[0] + "/" + name)
    finally:
        admin = await asyncpg.connect(PG)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
