"""The store starts where there is no fcntl (Windows): the file lock is chosen by platform."""

from __future__ import annotations

import subprocess
import sys

from tests.paths import REPO


def test_the_store_imports_without_fcntl() -> None:
    code = (
        "import sys; sys.modules['fcntl'] = None\n"  # `import fcntl` now raises ImportError
        "import bot.news.store._db as db\n"
        "import bot.news\n"
        "print(db._try_lock.__name__)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "_try_lock" in proc.stdout
