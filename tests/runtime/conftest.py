"""Runtime unit tests: fail any test that logs an ERROR (discord.py and APScheduler only log)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def fail_on_logged_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    errors = [
        r for r in caplog.get_records("setup") + caplog.get_records("call") if r.levelno >= logging.ERROR
    ]
    assert not errors, "\n".join(r.getMessage() for r in errors)
