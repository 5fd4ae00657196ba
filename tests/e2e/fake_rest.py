"""The fake Discord's REST routes (mixed into `FakeDiscord`)."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web
from fake_payloads import application, apply_edit, bot_user, snowflake

if TYPE_CHECKING:
    from fake_discord import Call, FakeDiscord, Interaction

EPHEMERAL, LOADING = 64, 128


def _error(owner: Any, status: int, code: int, message: str) -> web.Response:
    return owner.json({"message": message, "code": code}, status=status)


class RestMixin:
    """REST handlers; `self` is a FakeDiscord."""

    def _route(self: FakeDiscord, call: Call) -> web.Response:  # type: ignore[misc]
        m, p, body = call.method, call.path, call.json or {}
        ok = self.json
        if m == "GET" and p == "/users/@me":
            return ok(bot_user(self.bot_id))
        if m == "GET" and p == "/oauth2/applications/@me":
            return ok(application(self.app_id, self.admin.payload()))
        if m == "GET" and p in ("/gateway", "/gateway/bot"):
            return ok({"url": self.gateway_url, "shards": 1})

        mt = re.fullmatch(r"/applications/(\d+)(?:/guilds/(\d+))?/commands", p)
        if mt and m == "PUT":
            registered = []
            for cmd in body or []:
                reg = dict(cmd, id=snowflake(), application_id=self.app_id, version=snowflake())
                if mt.group(2):
                    reg["guild_id"] = mt.group(2)
                registered.append(reg)
            self.commands[mt.group(2) or "global"] = registered
            return ok(registered)
        if mt and m == "GET":
            return ok(self.commands.get(mt.group(2) or "global", []))

        mt = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", p)
        if mt and m == "POST":
            return self._callback(mt.group(1), call)

        mt = re.fullmatch(r"/webhooks/(\d+)/([^/]+)", p)
        if mt and m == "POST":
            return self._followup(mt.group(2), body, call)

        mt = re.fullmatch(r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", p)
        if mt:
            return self._webhook_message(m, mt.group(2), mt.group(3), body)

        mt = re.fullmatch(r"/channels/(\d+)", p)
        if mt and m == "GET":
            ch = self.channels.get(mt.group(1)) or self.threads.get(mt.group(1))
            return ok(ch.payload()) if ch else _error(self, 404, 10003, "Unknown Channel")
        if mt and m == "PATCH":
            return self._edit_thread(mt.group(1), body)

        mt = re.fullmatch(r"/channels/(\d+)/threads", p)
        if mt and m == "POST":
            return self._start_thread(mt.group(1), body)
        mt = re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", p)
        if mt and m == "POST":
            return self._thread_from_message(mt.group(1), mt.group(2), body)

        mt = re.fullmatch(r"/channels/(\d+)/messages", p)
        if mt and m == "POST":
            return self._post_message(mt.group(1), body)
        if mt and m == "GET":
            return self._history(mt.group(1), call.query)

        mt = re.fullmatch(r"/channels/(\d+)/messages/(\d+)", p)
        if mt:
            msg = self.find_message(mt.group(2))
            if msg is None or msg["channel_id"] != mt.group(1):
                return _error(self, 404, 10008, "Unknown Message")
            if m == "GET":
                return ok(msg)
            if m == "PATCH":
                refused = self._into_thread(mt.group(1)) if mt.group(1) in self.threads else None
                return refused or ok(apply_edit(msg, body))
            if m == "DELETE":
                self.messages[mt.group(1)].remove(msg)
                return web.Response(status=204)
        raise KeyError(f"{m} {p}")

    # ------------------------------------------------------------------ interactions
    def _callback(self: FakeDiscord, inter_id: str, call: Call) -> web.Response:  # type: ignore[misc]
        inter = self.interactions.get(inter_id)
        body = call.json or {}
        if inter is None:
            return _error(self, 404, 10062, "Unknown interaction")
        if inter.responded_at is not None:
            return _error(self, 400, 40060, "Interaction has already been acknowledged.")
        now = time.perf_counter()
        if now - inter.dispatched_at > self.response_window:
            return _error(self, 404, 10062, "Unknown interaction")
        itype, data = body.get("type"), body.get("data") or {}
        inter.responded_at, inter.response_type = now, itype
        if itype == 4:  # CHANNEL_MESSAGE_WITH_SOURCE
            inter.original = self.add_message(
                inter.channel_id, data, webhook_id=self.app_id, interaction_type=2
            )
        elif itype == 5:  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE ("thinking")
            flags = LOADING | (data.get("flags") or 0)
            inter.original = self.add_message(
                inter.channel_id, {"flags": flags}, webhook_id=self.app_id, interaction_type=2
            )
            inter.deferred_open = True
        elif itype == 7 and inter.original is not None:  # UPDATE_MESSAGE: edit the clicked message
            apply_edit(inter.original, data)
        elif itype == 8:  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
            inter.choices = data.get("choices", [])
        inter.responded.set()
        if call.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        info: dict[str, Any] = {
            "id": inter_id,
            "type": inter.type,
            "response_message_loading": itype == 5,
            "response_message_ephemeral": bool((data.get("flags") or 0) & EPHEMERAL),
        }
        out: dict[str, Any] = {"interaction": info}
        if itype in (4, 5, 7) and inter.original is not None:
            info["response_message_id"] = inter.original["id"]
            out["resource"] = {"type": itype, "message": inter.original}
        return self.json(out)

    def _by_token(self: FakeDiscord, token: str) -> Interaction | None:  # type: ignore[misc]
        return next((i for i in self.interactions.values() if i.token == token), None)

    def _followup(self: FakeDiscord, token: str, body: dict[str, Any], call: Call) -> web.Response:  # type: ignore[misc]
        inter = self._by_token(token)
        if inter is None or inter.responded_at is None:
            return _error(self, 404, 10015, "Unknown Webhook")
        if inter.deferred_open and inter.original is not None:
            # The first followup after a defer fills the "thinking" message and keeps the defer's
            # ephemeral-or-public choice, whatever flags the followup asks for.
            msg = inter.original
            keep = msg["flags"] & EPHEMERAL
            apply_edit(msg, {k: v for k, v in body.items() if k != "flags"})
            msg["flags"] = keep
            inter.deferred_open = False
        else:
            msg = self.add_message(inter.channel_id, body, webhook_id=self.app_id, interaction_type=2)
        inter.followups.append(msg)
        if call.query.get("wait") in ("1", "true", "True"):
            return self.json(msg)
        return web.Response(status=204)

    def _webhook_message(  # type: ignore[misc]
        self: FakeDiscord, method: str, token: str, which: str, body: dict[str, Any]
    ) -> web.Response:
        inter = self._by_token(token)
        if inter is None:
            return _error(self, 404, 10015, "Unknown Webhook")
        msg = inter.original if which == "@original" else self.find_message(which)
        if msg is None:
            return _error(self, 404, 10008, "Unknown Message")
        if method == "GET":
            return self.json(msg)
        if method == "PATCH":
            apply_edit(msg, body)
            msg["flags"] &= ~LOADING
            if msg is inter.original:
                inter.deferred_open = False
            return self.json(msg)
        if method == "DELETE":
            self.messages[msg["channel_id"]].remove(msg)
            if msg is inter.original:
                inter.original, inter.deferred_open = None, False
            return web.Response(status=204)
        raise KeyError(f"{method} webhook message")

    # ------------------------------------------------------------------ channels
    def _post_message(self: FakeDiscord, channel_id: str, body: dict[str, Any]) -> web.Response:  # type: ignore[misc]
        ch = self.channels.get(channel_id)
        if ch is None and channel_id in self.threads:
            refused = self._into_thread(channel_id)
            return refused or self.json(self.add_message(channel_id, body))
        if ch is None:
            return _error(self, 404, 10003, "Unknown Channel")
        if ch.forbidden:
            return _error(self, 403, 50013, "Missing Permissions")
        if ch.type == 15:  # a forum takes posts (threads), never plain messages
            return _error(self, 400, 50008, "Cannot send messages in a non-text channel")
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            # Discord: with enforce_nonce, a second message with the same nonce from the same
            # author (within a few minutes) returns the first one instead of posting again.
            for old in self.messages.get(channel_id, []):
                if old.get("nonce") == nonce and old["author"]["id"] == self.bot_id:
                    return self.json(old)
        return self.json(self.add_message(channel_id, body))

    def _history(self: FakeDiscord, channel_id: str, query: dict[str, str]) -> web.Response:  # type: ignore[misc]
        if channel_id not in self.channels:
            return _error(self, 404, 10003, "Unknown Channel")
        limit = max(1, min(100, int(query.get("limit", "50"))))
        visible = [m for m in self.messages.get(channel_id, []) if not m["flags"] & EPHEMERAL]
        visible.sort(key=lambda m: int(m["id"]))
        if "after" in query:
            after = [m for m in visible if int(m["id"]) > int(query["after"])][:limit]
            page = list(reversed(after))  # Discord answers newest first
        else:
            before = int(query["before"]) if "before" in query else None
            older = [m for m in visible if before is None or int(m["id"]) < before]
            page = list(reversed(older))[:limit]
        # Like Discord, history does not carry the nonce of old messages.
        return self.json([{k: v for k, v in m.items() if k != "nonce"} for m in page])
