"""A fake Discord (REST + gateway) on 127.0.0.1 for end-to-end tests with the real discord.py.

Adapted from ../shared/reference/fake-discord and extended: several channels and users, slash
commands with sub-commands and resolved channel/role options, autocomplete (type 4 -> callback
8), buttons (type 3 -> callback 6/7), deferred responses whose first followup fills the
"thinking" message, message edits that keep the id, channel history, `enforce_nonce`, and
injected failures (403 Missing Permissions per channel, 5xx, 429), and forum channels and threads
(`fake_threads.py`: forum posts, threads from messages, archived, locked and deleted threads).

Every REST call is recorded in `FakeDiscord.calls`; tests assert on what Discord received.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from fake_failures import FailureRule, FailuresMixin
from fake_interactions import Interaction, InteractionsMixin
from fake_payloads import (
    ADMIN_PERMS,
    MEMBER_PERMS,
    SEND_MESSAGES,
    FakeChannel,
    FakeThread,
    FakeUser,
    apply_edit,
    bot_user,
    guild,
    guild_on_shard,
    member,
    message,
    ready_payload,
    role,
    snowflake,
)
from fake_rest import RestMixin
from fake_threads import ThreadsMixin

OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_RESUME, OP_HELLO, OP_HEARTBEAT_ACK = 0, 1, 2, 6, 10, 11
CALLBACK = r"/interactions/\d+/[^/]+/callback"
FOLLOWUP = r"/webhooks/\d+/[^/]+"


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str  # after /api/v10
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    at: float = field(default_factory=time.perf_counter)
    status: int = 200
    files: dict[str, bytes] = field(default_factory=dict)  # multipart uploads: filename -> content


class FakeDiscord(InteractionsMixin, RestMixin, ThreadsMixin, FailuresMixin):
    """The server. `start()` it, point the bot's api_base/gateway_url at it, drive it from tests."""

    def __init__(self, *, response_window: float = 3.0) -> None:
        self.bot_id = snowflake()
        self.app_id = self.bot_id  # for bots, application id == bot user id
        self.guild_id = snowflake()
        self.response_window = response_window  # Discord forgets an unanswered interaction after 3 s
        self.admin = FakeUser("alice", ADMIN_PERMS)
        self.reader = FakeUser("bob", MEMBER_PERMS)
        self.channels: dict[str, FakeChannel] = {}
        self.threads: dict[str, FakeThread] = {}  # thread id -> thread (forum posts included)
        self._events: set[asyncio.Task[None]] = set()  # gateway events being sent
        for pos, name in enumerate(("general", "news", "locked")):
            ch = FakeChannel(name, self.guild_id, position=pos)
            self.channels[ch.id] = ch
        self.channel_id = self.channel("general").id
        # #locked denies the bot Send Messages (a permission overwrite the bot can see in its cache)
        deny = {"id": self.bot_id, "type": 1, "allow": "0", "deny": str(SEND_MESSAGES)}
        self.channel("locked").overwrites.append(deny)
        self.role_id = snowflake()
        self.calls: list[Call] = []
        self.identify: dict[str, Any] | None = None
        self.identifies: list[dict[str, Any]] = []  # every IDENTIFY, in order (one per shard session)
        # Sharding as Discord does it: a guild's events go to shard (guild_id >> 22) % count. With
        # `shard_count` set, an IDENTIFY with another count is refused (close 4010, Invalid shard).
        self.shard_count: int | None = None
        self.sockets: dict[int, web.WebSocketResponse] = {}  # shard id -> its live session
        self.extra_guilds: list[str] = []
        self._counts: dict[int, int] = {}  # shard id -> the shard count its session identified with
        self.heartbeats = 0
        self.connections = 0
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel id -> messages, oldest first
        self.interactions: dict[str, Interaction] = {}
        self.failures: list[FailureRule] = []
        self.attachments: dict[str, tuple[dict[str, Any], bytes]] = {}  # id -> (payload, content)
        self.hanging: set[str] = set()  # channels whose posts are created but never answered
        self.stalled: set[str] = set()  # channels whose posts are held and never created
        self._release = asyncio.Event()
        self._ws: web.WebSocketResponse | None = None
        self._seq = 0
        self._call_event = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------------ world
    def channel(self, name: str) -> FakeChannel:
        return next(c for c in self.channels.values() if c.name == name)

    def add_channel(self, name: str, *, forum: bool = False, deny: int = 0, flags: int = 0) -> FakeChannel:
        """Another channel (a forum with `forum`), denying the bot `deny` permission bits; add it
        before the bot connects (it arrives with GUILD_CREATE)."""
        ch = FakeChannel(
            name, self.guild_id, position=len(self.channels), type=15 if forum else 0, flags=flags
        )
        if deny:
            ch.overwrites.append({"id": self.bot_id, "type": 1, "allow": "0", "deny": str(deny)})
        self.channels[ch.id] = ch
        return ch

    def roles(self) -> list[dict[str, Any]]:
        return [
            role(self.guild_id, "@everyone", MEMBER_PERMS, 0),
            role(self.role_id, "Newshounds", 0, 1, mentionable=True),
        ]

    def guild_payload(self, guild_id: str | None = None) -> dict[str, Any]:
        gid = guild_id or self.guild_id
        members = [member(bot_user(self.bot_id)), member(self.admin.payload()), member(self.reader.payload())]
        channels = [c.payload() for c in self.channels.values() if c.guild_id == gid]
        roles = self.roles() if gid == self.guild_id else [role(gid, "@everyone", MEMBER_PERMS, 0)]
        payload = guild(gid, self.admin.id, roles, channels, members)
        active = [t for t in self.threads.values() if not t.archived and t.guild_id == gid]
        payload["threads"] = [t.payload() for t in active]
        return payload

    def add_guild(self, channel_name: str, *, shard: int, shard_count: int) -> FakeChannel:
        """Another server, one that Discord routes to `shard` of `shard_count`; returns its channel."""
        gid = guild_on_shard(shard, shard_count)
        self.extra_guilds.append(gid)
        ch = FakeChannel(channel_name, gid)
        self.channels[ch.id] = ch
        return ch

    def guild_ids(self) -> list[str]:
        return [self.guild_id, *self.extra_guilds]

    def find_message(self, message_id: str) -> dict[str, Any] | None:
        for msgs in self.messages.values():
            for m in msgs:
                if m["id"] == message_id:
                    return m
        return None

    def posts_to(self, channel_id: str) -> list[dict[str, Any]]:
        """Messages the bot posted itself (not interaction responses) in a channel."""
        return [m for m in self.messages.get(channel_id, []) if "webhook_id" not in m]

    def add_message(self, channel_id: str, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
        author = kw.pop("author", None) or bot_user(self.bot_id)
        ch = self.channels.get(channel_id)
        gid = ch.guild_id if ch is not None else self.guild_id
        msg = message(channel_id, gid, body, author, app_id=self.app_id, **kw)
        self.messages.setdefault(channel_id, []).append(msg)
        return msg

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/", self._gateway)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v{ver:\\d+}/{tail:.*}", self._rest)
        app.router.add_get("/attachments/{channel}/{id}/{filename}", self._cdn)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._release.set()
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def rest_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def upload(self, filename: str, content: bytes, content_type: str = "text/x-opml") -> str:
        """A file a user attached to a slash command; returns its id (the option's value).

        The payload follows Discord's attachment object (id, filename, size, url, proxy_url,
        content_type), served by this fake as Discord's CDN serves it."""
        att_id = snowflake()
        url = f"http://127.0.0.1:{self.port}/attachments/{self.channel_id}/{att_id}/{filename}"
        payload = {
            "id": att_id,
            "filename": filename,
            "size": len(content),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
            "ephemeral": True,
        }
        self.attachments[att_id] = (payload, content)
        return att_id

    async def _cdn(self, request: web.Request) -> web.Response:
        found = self.attachments.get(request.match_info["id"])
        if found is None or found[0]["filename"] != request.match_info["filename"]:
            return web.Response(status=404)
        return web.Response(body=found[1], content_type="application/octet-stream")

    # ------------------------------------------------------------------ waiting
    def calls_to(self, method: str, path_regex: str) -> list[Call]:
        rx = re.compile(path_regex)
        return [c for c in self.calls if c.method == method and rx.fullmatch(c.path)]

    async def wait_for_call(
        self, method: str, path_regex: str, count: int = 1, timeout: float = 5.0, ok_only: bool = True
    ) -> list[Call]:
        async def _wait() -> list[Call]:
            while True:
                got = [c for c in self.calls_to(method, path_regex) if c.status < 300 or not ok_only]
                if len(got) >= count:
                    return got
                self._call_event.clear()
                await self._call_event.wait()

        return await asyncio.wait_for(_wait(), timeout)

    async def wait_until(self, predicate: Any, timeout: float = 5.0) -> None:
        """Wait until `predicate()` is true, re-checking after every REST call (and every 50 ms)."""

        async def _wait() -> None:
            while not predicate():
                self._call_event.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._call_event.wait(), 0.05)

        await asyncio.wait_for(_wait(), timeout)

    async def wait_for_followup(self, inter: Interaction, count: int = 1, timeout: float = 5.0) -> list[Call]:
        return await self.wait_for_call("POST", rf"/webhooks/\d+/{inter.token}", count=count, timeout=timeout)

    async def wait_for_response(self, inter: Interaction, timeout: float = 5.0) -> Interaction:
        await asyncio.wait_for(inter.responded.wait(), timeout)
        return inter

    # ------------------------------------------------------------------ gateway
    async def dispatch(
        self, event: str, data: dict[str, Any], ws: web.WebSocketResponse | None = None
    ) -> None:
        """Send an event to the session of the shard holding its guild (else the latest session)."""
        ws = ws or self._socket_for(data.get("guild_id")) or self._ws
        assert ws is not None, "bot not connected"
        self._seq += 1
        await ws.send_str(json.dumps({"op": OP_DISPATCH, "t": event, "s": self._seq, "d": data}))

    def _socket_for(self, guild_id: Any) -> web.WebSocketResponse | None:
        if guild_id is None or not self.sockets:
            return None
        for sid, ws in self.sockets.items():
            if (int(guild_id) >> 22) % self._counts[sid] == sid and not ws.closed:
                return ws
        return None

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        self.connections += 1
        await ws.send_str(json.dumps({"op": OP_HELLO, "d": {"heartbeat_interval": 41250}}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            op = payload.get("op")
            if op == OP_HEARTBEAT:
                self.heartbeats += 1
                await ws.send_str(json.dumps({"op": OP_HEARTBEAT_ACK}))
            elif op == OP_IDENTIFY:
                await self._identify(ws, payload["d"])
            elif op == OP_RESUME:
                await self.dispatch("RESUMED", {}, ws)
        for sid, live in list(self.sockets.items()):
            if live is ws:
                del self.sockets[sid], self._counts[sid]
        return ws

    async def _identify(self, ws: web.WebSocketResponse, d: dict[str, Any]) -> None:
        shard_id, count = d.get("shard") or [0, 1]
        if not 0 <= shard_id < count or (self.shard_count is not None and count != self.shard_count):
            await ws.close(code=4010, message=b"Invalid shard")  # what Discord answers
            return
        self.identify = d
        self.identifies.append(d)
        self.sockets[shard_id], self._counts[shard_id] = ws, count
        mine = [g for g in self.guild_ids() if (int(g) >> 22) % count == shard_id]
        ready = ready_payload(self.bot_id, mine, [shard_id, count], f"fake-session-{self.connections}")
        await self.dispatch("READY", ready | {"resume_gateway_url": self.gateway_url}, ws)
        for gid in mine:
            await self.dispatch("GUILD_CREATE", self.guild_payload(gid), ws)

    # ------------------------------------------------------------------ REST plumbing
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        files: dict[str, bytes] = {}
        if request.body_exists:
            if request.content_type.startswith("multipart/"):
                form = await request.post()
                if "payload_json" in form:
                    body = json.loads(form["payload_json"])  # type: ignore[arg-type]
                for key, part in form.items():
                    if key.startswith("files[") and isinstance(part, web.FileField):
                        files[part.filename] = part.file.read()
            else:
                raw = await request.text()
                body = json.loads(raw) if raw else None
        call = Call(request.method, path, dict(request.query), dict(request.headers), body, files=files)
        self.calls.append(call)
        held = re.fullmatch(r"/channels/(\d+)/messages", path)
        if held and call.method == "POST" and held.group(1) in self.stalled:
            self._call_event.set()
            await self._release.wait()
            call.status = 503
            return self.json({"message": "Service Unavailable", "code": 0}, status=503)
        try:
            resp = self._injected_failure(call) or self._route(call)
        except KeyError as e:
            resp = self.json({"message": f"fake: unhandled {e}", "code": 0}, status=404)
        call.status = resp.status
        self._call_event.set()
        mt = re.fullmatch(r"/channels/(\d+)/messages", path)
        if mt and call.method == "POST" and mt.group(1) in self.hanging and resp.status < 300:
            await self._release.wait()  # the message exists; its answer never arrives
        return resp

    def _injected_failure(self, call: Call) -> web.Response | None:
        for rule in self.failures:
            if rule.remaining > 0 and rule.method == call.method and rule.path_re.fullmatch(call.path):
                if rule.after > 0:
                    rule.after -= 1
                    continue
                rule.remaining -= 1
                return self.json(rule.body, status=rule.status, headers=rule.headers)
        return None

    @staticmethod
    def json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        # discord.py decodes JSON only when Content-Type is exactly 'application/json'.
        h = {"Content-Type": "application/json"}
        if status < 400:
            # Keep Remaining above 0, or the client waits out Reset-After before the next call.
            h |= {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "4", "X-RateLimit-Reset-After": "1.0"}
            h["X-RateLimit-Bucket"] = "fakebucket"
        h.update(headers or {})
        return web.Response(body=json.dumps(data).encode(), status=status, headers=h)

    def _edit(self, msg: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        return apply_edit(msg, body)


__all__ = ["CALLBACK", "FOLLOWUP", "Call", "FakeDiscord", "Interaction"]
