"""Feed commands of the CLI (`storydesk feeds ...`, `storydesk poll`)."""

from __future__ import annotations

import argparse
from typing import Any


def add_feed_commands(sub: Any) -> None:
    """Register the feed sub-commands on the main parser (filled in by the feeds work)."""
    _ = (sub, argparse)
