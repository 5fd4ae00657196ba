"""An ingest worker process's first code: import only what reading a file needs, then serve.

Run by path (`runpy.run_path`, from the worker's `python -c`: see `_processes.py`), not imported: importing any module of the
engine runs `bot/news/__init__.py` first, the engine's face, which imports all of it (the desk,
the store and SQLAlchemy, feeds and aiohttp, pictures...): ~45 MB a worker never uses. Here the
faces of `bot.news` and its packages are made lazy before anything is imported: a name is taken
from the module its face re-exports it from when first asked for. So a worker loads cleaning,
quotes, the clustering features and what they import, and nothing else.

Standard library only, and no state kept but the import hook: this file is not part of the
engine's import graph.
"""

from __future__ import annotations

import ast
import importlib
import importlib.abc
import importlib.machinery
import os
import sys
import types
from collections.abc import Sequence
from typing import Any

_ENGINE = "bot.news"


def _reexports(source: str) -> dict[str, tuple[str, str]] | None:
    """A face's names and where each comes from (name: (module, name there)), or None when the
    file does more than re-export (it is then imported as it is)."""
    names: dict[str, tuple[str, str]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module != "__future__":
                for alias in node.names:
                    names[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        elif isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["__all__"]:
            continue
        else:
            return None
    return names


class _LazyFace(importlib.abc.Loader):
    """Makes a package whose face only re-exports: each name is imported when first used."""

    def __init__(self, names: dict[str, tuple[str, str]]) -> None:
        self.names = names

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # the default module, with `__path__` from the spec

    def exec_module(self, module: types.ModuleType) -> None:
        names = self.names

        def __getattr__(name: str) -> Any:  # PEP 562: a module's own __getattr__
            if name not in names:
                raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
            source, attr = names[name]
            value = getattr(importlib.import_module(source), attr)
            setattr(module, name, value)
            return value

        module.__getattr__ = __getattr__  # type: ignore[method-assign]
        module.__all__ = sorted(names)  # type: ignore[attr-defined]


class _LazyFaces(importlib.abc.MetaPathFinder):
    """Finds the engine's packages as usual, and gives those with a pure re-export face a lazy one."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _ENGINE and not fullname.startswith(_ENGINE + "."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.submodule_search_locations is None or spec.origin is None:
            return None  # a plain module (or not found): the usual finders take it
        with open(spec.origin, encoding="utf-8") as f:
            names = _reexports(f.read())
        if names is None:
            return None
        spec.loader = _LazyFace(names)
        return spec


def start(parent_pid: int, path: list[str]) -> None:
    """Take the parent's import path, install the lazy faces, import the worker's code (then
    frozen out of the collector's scans), watch the parent, and answer calls until the end of
    the input."""
    replies = os.fdopen(os.dup(1), "wb")  # the answers' pipe, kept apart from stdout:
    os.dup2(2, 1)  # anything printed in the engine goes to stderr, not into the answers
    sys.path[:] = path
    sys.meta_path.insert(0, _LazyFaces())
    worker = importlib.import_module("bot.news.ingest._worker")
    worker.start_worker(parent_pid)
    frames = importlib.import_module("bot.news.ingest._frames")
    frames.serve(sys.stdin.buffer, replies)


RUN_NAME = "__ingest_worker__"  # the name the worker's `python -c` runs this file under

if __name__ == RUN_NAME:
    # argv: "-c", this file, the parent's process id, the parent's import path.
    start(int(sys.argv[2]), sys.argv[3:])
