"""`python -m bot ...` is the same CLI as `storydesk ...` (the console script calls `main` here)."""

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the CLI. Imported only when called, so importing this module costs nothing (it is
    the `storydesk` console script's entry point); ingest workers no longer start from it (they
    run bot/news/ingest/_worker_start.py by path), but keeping it light costs nothing either."""
    from bot.cli import main as cli

    return cli(argv, own_process=True)


if __name__ == "__main__":
    sys.exit(main())
