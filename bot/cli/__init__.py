"""The command line: `storydesk ...` and `python -m bot ...` (same thing).

One module per command family (`_ingest`, `_reading`, `_digest`, `_feeds`, `_run`), each with a
`register()` that adds its sub-commands and their handlers; `_app` builds the parser from them.
"""

from __future__ import annotations

from bot.cli._app import build_parser, main
from bot.cli._common import EXIT_DB, EXIT_FAIL, EXIT_OK, EXIT_USAGE

__all__ = ["EXIT_DB", "EXIT_FAIL", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]
