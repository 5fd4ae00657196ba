"""Table definitions (SQLAlchemy Core) shared by the repositories in this package."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData()


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ref", Text, nullable=False, unique=True),
    Column("version", Integer, nullable=False, default=1),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("title", Text),
    Column("outlet", Text),
    Column("byline", Text, nullable=False, default="[]"),  # JSON list
    Column("published", UTCDateTime()),
    Column("url", Text),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("quotes", Text, nullable=False, default="[]"),  # JSON list of Quote
    Column("ingested_at", UTCDateTime(), nullable=False, index=True),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("story_id", Integer, index=True),
    Column("syndicated_of", Integer),
    Column("cluster_features", Text),
    # Where the article sits in time for its story: its date, or what an undated one took (v3).
    Column("story_time", UTCDateTime()),
    Column("guild_id", BigInteger, index=True),  # NULL: shared source
    Column("feed_id", Integer, index=True),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("headline", Text, nullable=False),
    Column("first_seen", UTCDateTime(), nullable=False),
    Column("last_updated", UTCDateTime(), nullable=False),
    Column("merged_into", Integer),
    Column("article_count", Integer, nullable=False, default=0),
    Column("outlet_count", Integer, nullable=False, default=0),
)

seen_files = Table(
    "seen_files",
    metadata,
    Column("path", Text, primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("seen_at", UTCDateTime(), nullable=False),
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", UTCDateTime(), nullable=False, index=True),
)

schedules = Table(
    "schedules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False, index=True),
    Column("channel_id", BigInteger, nullable=False),
    Column("cron", String(120), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("min_outlets", Integer, nullable=False, default=1),
    Column("keywords", Text, nullable=False, default="[]"),  # JSON list
    Column("mention_role_id", BigInteger),
    Column("created_by", BigInteger),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("paused_reason", Text),
    Column("last_fire_at", UTCDateTime()),
    Column("filters", Text),  # JSON StoryFilter: include/exclude words and outlets (v4; NULL: none)
    Column("target", String(16)),  # where stories go (v6): NULL channel | threads | forum
)

# One row per (schedule, fire time): the exactly-once ledger. A row in state 'posting' whose
# message never got recorded is re-checked against the channel on restart.
digest_ledger = Table(
    "digest_ledger",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("schedule_id", Integer, ForeignKey("schedules.id", ondelete="CASCADE"), nullable=False),
    Column("channel_id", BigInteger, nullable=False),
    Column("fire_time", UTCDateTime(), nullable=False),
    Column("state", String(16), nullable=False),  # due | claimed | posted | failed | skipped
    Column("nonce", String(32), nullable=False),
    Column("message_id", BigInteger),
    Column("story_ids", Text, nullable=False, default="{}"),  # JSON {story_id: article_count}
    Column("since", UTCDateTime()),
    Column("claimed_at", UTCDateTime(), nullable=False),
    Column("posted_at", UTCDateTime()),
    Column("error", Text),
    UniqueConstraint("schedule_id", "fire_time", name="uq_ledger_fire"),
)
# v8: sharded bot processes look for 'due' and 'claimed' rows every few seconds; the ledger keeps
# every fire ever posted, so that lookup must not read the whole table.
ledger_state_index = Index("ix_ledger_state", digest_ledger.c.state)

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False),
    Column("name", Text),
    Column("title", Text),  # the feed's own title, as last read
    Column("guild_id", BigInteger, index=True),  # NULL: from config / CLI, shared by every server
    Column("origin", String(16), nullable=False, default="cli"),  # config | cli | discord
    Column("added_by", BigInteger),
    Column("alert_channel_id", BigInteger),  # where a server hears that its feed is failing
    Column("interval", Float, nullable=False, default=900.0),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled_at", UTCDateTime()),
    Column("last_ok_at", UTCDateTime()),
    Column("next_poll_at", UTCDateTime()),
    Column("failures", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("failing", Boolean, nullable=False, default=False),
    Column("alerted", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime(), nullable=False),
    # A poll's lease (v7): the worker polling the feed now, and until when its claim holds.
    Column("claimed_by", Text),
    Column("claimed_until", UTCDateTime()),
    UniqueConstraint("url", "guild_id", name="uq_feed_url_guild"),
)

feed_entries = Table(
    "feed_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    Column("entry_key", Text, nullable=False),  # guid, else normalised link, else content hash
    Column("ref", Text, nullable=False),  # the article ref the entry is stored under
    Column("article_id", Integer, index=True),
    Column("content_hash", String(64)),  # fingerprint of the entry as the feed gave it
    Column("state", String(16), nullable=False),  # ok | pending | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("next_attempt_at", UTCDateTime()),  # pending entries: when to fetch the page again
    Column("payload", Text),  # pending entries: the entry as JSON, to retry without the feed
    Column("published", UTCDateTime()),
    Column("announce", Boolean, nullable=False, default=False),  # recent when first seen
    Column("first_seen", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("feed_id", "entry_key", name="uq_feed_entry"),
)
Index("ix_feed_entries_pending", feed_entries.c.state, feed_entries.c.next_attempt_at)

live_channels = Table(
    "live_channels",
    metadata,
    Column("guild_id", BigInteger, primary_key=True),
    Column("channel_id", BigInteger, nullable=False),
    Column("min_outlets", Integer, nullable=False, default=3),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("filters", Text),  # JSON StoryFilter (v4; NULL: none)
    Column("mention_role_id", BigInteger),  # a role pinged when a new card is posted (v4; opt-in)
    Column("target", String(16)),  # where cards go (v6): NULL channel | threads | forum
)

live_cards = Table(
    "live_cards",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("channel_id", BigInteger, nullable=False),
    Column("story_id", Integer, nullable=False),
    Column("message_id", BigInteger),
    Column("outlet_count", Integer, nullable=False, default=0),
    Column("state", String(16), nullable=False),  # claimed | posted | gone (message deleted)
    Column("nonce", String(32), nullable=False),  # sent with the post, found again after a crash
    Column("signature", String(64)),  # what the card shows; edited only when it changes
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("guild_id", "story_id", name="uq_live_card"),
)

# What each channel last saw of each story (v4): a digest channel's delta digests and a live
# channel's figure watch compare against it. `kind` keeps the two apart when they share a channel.
channel_seen = Table(
    "channel_seen",
    metadata,
    Column("channel_id", BigInteger, primary_key=True),
    Column("kind", String(16), primary_key=True),  # digest | live
    Column("story_id", Integer, primary_key=True),
    Column("article_count", Integer, nullable=False, default=0),
    Column("state", Text, nullable=False, default="{}"),  # JSON: the story as the channel saw it
    Column("seen_at", UTCDateTime(), nullable=False),
)

Index("ix_articles_story_ingested", articles.c.story_id, articles.c.ingested_at)
# A merge re-points the stories merged into the absorbed one (`merged_into = :absorbed`, under the
# writer lock): without it, a scan of every story record per merge or retirement (v10).
stories_merged_index = Index("ix_stories_merged_into", stories.c.merged_into)
# Finds the copy of an article a server sees twice (its own feed and a shared one) by URL. A hash
# index on PostgreSQL: a btree entry cannot hold a URL longer than about 2,700 bytes.
articles_url_index = Index("ix_articles_url", articles.c.url, postgresql_using="hash")

# Who said it (v4): one row per word of each quote's speaker, so `said NAME` finds the articles
# quoting a person by an index lookup instead of reading every article's quotes.
quote_speakers = Table(
    "quote_speakers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token", String(64), nullable=False),  # one casefolded word of the speaker's name
    Column("speaker", Text, nullable=False),  # the name as the article gives it
    Column("article_id", Integer, nullable=False, index=True),
    Column("at", UTCDateTime(), nullable=False),  # the article's date, else its arrival
)
Index("ix_quote_speakers_token_at", quote_speakers.c.token, quote_speakers.c.at)

# Story -> thread per channel (v6): a forum post, or a thread started from the story's first
# message in a text channel. Later updates of the story in that channel go into the thread.
story_threads = Table(
    "story_threads",
    metadata,
    Column("channel_id", BigInteger, primary_key=True),  # the forum or text channel
    Column("story_id", Integer, primary_key=True),
    Column("thread_id", BigInteger, nullable=False),
    Column("starter_id", BigInteger),  # the message the thread starts with (or from)
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# The story index's change log (v9): one row per placement, written in the placement's
# transaction, so a process that clusters can catch up with what other processes placed since it
# last looked (`WHERE seq > :last`) instead of rebuilding its whole index. Every row is written
# under the writer lock, so rows commit in `seq` order and a reader never skips one committed late.
story_log = Table(
    "story_log",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("article_id", Integer, nullable=False),  # the article placed
    Column("story_id", Integer, nullable=False),  # the story it went to
    # place: the article joined a story or started one, nothing else changed | regroup: the
    # placement also merged, moved, retired or redated (a catching-up process rebuilds)
    Column("kind", String(16), nullable=False),
    Column("writer", String(32), nullable=False),  # the keeper that wrote it (skips its own rows)
    # regroup rows (v10): every story whose articles the placement changed, space-separated ids
    # (the stories moved, merged or retired into and out of, and those of redated articles), so a
    # catching-up process reads only those stories' articles, not every placed one. NULL on place
    # rows (the article and `story_id` say it all) and on regroup rows written before v10.
    Column("stories", Text),
)
