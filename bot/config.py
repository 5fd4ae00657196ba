"""Configuration: `config.toml` validated by pydantic; secrets only from the environment."""

from __future__ import annotations

import importlib.util
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    PrivateAttr,
    SecretStr,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.news import (
    ClusteringSettings,
    DatabaseError,
    EngineSettings,
    FeedConfig,
    FeedSettings,
    IngestSettings,
    NetworkSettings,
)

DEFAULT_DB_FILE = "storydesk.sqlite3"
DEFAULT_CONFIG_FILE = "config.toml"
# The longest digest period anyone means (100 years); more overflows date arithmetic.
MAX_HOURS = 876_000.0
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# URL schemes Storydesk can open, and the extra each needs ("pip install -e '.[postgres]'").
_SCHEMES = {"sqlite": None, "sqlite3": None, "postgres": "asyncpg", "postgresql": "asyncpg"}


class ConfigError(Exception):
    """The configuration cannot be used; the message names the file and the bad key."""


class _Section(BaseModel):
    # Unknown keys are errors; `inf` and `nan` (valid TOML floats) are no period or delay.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class DatabaseSettings(_Section):
    url: str = Field(DEFAULT_DB_FILE, description="a file path (SQLite) or a database URL")


class DropFolderSettings(_Section):
    path: str = Field("inbox", description="the watched drop folder")
    poll_seconds: float = Field(30.0, gt=0, description="how often the bot looks for new files")
    settle_seconds: float = Field(
        2.0, ge=0, le=3600, description="a file is read once nothing has written to it for this long"
    )


class DigestSettings(_Section):
    hours: float = Field(24.0, gt=0, le=MAX_HOURS, description="default period of `digest`")
    max_stories: int = Field(8, ge=1, le=20)
    min_outlets: int = Field(1, ge=1)


class DiscordSettings(_Section):
    guild_ids: list[PositiveInt] = Field(
        default_factory=list, description="sync commands to these servers instantly"
    )
    api_base: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg"
    alert_channel_id: PositiveInt | None = None
    digest_grace_minutes: float = Field(60.0, gt=0, description="post a missed digest on start within this")
    # Sharding across processes (see README, "Deployment with many processes"). Unset: one
    # process runs the whole bot, as a single gateway session, and is its own scheduler leader.
    shard_count: PositiveInt | None = Field(None, description="gateway shards of the whole bot")
    shard_ids: list[NonNegativeInt] | None = Field(
        None, description="the shards this process runs (default: all of them)"
    )
    coordination_seconds: float = Field(
        5.0, gt=0, le=300, description="how often a sharded process checks leadership and due digests"
    )
    # A due digest its shard's process has not taken this long after the leader recorded it (the
    # process is down, and no supervisor restarted it yet) is posted by the leader instead: any
    # process can post anywhere over REST, and the ledger's atomic take keeps it once.
    handover_seconds: float = Field(
        60.0, gt=0, le=3600, description="the leader posts a digest its shard's process left due this long"
    )

    @model_validator(mode="after")
    def _shards_fit(self) -> DiscordSettings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("shard_ids needs shard_count (the number of shards of the whole bot)")
            if not self.shard_ids or len(set(self.shard_ids)) != len(self.shard_ids):
                raise ValueError("shard_ids must list each shard once, and at least one")
            bad = [i for i in self.shard_ids if i >= self.shard_count]
            if bad:
                raise ValueError(f"shard_ids {bad} are not below shard_count {self.shard_count}")
        return self


class LoggingSettings(_Section):
    level: str = "INFO"

    @field_validator("level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        # Checked here: logging.setLevel("LOUD") would fail only once the bot starts.
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
        return level


class HealthSettings(_Section):
    """The opt-in health and metrics endpoint of `storydesk run` (`/healthz`, `/metrics`)."""

    enabled: StrictBool = Field(False, description="serve /healthz and /metrics while the bot runs")
    host: str = Field("127.0.0.1", min_length=1, description="address to listen on (keep it local)")
    port: int = Field(9108, ge=1, le=65535, description="TCP port to listen on")


class WorkerSettings(_Section):
    """`storydesk work` processes (`[workers]`): each polls due feeds and ingests them; several may
    run against one PostgreSQL database, each claiming the feeds it polls for a lease."""

    id: str = Field("", max_length=100, description="this worker's name in feed claims (default: host:pid)")
    lease_seconds: float = Field(
        300.0, ge=5, le=86400, description="a dead worker's feeds go to another after this long"
    )
    batch_size: int = Field(50, ge=1, le=10000, description="feeds claimed at once by one worker")
    idle_seconds: float = Field(30.0, gt=0, le=3600, description="longest wait between looks for due feeds")
    stop_grace_seconds: float = Field(
        20.0, ge=0, le=3600, description="on SIGTERM, time to finish the feeds in hand before releasing them"
    )
    poll_in_bot: StrictBool = Field(
        True, description="the bot polls feeds too; false when `storydesk work` processes do it"
    )


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
    health: HealthSettings = Field(default_factory=HealthSettings)
    workers: WorkerSettings = Field(default_factory=WorkerSettings)
    # The folder of the config file the settings were read from: relative paths in it resolve
    # against this folder (None: built-in defaults, relative to the working directory).
    _config_dir: Path | None = PrivateAttr(None)

    def __eq__(self, other: object) -> bool:
        # Two configurations are equal when they say the same, wherever they were read from.
        if not isinstance(other, Settings):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]

    @property
    def config_dir(self) -> Path | None:
        """The folder of the config file these settings came from (None: built-in defaults)."""
        return self._config_dir

    def resolve_path(self, value: str) -> Path:
        """A path from the config file: `~` expanded, relative ones against the config file's folder."""
        path = Path(value).expanduser()
        if path.is_absolute() or self._config_dir is None:
            return path
        return self._config_dir / path

    def drop_folder_path(self) -> Path:
        """The drop folder, resolved against the config file's folder."""
        return self.resolve_path(self.drop_folder.path)

    def resolved_drop_folder(self) -> DropFolderSettings:
        """`[drop_folder]` with its path resolved (what the watcher is given)."""
        return self.drop_folder.model_copy(update={"path": str(self.drop_folder_path())})

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
        settings = Settings.model_validate(data)
    except ValidationError as e:
        raise ConfigError(_explain(e, source)) from e
    if path is not None:
        settings._config_dir = Path(path).expanduser().resolve().parent
    return settings


def resolve_database_url(settings: Settings, cli_db: str | None = None) -> str:
    """--db beats STORYDESK_DB beats [database] url; a bare path means a SQLite file.

    A path from --db or STORYDESK_DB is relative to the working directory, one from the config
    file relative to the config file's folder."""
    raw = cli_db or os.environ.get("STORYDESK_DB")
    if not raw:
        raw = settings.database.url
        if "://" not in raw:
            raw = str(settings.resolve_path(raw))
    return to_database_url(raw)


def with_shard_environment(settings: Settings, env: Mapping[str, str] | None = None) -> Settings:
    """STORYDESK_SHARD_COUNT and STORYDESK_SHARD_IDS ("0,2") beat [discord] shard_count/shard_ids.

    One config file for every process: a Procfile role (or a unit instance) names its shards in
    its environment. ConfigError for values that cannot work."""
    env = os.environ if env is None else env
    update: dict[str, Any] = {}
    try:
        if env.get("STORYDESK_SHARD_COUNT", "").strip():
            update["shard_count"] = int(env["STORYDESK_SHARD_COUNT"])
        if env.get("STORYDESK_SHARD_IDS", "").strip():
            update["shard_ids"] = [int(x) for x in env["STORYDESK_SHARD_IDS"].split(",") if x.strip()]
    except ValueError:
        raise ConfigError(
            "STORYDESK_SHARD_COUNT and STORYDESK_SHARD_IDS take numbers (e.g. 4 and 0,2)"
        ) from None
    if not update:
        return settings
    try:
        cfg = DiscordSettings.model_validate(settings.discord.model_dump() | update)
    except ValidationError as e:
        raise ConfigError(_explain(e, "STORYDESK_SHARD_COUNT / STORYDESK_SHARD_IDS")) from None
    return settings.model_copy(update={"discord": cfg})


def to_database_url(raw: str) -> str:
    """Turn a file path or URL into an async SQLAlchemy URL; DatabaseError for one that cannot work."""
    if "://" not in raw:
        return f"sqlite+aiosqlite:///{Path(raw).expanduser().resolve()}"
    scheme, rest = raw.split("://", 1)
    base = scheme.split("+", 1)[0].lower()
    if base not in _SCHEMES:
        raise DatabaseError(
            f"cannot open database: unsupported URL scheme {scheme!r}; "
            "use a file path (SQLite) or a postgresql:// URL"
        )
    if base in ("sqlite", "sqlite3"):
        return f"sqlite+aiosqlite://{rest}"
    try:
        urlsplit(raw).port  # noqa: B018 (raises for a port that is not a number from 0 to 65535)
    except ValueError as e:
        raise DatabaseError(f"cannot open database: bad port in the database URL ({e})") from None
    driver = _SCHEMES[base]
    if driver and importlib.util.find_spec(driver) is None:
        raise DatabaseError(
            f"cannot open database: PostgreSQL needs the {driver} driver; "
            "install it with: pip install -e '.[postgres]' (or pip install 'storydesk[postgres]')"
        )
    return f"postgresql+asyncpg://{rest}"


def private_address_warning(settings: Settings) -> str | None:
    """The warning to log when `[network] allow_private_addresses` is on (None when it is off)."""
    if not settings.network.allow_private_addresses:
        return None
    return (
        "[network] allow_private_addresses = true: feeds and pages may reach private and loopback "
        "addresses, so anyone who may add a feed (/feeds add) can reach this host's own services"
    )


def discord_token() -> SecretStr | None:
    """The bot token, from the environment only (never from a file, never logged)."""
    value = os.environ.get("DISCORD_TOKEN", "").strip()
    return SecretStr(value) if value else None
