"""`python -m bot ...` is the same CLI as `storydesk ...` (the console script calls `main` here)."""

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the CLI. Imported only when called: every ingest worker process starts by running the
    parent's main script again (multiprocessing's spawn), and for the `storydesk` script that is
    `from bot.__main__ import main`; importing the CLI there would load the whole engine into each
    worker (~45 MB) before it could load only what reading needs (bot/news/ingest/_worker_start.py)."""
    from bot.cli import main as cli

    return cli(argv)


if __name__ == "__main__":
    sys.exit(main())
