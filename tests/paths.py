"""Where the tests find the repository and the shared data beside it."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
INBOX = REPO / "inbox"
