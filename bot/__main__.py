"""`python -m bot ...` is the same CLI as `storydesk ...` (the console script calls `main` here)."""

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the CLI. Imported only when called, so importing this module costs nothing (it is
    the `storydesk` console script's entry point); ingest workers no longer start from it (they
    run bot/news/ingest/_worker_start.py by path), but keeping it light costs nothing either."""
    from bot.cli import main as cli
    from bot.news import collect_less

    # This process ingests (`ingest`, `run`, `work`): its imported code is left out of the garbage
    # collector's passes, which run less often (tests calling `bot.cli.main` keep the default).
    collect_less()
    return cli(argv)


if __name__ == "__main__":
    sys.exit(main())
