"""Opening the database and applying migrations at start-up."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Column, event, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.news.errors import DatabaseError
from bot.news.store._schema import (
    articles,
    articles_url_index,
    channel_seen,
    feeds,
    ledger_state_index,
    live_channels,
    meta,
    metadata,
    quote_speakers,
    schedules,
    stories_merged_index,
    story_log,
    story_threads,
)
from bot.news.store._speaker_index import backfill_speakers

log = logging.getLogger(__name__)


def _v1_initial(conn: Connection) -> None:
    metadata.create_all(conn)


def _v2_article_url_index(conn: Connection) -> None:
    # A database created at v1 after the index joined the schema already has it.
    articles_url_index.create(conn, checkfirst=True)


def _v3_article_story_time(conn: Connection) -> None:
    # A database created at v1 after the column joined the schema already has it.
    columns = {c["name"] for c in inspect(conn).get_columns("articles")}
    if "story_time" not in columns:
        kind = articles.c.story_time.type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE articles ADD COLUMN story_time {kind}"))


def _add_column(conn: Connection, table: str, column: Column[Any]) -> None:
    if column.name not in {c["name"] for c in inspect(conn).get_columns(table)}:
        kind = column.type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column.name} {kind}"))


def _v4_filters_pings_speakers(conn: Connection) -> None:
    # Filters on schedules and live boards, role pings on live cards, the speaker index of `said`.
    _add_column(conn, "schedules", schedules.c.filters)
    _add_column(conn, "live_channels", live_channels.c.filters)
    _add_column(conn, "live_channels", live_channels.c.mention_role_id)
    quote_speakers.create(conn, checkfirst=True)
    for index in quote_speakers.indexes:
        index.create(conn, checkfirst=True)
    conn.execute(quote_speakers.delete())  # a database created at v1 with the table: fill it once
    backfill_speakers(conn)


def _v5_channel_seen(conn: Connection) -> None:
    # A database created at v1 after the table joined the schema already has it.
    channel_seen.create(conn, checkfirst=True)


def _v6_story_threads(conn: Connection) -> None:
    # Threads and forum channels: where a schedule's or live board's stories go, and each story's
    # thread per channel. A database created at v1 after these joined the schema already has them.
    _add_column(conn, "schedules", schedules.c.target)
    _add_column(conn, "live_channels", live_channels.c.target)
    story_threads.create(conn, checkfirst=True)


def _v7_feed_claims(conn: Connection) -> None:
    # Feed workers claim a feed before polling it (FOR UPDATE SKIP LOCKED on PostgreSQL): who
    # holds it and until when, so a crashed worker's feeds are picked up once its lease ends.
    _add_column(conn, "feeds", feeds.c.claimed_by)
    _add_column(conn, "feeds", feeds.c.claimed_until)


def _v8_ledger_state_index(conn: Connection) -> None:
    # A database created at v1 after the index joined the schema already has it.
    ledger_state_index.create(conn, checkfirst=True)


def _v9_story_log(conn: Connection) -> None:
    # The story index's change log: processes that cluster catch up from it (stories/_catchup.py).
    # A database created at v1 after the table joined the schema already has it.
    story_log.create(conn, checkfirst=True)


def _v10_story_log_stories(conn: Connection) -> None:
    # Regroup rows name the stories they changed, so a catch-up reads those stories' articles
    # instead of every placed one (stories/_catchup.py); merges find re-pointed records by index.
    _add_column(conn, "story_log", story_log.c.stories)
    stories_merged_index.create(conn, checkfirst=True)


# Append new migrations; never edit one that has shipped. Each runs in one transaction.
MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _v1_initial),
    (2, _v2_article_url_index),
    (3, _v3_article_story_time),
    (4, _v4_filters_pings_speakers),
    (5, _v5_channel_seen),
    (6, _v6_story_threads),
    (7, _v7_feed_claims),
    (8, _v8_ledger_state_index),
    (9, _v9_story_log),
    (10, _v10_story_log_stories),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def _current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, "meta"):
        return 0
    row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
    return int(row[0]) if row else 0


def _migrate(conn: Connection) -> int:
    version = _current_version(conn)
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"the database has schema version {version}, newer than this Storydesk knows ({SCHEMA_VERSION})"
        )
    for target, step in MIGRATIONS:
        if target > version:
            log.info("migrating database schema %d -> %d", version, target)
            step(conn)
            _set_meta(conn, "schema_version", str(target))
            version = target
    return version


def _set_meta(conn: Connection, key: str, value: str) -> None:
    found = conn.execute(select(meta.c.key).where(meta.c.key == key)).first()
    if found:
        conn.execute(meta.update().where(meta.c.key == key).values(value=value))
    else:
        conn.execute(meta.insert().values(key=key, value=value))


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


async def open_engine(url: str) -> AsyncEngine:
    """Create the engine, check the database opens, and bring its schema up to date."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:" and not Path(path).parent.is_dir():
            raise DatabaseError(f"cannot open database {path}: folder does not exist")
    engine = create_async_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    try:
        # Several processes may open a new database at once (the bot and a CLI run, or PostgreSQL
        # workers starting together): one migrates, the others wait and then find it done.
        async with _sqlite_file_lock(url, "lock"), engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            await conn.run_sync(_migrate)
    except DatabaseError:
        await engine.dispose()
        raise
    except (SQLAlchemyError, OSError) as e:
        await engine.dispose()
        raise DatabaseError(f"cannot open database: {e.__class__.__name__}: {_safe(e)}") from e
    return engine


_MIGRATION_LOCK = 0x53746F7279  # PostgreSQL advisory lock keys ("Story", "StorW")
_WRITER_LOCK = 0x53746F7257
_LOCK_POLL = 0.05  # seconds between tries for a SQLite lock file


@asynccontextmanager
async def _sqlite_file_lock(url: str, suffix: str) -> AsyncIterator[None]:
    """An exclusive lock on `<database>.<suffix>` for a SQLite file (a no-op for anything else)."""
    path = url.split(":///", 1)[-1] if url.startswith("sqlite") else ""
    if not path or path == ":memory:":
        yield
        return
    with open(f"{path}.{suffix}", "a+b") as f:
        # Polled, not a blocking call in a thread: a cancelled wait must not leave a thread that
        # takes the lock later on a descriptor already closed.
        while not _try_lock(f):
            await asyncio.sleep(_LOCK_POLL)
        try:
            yield
        finally:
            _unlock(f)


# A portable lock on an open file: fcntl.flock on POSIX, msvcrt.locking (of the first byte) on
# Windows. Imported where used, so this module imports on both.
if sys.platform == "win32":

    def _try_lock(f: IO[bytes]) -> bool:
        import msvcrt

        f.seek(0)
        try:
            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(f: IO[bytes]) -> None:
        import msvcrt

        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)

else:

    def _try_lock(f: IO[bytes]) -> bool:
        import fcntl

        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(f: IO[bytes]) -> None:
        import fcntl

        fcntl.flock(f.fileno(), fcntl.LOCK_UN)


@asynccontextmanager
async def writer_lock(engine: AsyncEngine) -> AsyncIterator[None]:
    """One clustering writer at a time across processes (the bot, CLI runs, PostgreSQL workers).

    Story ids are handed out and articles placed from each process's own index: two writers at
    once would each miss the other's articles and hand out the same new story id for different
    events. Held for one ingest batch; readers never wait for it.
    """
    if engine.dialect.name == "postgresql":
        async with engine.connect() as conn:
            await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _WRITER_LOCK})
            await conn.commit()
            try:
                yield
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _WRITER_LOCK})
                await conn.commit()
        return
    async with _sqlite_file_lock(engine.url.render_as_string(hide_password=False), "ingest.lock"):
        yield


def _safe(e: BaseException) -> str:
    # SQLAlchemy messages can carry the URL with a password; keep the first line only.
    return str(e).splitlines()[0][:300]


async def schema_version(engine: AsyncEngine) -> int:
    """The schema version recorded in the database."""
    async with engine.connect() as conn:
        return await conn.run_sync(_current_version)


@asynccontextmanager
async def within(engine: AsyncEngine, conn: AsyncConnection | None) -> AsyncIterator[AsyncConnection]:
    """`conn` when the caller already holds a transaction, else a new one on `engine`."""
    if conn is not None:
        yield conn
    else:
        async with engine.begin() as new:
            yield new
