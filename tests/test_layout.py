"""The package layout holds: no import cycles between modules, type-checking imports included.

import-linter (run by .ci/run) checks the contracts between packages; this counts cycles module
by module, which those contracts do not.
"""

from __future__ import annotations

import grimp


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & set(modules)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if i < len(edges[node]):
                work.append((node, i + 1))
                nxt = edges[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def test_cycle_finder_sees_a_cycle(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pkg = tmp_path / "loop_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from loop_pkg import b\n"
    )
    (pkg / "b.py").write_text("from loop_pkg import a\n")
    (pkg / "c.py").write_text("from loop_pkg import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _cycles(grimp.build_graph("loop_pkg", cache_dir=None)) == [["loop_pkg.a", "loop_pkg.b"]]


def test_no_import_cycles() -> None:
    assert _cycles(grimp.build_graph("bot", "cogs", cache_dir=None)) == []


def test_the_engine_face_exports_what_it_names() -> None:
    import bot.news

    missing = [name for name in bot.news.__all__ if not hasattr(bot.news, name)]
    assert missing == []


def _imported_test_modules(source: str) -> list[str]:
    """Modules named test_* that a test file imports (tests share code through support modules)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found += [n for n in names if n.rsplit(".", 1)[-1].startswith("test_")]
    return found


def test_the_import_check_sees_a_test_module_import() -> None:
    assert _imported_test_modules("from tests.runtime.test_x import a\nimport test_y\n") == [
        "tests.runtime.test_x",
        "test_y",
    ]


def test_no_test_imports_another_test_module() -> None:
    from pathlib import Path

    tests = Path(__file__).parent
    offenders = {
        str(p.relative_to(tests)): mods
        for p in sorted(tests.rglob("*.py"))
        if (mods := _imported_test_modules(p.read_text(encoding="utf-8")))
    }
    assert offenders == {}
