"""Whether the engine runs its compiled modules (setup.py builds them with mypyc), and the way back
to their Python sources when a build is out of date or unwanted.

An editable install builds the compiled modules beside their sources, and Python imports a
compiled module before a source of the same name. A source edited after the build would then be
ignored without a word. So at import the sources are checked against the hashes the build
recorded; if any differs, every compiled module is imported from its source instead (all of them:
compiled modules call one another's classes directly, so a mix of the two cannot run), with a
warning saying how to rebuild. `STORYDESK_PURE_PYTHON=1` asks for the sources outright.

Standard library only: this runs first, from `bot/__init__.py`, in every process (workers too).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import types
import warnings
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).parent.parent  # the directory holding the `bot` package
MANIFEST = Path(__file__).with_name("_native_build.json")
PURE_ENV = "STORYDESK_PURE_PYTHON"


class StaleBuildWarning(RuntimeWarning):
    """Compiled modules are older than their sources: the engine runs its Python instead."""


class _SourcesFirst(importlib.abc.MetaPathFinder):
    """Imports the named modules from their `.py` files, before the compiled ones are found."""

    def __init__(self, sources: dict[str, Path]) -> None:
        self.sources = sources

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        source = self.sources.get(fullname)
        if source is None:
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def recorded(manifest: Path = MANIFEST) -> dict[str, str]:
    """The build's compiled modules and the sha256 of each one's source ({} when none)."""
    try:
        modules = json.loads(manifest.read_text(encoding="utf-8"))["modules"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {str(name): str(digest) for name, digest in dict(modules).items()}


def source_of(module: str, root: Path = ROOT) -> Path:
    return root.joinpath(*module.split(".")).with_suffix(".py")


def is_built(module: str, root: Path = ROOT) -> bool:
    """Whether a compiled file of the module sits beside its source (a build that compiled)."""
    source = source_of(module, root)
    return any(source.with_suffix(suffix).exists() for suffix in importlib.machinery.EXTENSION_SUFFIXES)


def stale(modules: dict[str, str], root: Path = ROOT) -> list[str]:
    """The compiled modules whose source no longer has the hash recorded at build time."""
    out = []
    for module, digest in modules.items():
        try:
            now = hashlib.sha256(source_of(module, root).read_bytes()).hexdigest()
        except OSError:
            now = ""
        if now != digest:
            out.append(module)
    return out


def choose(root: Path = ROOT, manifest: Path = MANIFEST) -> tuple[str, dict[str, Path]]:
    """How the engine runs ("compiled (23 modules)", "python", "python: <why>") and the modules
    to import from their sources for that."""
    built = {name: digest for name, digest in recorded(manifest).items() if is_built(name, root)}
    if not built:
        return "python", {}
    sources = {name: source_of(name, root) for name in built}
    if os.environ.get(PURE_ENV):
        return f"python: {PURE_ENV} is set", sources
    changed = stale(built, root)
    if changed:
        return f"python: sources changed since the build ({', '.join(sorted(changed))})", sources
    return f"compiled ({len(built)} modules)", {}


def install() -> str:
    """Chooses once per process, before any engine module is imported; returns the choice."""
    mode, sources = choose()
    if sources:
        sys.meta_path.insert(0, _SourcesFirst(sources))
    if mode.startswith("python: sources changed"):
        warnings.warn(
            f"storydesk runs as {mode}: reinstall (pip install -e .) to compile them again",
            StaleBuildWarning,
            stacklevel=2,
        )
    return mode


MODE = install()
