"""Configuration: `config.toml` validated by pydantic; secrets only from the environment."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from bot.news import (
    ClusteringSettings,
    EngineSettings,
    FeedConfig,
    FeedSettings,
    IngestSettings,
    NetworkSettings,
)

DEFAULT_DB_FILE = "storydesk.sqlite3"
DEFAULT_CONFIG_FILE = "config.toml"


class ConfigError(Exception):
    """The configuration cannot be used; the message names the file and the bad key."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatabaseSettings(_Section):
    url: str = Field(DEFAULT_DB_FILE, description="a file path (SQLite) or a database URL")


class DropFolderSettings(_Section):
    path: str = Field("inbox", description="the watched drop folder")
    poll_seconds: float = Field(30.0, gt=0, description="how often the bot looks for new files")
    settle_seconds: float = Field(
        2.0, ge=0, le=3600, description="a file is read once nothing has written to it for this long"
    )


class DigestSettings(_Section):
    hours: float = Field(24.0, gt=0, description="default period of `digest`")
    max_stories: int = Field(8, ge=1, le=20)
    min_outlets: int = Field(1, ge=1)


class DiscordSettings(_Section):
    guild_ids: list[int] = Field(default_factory=list, description="sync commands to these servers instantly")
    api_base: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg"
    alert_channel_id: int | None = None
    digest_grace_minutes: float = Field(60.0, gt=0, description="post a missed digest on start within this")


class LoggingSettings(_Section):
    level: str = "INFO"


class Settings(_Section):
    """The whole configuration."""

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    drop_folder: DropFolderSettings = Field(default_factory=DropFolderSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    clustering: ClusteringSettings = Field(default_factory=ClusteringSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    network: NetworkSettings = Field(default_factory=NetworkSettings)
    feed: FeedSettings = Field(default_factory=FeedSettings)
    feeds: list[FeedConfig] = Field(default_factory=list)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)

    def engine(self) -> EngineSettings:
        """The engine's sections, as `NewsDesk.open` takes them (one model per concern, defined once
        in `bot.news.settings`; the file keeps its flat `[network]`, `[feed]`, `[[feeds]]` tables)."""
        return EngineSettings(
            clustering=self.clustering,
            ingest=self.ingest,
            network=self.network,
            feed=self.feed,
            feeds=self.feeds,
        )


def _explain(err: ValidationError, source: str) -> str:
    lines = [f"{source}: invalid configuration"]
    for e in err.errors():
        loc = [str(p) for p in e["loc"]]
        key = f"[{loc[0]}] " + ".".join(loc[1:]) if len(loc) > 1 else loc[0] if loc else "?"
        msg = "unknown key" if e["type"] == "extra_forbidden" else e["msg"]
        lines.append(f"  {key}: {msg}")
    return "\n".join(lines)


def load_settings(path: str | Path | None = None) -> Settings:
    """Read `path`, else ./config.toml if present, else built-in defaults."""
    data: dict[str, Any] = {}
    source = "built-in defaults"
    if path is None and Path(DEFAULT_CONFIG_FILE).is_file():
        path = DEFAULT_CONFIG_FILE
    if path is not None:
        source = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise ConfigError(f"{source}: no such config file") from e
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{source}: cannot read: {e}") from e
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{source}: not valid TOML: {e}") from e
    try:
        return Settings.model_validate(data)
    except ValidationError as e:
        raise ConfigError(_explain(e, source)) from e


def resolve_database_url(settings: Settings, cli_db: str | None = None) -> str:
    """--db beats STORYDESK_DB beats [database] url; a bare path means a SQLite file."""
    raw = cli_db or os.environ.get("STORYDESK_DB") or settings.database.url
    return to_database_url(raw)


def to_database_url(raw: str) -> str:
    """Turn a file path or URL into an async SQLAlchemy URL."""
    if "://" not in raw:
        return f"sqlite+aiosqlite:///{Path(raw).expanduser().resolve()}"
    scheme, rest = raw.split("://", 1)
    if scheme in ("sqlite", "sqlite3"):
        return f"sqlite+aiosqlite://{rest}"
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+asyncpg://{rest}"
    return raw


def discord_token() -> SecretStr | None:
    """The bot token, from the environment only (never from a file, never logged)."""
    value = os.environ.get("DISCORD_TOKEN", "").strip()
    return SecretStr(value) if value else None
