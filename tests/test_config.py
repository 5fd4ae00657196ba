"""Configuration: defaults, the example file, clear errors, and where the database lives."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings, resolve_database_url, to_database_url
from tests.paths import REPO


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    assert s.database.url == "storydesk.sqlite3"
    assert s.discord.api_base == "https://discord.com/api/v10"
    assert s.network.allow_private_addresses is False


def test_example_file_is_valid_and_documents_every_key() -> None:
    example = REPO / "config.example.toml"
    s = load_settings(example)
    assert s == Settings.model_validate(tomllib.loads(example.read_text()))
    text = example.read_text()
    # Every key of every section appears in the example (commented out or set).
    for section, model in Settings.model_fields.items():
        sub = model.annotation
        fields = getattr(sub, "model_fields", None)
        if fields is None:
            continue
        assert re.search(rf"^#?\s*\[{section}\]", text, re.M), f"section [{section}] undocumented"
        for key in fields:
            assert re.search(rf"^#?\s*{key}\s*=", text, re.M), f"[{section}] {key} undocumented"


def test_bad_key_is_named(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[discord]\nguild_ids = 'abc'\n[digest]\nhourz = 3\n")
    with pytest.raises(ConfigError) as e:
        load_settings(cfg)
    msg = str(e.value)
    assert "[discord] guild_ids" in msg
    assert "[digest] hourz: unknown key" in msg
    assert str(cfg) in msg


def test_broken_toml_and_missing_file(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[database\nurl=")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(cfg)
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "nope.toml")


def test_database_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[database]\nurl = "from-config.db"\n')
    s = load_settings(cfg)
    monkeypatch.delenv("STORYDESK_DB", raising=False)
    assert resolve_database_url(s).endswith("/from-config.db")
    monkeypatch.setenv("STORYDESK_DB", str(tmp_path / "from-env.db"))
    assert resolve_database_url(s).endswith("/from-env.db")
    assert resolve_database_url(s, "cli.db").endswith("/cli.db")
    assert resolve_database_url(s, "postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"


def test_url_forms() -> None:
    assert to_database_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    assert to_database_url("postgres://a@b/c") == "postgresql+asyncpg://a@b/c"
    assert to_database_url("x.db").startswith("sqlite+aiosqlite:////")


def test_token_only_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bot.config import discord_token

    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert discord_token() is None
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def")
    tok = discord_token()
    assert tok is not None and tok.get_secret_value() == "abc.def"
    assert "abc.def" not in repr(tok) and "abc.def" not in str(tok)
    cfg = tmp_path / "c.toml"
    cfg.write_text('[discord]\ntoken = "nope"\n')
    with pytest.raises(ConfigError, match="token: unknown key"):
        load_settings(cfg)
