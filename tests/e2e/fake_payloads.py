"""Payload builders for the fake Discord: users, members, roles, channels, guild, messages.

Shapes follow Discord's v10 API closely enough for discord.py 2.7 to parse them into real
objects (Guild, TextChannel, Role, Member, Message). Adapted from ../shared/reference/fake-discord.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count(1)

# Permission bits (Discord's numbering).
MANAGE_GUILD = 1 << 5
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
VIEW_CHANNEL = 1 << 10
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
# What an ordinary member has in the reference fake (no Manage Server, no Administrator).
MEMBER_PERMS = 2248473465835073
ADMIN_PERMS = MEMBER_PERMS | MANAGE_GUILD


def snowflake() -> str:
    """A time-based snowflake, so created_at/expires_at of interactions look current."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return str((ms << 22) | (next(_counter) & 0x3FFFFF))


def guild_on_shard(shard: int, shard_count: int) -> str:
    """A fresh guild id that Discord's formula, (id >> 22) % count, puts on `shard`."""
    raw = int(snowflake())
    ms = (raw >> 22) - ((raw >> 22) - shard) % shard_count
    return str((ms << 22) | (raw & 0x3FFFFF))


def iso_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime())


@dataclass
class FakeUser:
    """A human in the fake guild."""

    name: str
    permissions: int
    id: str = field(default_factory=snowflake)

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.name,
            "discriminator": "0",
            "global_name": self.name.title(),
            "avatar": None,
            "public_flags": 0,
        }


@dataclass
class FakeChannel:
    """A text channel (type 0) or a forum (type 15); `forbidden` makes every post to it answer
    403 Missing Permissions."""

    name: str
    guild_id: str
    position: int = 0
    id: str = field(default_factory=snowflake)
    forbidden: bool = False
    overwrites: list[dict[str, Any]] = field(default_factory=list)
    type: int = 0
    flags: int = 0  # forum: 16 is REQUIRE_TAG

    def payload(self) -> dict[str, Any]:
        if self.type == 15:  # Discord's forum channel object (types/channel.py ForumChannel)
            return {
                "id": self.id,
                "type": 15,
                "guild_id": self.guild_id,
                "name": self.name,
                "position": self.position,
                "permission_overwrites": self.overwrites,
                "nsfw": False,
                "parent_id": None,
                "topic": None,
                "rate_limit_per_user": 0,
                "last_message_id": None,
                "flags": self.flags,
                "available_tags": [],
                "default_reaction_emoji": None,
                "default_sort_order": None,
                "default_forum_layout": 0,
                "default_thread_rate_limit_per_user": 0,
                "default_auto_archive_duration": 1440,
            }
        return {
            "id": self.id,
            "type": 0,
            "guild_id": self.guild_id,
            "name": self.name,
            "position": self.position,
            "permission_overwrites": self.overwrites,
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "rate_limit_per_user": 0,
            "last_message_id": None,
        }


def bot_user(bot_id: str) -> dict[str, Any]:
    return {
        "id": bot_id,
        "username": "Storydesk",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
        "bot": True,
        "flags": 0,
        "verified": True,
        "mfa_enabled": False,
    }


def member(
    user: dict[str, Any], permissions: int | None = None, roles: list[str] | None = None
) -> dict[str, Any]:
    m: dict[str, Any] = {
        "user": user,
        "roles": roles or [],
        "joined_at": iso_now(),
        "deaf": False,
        "mute": False,
        "flags": 0,
    }
    if permissions is not None:
        m["permissions"] = str(permissions)
    return m


def role(
    role_id: str, name: str, permissions: int, position: int, mentionable: bool = False
) -> dict[str, Any]:
    return {
        "id": role_id,
        "name": name,
        "permissions": str(permissions),
        "position": position,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": mentionable,
        "flags": 0,
    }


def application(app_id: str, owner: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": app_id,
        "name": "Storydesk",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "00" * 32,
        "owner": owner,
        "flags": 0,
        "team": None,
        "interactions_endpoint_url": None,
    }


def guild(
    guild_id: str,
    owner_id: str,
    roles: list[dict[str, Any]],
    channels: list[dict[str, Any]],
    members: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "id": guild_id,
        "name": "Test Guild",
        "icon": None,
        "owner_id": owner_id,
        "unavailable": False,
        "member_count": len(members),
        "large": False,
        "features": [],
        "roles": roles,
        "emojis": [],
        "stickers": [],
        "channels": channels,
        "threads": [],
        "members": members,
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "system_channel_id": None,
        "joined_at": iso_now(),
    }


def message(
    channel_id: str,
    guild_id: str,
    body: dict[str, Any],
    author: dict[str, Any],
    *,
    webhook_id: str | None = None,
    app_id: str | None = None,
    interaction_type: int | None = None,
) -> dict[str, Any]:
    msg: dict[str, Any] = {
        "id": snowflake(),
        "channel_id": channel_id,
        "guild_id": guild_id,
        "type": 0 if interaction_type is None else 20,
        "content": body.get("content") or "",
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "attachments": [
            {"id": snowflake(), "filename": a.get("filename", "file"), "size": 0, "url": "", "proxy_url": ""}
            for a in body.get("attachments") or []
        ],
        "author": author,
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts")),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "pinned": False,
        "flags": body.get("flags") or 0,
    }
    if body.get("nonce") is not None:
        msg["nonce"] = body["nonce"]
    ref = body.get("message_reference")
    if ref and ref.get("message_id"):  # a reply: type 19 (REPLY) and a reference, as Discord shows it
        msg["type"] = 19
        msg["message_reference"] = {
            "type": 0,
            "message_id": str(ref["message_id"]),
            "channel_id": str(ref.get("channel_id") or channel_id),
            "guild_id": guild_id,
        }
    if webhook_id:
        msg["webhook_id"] = webhook_id
        msg["application_id"] = app_id
    return msg


def apply_edit(msg: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Edit a stored message in place, as Discord does: same id, new edited_timestamp."""
    for key in ("content", "embeds", "components"):
        if key in body:
            msg[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
    if body.get("attachments") is not None:
        # Discord: an edit's `attachments` lists what the message keeps, existing ones by id and
        # new uploads (a `files[n]` part each) by their index id; those left out are removed.
        old = {a["id"]: a for a in msg.get("attachments") or []}
        msg["attachments"] = [
            old.get(str(a.get("id")))
            or {
                "id": snowflake(),
                "filename": a.get("filename", "file"),
                "size": 0,
                "url": "",
                "proxy_url": "",
            }
            for a in body["attachments"]
        ]
    if "flags" in body and body["flags"] is not None:
        # Ephemeral (64) cannot be toggled by an edit; keep it if it was set.
        msg["flags"] = (msg.get("flags", 0) & 64) | (body["flags"] & ~64)
    msg["edited_timestamp"] = iso_now()
    return msg


@dataclass
class FakeThread:
    """A public thread (type 11): a forum post, or a thread started from a message or without one."""

    id: str
    parent_id: str
    guild_id: str
    owner_id: str
    name: str
    type: int = 11
    auto_archive_duration: int = 1440
    archived: bool = False
    locked: bool = False
    message_count: int = 0
    created: str = field(default_factory=iso_now)

    def payload(self) -> dict[str, Any]:
        """Discord's thread channel object (types/threads.py Thread)."""
        return {
            "id": self.id,
            "type": self.type,
            "guild_id": self.guild_id,
            "parent_id": self.parent_id,
            "owner_id": self.owner_id,
            "name": self.name,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": self.message_count,
            "member_count": 1,
            "total_message_sent": self.message_count,
            "flags": 0,
            "applied_tags": [],
            "thread_metadata": {
                "archived": self.archived,
                "auto_archive_duration": self.auto_archive_duration,
                "archive_timestamp": self.created,
                "locked": self.locked,
                "create_timestamp": self.created,
            },
        }


def ready_payload(bot_id: str, guild_ids: list[str], shard: list[int], session_id: str) -> dict[str, Any]:
    """READY for one shard's session: the guilds Discord routes to it, sent unavailable."""
    return {
        "v": 10,
        "user": bot_user(bot_id),
        "guilds": [{"id": gid, "unavailable": True} for gid in guild_ids],
        "session_id": session_id,
        "application": {"id": bot_id, "flags": 0},  # for bots, application id == bot user id
        "private_channels": [],
        "relationships": [],
        "user_settings": {},
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": [],
        "shard": shard,
    }
