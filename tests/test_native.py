"""The compiled engine (setup.py, mypyc) against its Python, and the guard against a stale build."""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.machinery
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot import _native
from bot.news.text import lower

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"


def _identity(pure: bool) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != _native.PURE_ENV}
    if pure:
        env[_native.PURE_ENV] = "1"
    script = REPO / "tests" / "native_identity.py"
    done = subprocess.run(
        [sys.executable, str(script), str(DATA)], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


def test_the_compiled_engine_computes_what_its_python_does() -> None:
    """Quotes, features and stories of 529 articles, byte for byte, compiled and not."""
    built = _identity(pure=False)
    python = _identity(pure=True)
    assert built["articles"] == python["articles"] == 529
    assert built["sha256"] == python["sha256"]
    assert str(python["mode"]).startswith("python")
    # Whatever this install is (compiled, or Python for want of a compiler), the run says so.
    assert str(built["mode"]) == _native.MODE


def _fake_build(root: Path, source: str = "VALUE = 'python'\n") -> Path:
    """A package `fakepkg` with one module `hot`, a compiled file beside it and a manifest."""
    pkg = root / "fakepkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "hot.py").write_text(source)
    # Not a loadable extension: importing it fails, so a test sees which file was imported.
    (pkg / f"hot{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"not an ELF file")
    manifest = root / "manifest.json"
    digest = hashlib.sha256(source.encode()).hexdigest()
    manifest.write_text(json.dumps({"modules": {"fakepkg.hot": digest}}))
    return manifest


def test_an_up_to_date_build_runs_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_native.PURE_ENV, raising=False)
    manifest = _fake_build(tmp_path)
    assert _native.choose(tmp_path, manifest) == ("compiled (1 modules)", {})


def test_a_source_edited_after_the_build_runs_as_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(_native.PURE_ENV, raising=False)
    manifest = _fake_build(tmp_path)
    (tmp_path / "fakepkg" / "hot.py").write_text("VALUE = 'edited'\n")
    mode, sources = _native.choose(tmp_path, manifest)
    assert mode == "python: sources changed since the build (fakepkg.hot)"
    assert sources == {"fakepkg.hot": tmp_path / "fakepkg" / "hot.py"}
    # The sources-first finder really imports the edited source, not the compiled file beside it.
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "meta_path", [_native._SourcesFirst(sources), *sys.meta_path])
    for name in ("fakepkg", "fakepkg.hot"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    assert importlib.import_module("fakepkg.hot").VALUE == "edited"


def test_the_environment_asks_for_python_and_a_missing_build_is_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = _fake_build(tmp_path)
    monkeypatch.setenv(_native.PURE_ENV, "1")
    mode, sources = _native.choose(tmp_path, manifest)
    assert mode.startswith("python: STORYDESK_PURE_PYTHON") and list(sources) == ["fakepkg.hot"]
    monkeypatch.delenv(_native.PURE_ENV)
    (tmp_path / "fakepkg" / f"hot{importlib.machinery.EXTENSION_SUFFIXES[0]}").unlink()
    assert _native.choose(tmp_path, manifest) == ("python", {})  # the C build failed or was skipped
    manifest.write_text("{not json")
    assert _native.choose(tmp_path, manifest) == ("python", {})


def test_the_version_line_names_the_engine() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--version"], capture_output=True, text=True, check=True, cwd=REPO
    )
    # argparse wraps a long line (a stale build names its changed modules)
    assert done.stdout.split() == f"storydesk 0.1.0, engine {_native.MODE}".split()


def _hot_modules() -> list[Path]:
    setup = (REPO / "setup.py").read_text(encoding="utf-8")
    return [REPO / rel for rel in re.findall(r'^\s*"(bot/[\w/]+\.py)",$', setup, re.M)]


def test_compiled_modules_lower_case_as_python_does() -> None:
    """mypyc's own `s.lower()` (Python < 3.13) misses the final-sigma rule: the compiled modules
    lower-case through `bot.news.text.lower` (or `str.lower` as a function), never `s.lower()`."""
    hot = _hot_modules()
    assert len(hot) >= 20 and all(path.exists() for path in hot)
    calls = []
    for path in hot:
        if path.name == "_case.py":
            continue  # `lower` itself, which takes the primitive only where it is right
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = node.func.value
                if node.func.attr == "lower" and not (
                    isinstance(receiver, ast.Name) and receiver.id == "str"
                ):
                    calls.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert calls == []
    for word in ("ΟΔΟΣ", "ΣΟΦΙΑ ΚΑΙ ΝΙΚΟΣ.", "İstanbul", "STRAẞE", "Said", ""):
        assert lower(word) == str.lower(word)
