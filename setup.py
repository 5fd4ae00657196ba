"""Build hook: compile the engine's hot modules to C with mypyc, or install them as plain Python.

Everything else about the package is in pyproject.toml. Quote extraction and clustering are
tight pure-Python loops over tokens and vectors; compiled by mypyc (the compiler mypy ships)
from the same typed sources, they run in about half the CPU time with the same results (see
"Speed" in the README and bench/bench_reader.py). Nothing else changes: the modules keep their
names and the Python sources stay the reference.

- `STORYDESK_PURE_PYTHON=1` at install time skips compiling (and at run time ignores a build:
  bot/_native.py).
- No C compiler, or mypyc refusing a module: the install goes on as plain Python, with a note.
- The build records each compiled source's hash (bot/_native_build.json): a source edited
  after the build is noticed at import and the whole engine then runs its Python (bot/_native.py),
  since an out-of-date compiled module would otherwise shadow the edit.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).parent
MANIFEST = ROOT / "bot" / "_native_build.json"

# The hot paths an ingest worker and the clustering writer spend their CPU in (bench_reader,
# bench_writer). Cleaning: only the line-by-line modules, which take ~6% fewer instructions
# compiled (callgrind, parse+clean; most of its time is in regular expressions and dicts, C
# already); its other modules (dates, metadata, bylines, outlets) are not hot, and compiled
# signatures would turn their odd inputs (a number where a date's text is expected) into a
# TypeError. Compare was measured too and gains nothing worth a longer build.
HOT = [
    "bot/news/cleaning/_extract.py",
    "bot/news/cleaning/_furniture.py",
    "bot/news/cleaning/_language.py",
    "bot/news/cleaning/_lines.py",
    "bot/news/cleaning/_text_page.py",
    "bot/news/text/_case.py",
    "bot/news/text/_names.py",
    "bot/news/text/_name_keys.py",
    "bot/news/text/_marks.py",
    "bot/news/text/_sentences.py",
    "bot/news/quotes/_attribution.py",
    "bot/news/quotes/_cast.py",
    "bot/news/quotes/_extract.py",
    "bot/news/quotes/_phrases.py",
    "bot/news/quotes/_phrase_parts.py",
    "bot/news/quotes/_speakers.py",
    "bot/news/quotes/_speech.py",
    "bot/news/stories/_terms.py",
    "bot/news/stories/_features.py",
    "bot/news/stories/_vectors.py",
    "bot/news/stories/_clusterer.py",
    "bot/news/stories/_index.py",
    "bot/news/stories/_candidates.py",
    "bot/news/stories/_postings.py",
    "bot/news/stories/_scoring.py",
    "bot/news/stories/_pairs.py",
    "bot/news/stories/_centroid.py",
    "bot/news/stories/_regroup.py",
    "bot/news/stories/_state.py",
    "bot/news/stories/_repair.py",
]


# mypyc needs the types, not a second type check: CI runs mypy with the project's own settings
# (strict, pydantic's plugin), and a build must not fail, or compile differently, because the
# build environment lacks a library (pip's isolated build holds setuptools and mypy only, so
# missing libraries are typed Any) or has pydantic without its plugin configured.
def _build_config() -> str:
    lines = ["[mypy]", "ignore_missing_imports = True", "ignore_errors = True"]
    try:
        import pydantic.mypy  # noqa: F401
    except ImportError:
        pass
    else:
        lines.append("plugins = pydantic.mypy")
    return "\n".join(lines) + "\n"


def _module(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def _write_manifest() -> None:
    digests = {_module(p): hashlib.sha256((ROOT / p).read_bytes()).hexdigest() for p in HOT}
    MANIFEST.write_text(json.dumps({"modules": digests}, indent=1) + "\n", encoding="utf-8")


def _note(message: str) -> None:
    print(f"storydesk: {message}", file=sys.stderr)


def _remove_old_build() -> None:
    """An earlier build's compiled files beside the sources: gone before a new build (a failed or
    skipped one would otherwise leave them to be imported in place of the sources)."""
    MANIFEST.unlink(missing_ok=True)
    # Every compiled file of the package, not only HOT's: a module taken off the list must not
    # leave its old build behind (the package holds no other extension modules).
    for suffix in EXTENSION_SUFFIXES:
        for built in [*(ROOT / "bot").rglob(f"*{suffix}"), ROOT / f"storydesk_native__mypyc{suffix}"]:
            built.unlink(missing_ok=True)


def ext_modules() -> list[object]:
    _remove_old_build()
    if os.environ.get("STORYDESK_PURE_PYTHON"):
        _note("STORYDESK_PURE_PYTHON is set: installing the engine as plain Python")
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _note("mypyc is not available: installing the engine as plain Python")
        return []
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as config:
        config.write(_build_config())
    try:
        os.chdir(ROOT)  # mypyc takes paths relative to the project
        extensions = mypycify(["--config-file", config.name, *HOT], group_name="storydesk_native")
    except (Exception, SystemExit) as exc:  # a type error mypyc cannot compile past
        _note(f"mypyc could not compile the engine ({exc!r}): installing it as plain Python")
        return []
    finally:
        os.unlink(config.name)
    for extension in extensions:
        extension.optional = True  # no C compiler: setuptools warns and goes on without it
    _write_manifest()
    return list(extensions)


setup(ext_modules=ext_modules())
