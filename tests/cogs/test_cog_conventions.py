"""Cog conventions (STYLE.md): thin surfaces, `setup` last, described parameters, server-only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from discord import app_commands

REPO = Path(__file__).resolve().parents[2]
COGS = sorted(p for p in (REPO / "cogs").glob("*.py") if p.name != "__init__.py")
# A cog converts input and calls one engine/runtime function: no SQL, HTTP or parsing libraries.
FORBIDDEN = {
    "sqlalchemy",
    "aiohttp",
    "requests",
    "httpx",
    "sqlite3",
    "json",
    "re",
    "lxml",
    "trafilatura",
    "feedparser",
}


@pytest.mark.parametrize("path", COGS, ids=lambda p: p.name)
def test_cog_is_thin_and_ends_with_setup(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & FORBIDDEN, f"{path.name} imports {imported & FORBIDDEN}"
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    assert defs and isinstance(defs[-1], ast.AsyncFunctionDef) and defs[-1].name == "setup"


def _commands(cog_module: str) -> list[app_commands.Command]:  # type: ignore[type-arg]
    import importlib

    module = importlib.import_module(cog_module)
    found: list[app_commands.Command] = []  # type: ignore[type-arg]
    for value in vars(module).values():
        if isinstance(value, type):
            for attr in vars(value).values():
                if isinstance(attr, app_commands.Command):
                    found.append(attr)
                elif isinstance(attr, app_commands.Group):
                    found.extend(c for c in attr.walk_commands() if isinstance(c, app_commands.Command))
    return found


@pytest.mark.parametrize("name", ["digest", "schedules", "stories", "compare", "quotes", "status"])
def test_every_parameter_is_described(name: str) -> None:
    commands = _commands(f"cogs.{name}")
    assert commands
    for cmd in commands:
        assert cmd.description and cmd.description != "…"
        for param in cmd.parameters:
            assert param.description and param.description != "…", f"/{cmd.qualified_name} {param.name}"
