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


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[logging]\nlevel = "LOUD"\n', "[logging] level"),
        ("[digest]\nhours = inf\n", "[digest] hours"),
        ("[digest]\nhours = nan\n", "[digest] hours"),
        ("[digest]\nhours = 1e308\n", "[digest] hours"),
        ("[drop_folder]\npoll_seconds = inf\n", "[drop_folder] poll_seconds"),
        ("[clustering]\nwindow_hours = inf\n", "[clustering] window_hours"),
        ('[ingest]\nrejected_dir = ""\n', "[ingest] rejected_dir"),
        ('[ingest]\nrejected_dir = "."\n', "[ingest] rejected_dir"),
        ('[ingest]\nrejected_dir = "../outside"\n', "[ingest] rejected_dir"),
        ('[ingest]\nrejected_dir = "a/b"\n', "[ingest] rejected_dir"),
        ("[discord]\nguild_ids = [-5]\n", "[discord] guild_ids"),
        ("[discord]\nalert_channel_id = 0\n", "[discord] alert_channel_id"),
        ('[network]\nallow_private_addresses = "yes"\n', "[network] allow_private_addresses"),
        ("[network]\nallow_private_addresses = 1\n", "[network] allow_private_addresses"),
        ('[health]\nenabled = "true"\n', "[health] enabled"),
        ("[health]\nport = 70000\n", "[health] port"),
    ],
)
def test_config_that_would_fail_later_is_refused_up_front(tmp_path: Path, toml: str, key: str) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(toml)
    with pytest.raises(ConfigError) as e:
        load_settings(cfg)
    assert key in str(e.value)


def test_good_values_stay_accepted(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[logging]\nlevel = "debug"\n[ingest]\nrejected_dir = "set-aside"\n'
        "[discord]\nguild_ids = [123]\n[network]\nallow_private_addresses = true\n"
    )
    s = load_settings(cfg)
    assert s.logging.level == "DEBUG" and s.ingest.rejected_dir == "set-aside"
    assert s.network.allow_private_addresses is True and s.health.enabled is False


def test_relative_paths_resolve_against_the_config_files_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "etc" / "storydesk"
    home.mkdir(parents=True)
    cfg = home / "config.toml"
    cfg.write_text('[database]\nurl = "news.sqlite3"\n[drop_folder]\npath = "drop"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("STORYDESK_DB", raising=False)
    s = load_settings(cfg)
    assert resolve_database_url(s) == f"sqlite+aiosqlite:///{home.resolve() / 'news.sqlite3'}"
    assert s.drop_folder_path() == home.resolve() / "drop"
    assert s.resolved_drop_folder().path == str(home.resolve() / "drop")
    # What the command line names is relative to where it runs.
    assert (
        resolve_database_url(s, "cli.sqlite3") == f"sqlite+aiosqlite:///{elsewhere.resolve() / 'cli.sqlite3'}"
    )
    # Absolute paths and built-in defaults are left as they are.
    cfg.write_text(f'[drop_folder]\npath = "{tmp_path / "abs"}"\n')
    assert load_settings(cfg).drop_folder_path() == tmp_path / "abs"
    assert load_settings().drop_folder_path() == Path("inbox")
