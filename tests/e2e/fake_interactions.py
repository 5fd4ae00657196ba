"""The fake Discord's interactions: slash commands, autocomplete and button presses it injects."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fake_payloads import ADMIN_PERMS, FakeUser, member, snowflake

if TYPE_CHECKING:
    pass


@dataclass
class Interaction:
    """An interaction the fake sent, and how the bot answered it."""

    id: str
    token: str
    type: int  # 2 command, 3 component, 4 autocomplete
    payload: dict[str, Any]
    channel_id: str
    dispatched_at: float
    responded_at: float | None = None
    response_type: int | None = None
    original: dict[str, Any] | None = None  # the response message (or the clicked message)
    deferred_open: bool = False  # deferred "thinking" message not yet filled by a followup
    choices: list[dict[str, Any]] | None = None
    followups: list[dict[str, Any]] = field(default_factory=list)  # messages sent as followups
    responded: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def latency(self) -> float | None:
        return None if self.responded_at is None else self.responded_at - self.dispatched_at


class InteractionsMixin:
    """Builds and dispatches INTERACTION_CREATE events; `self` is a FakeDiscord."""

    def _base_interaction(
        self, itype: int, data: dict[str, Any], user: FakeUser, channel_id: str, *, dm: bool = False
    ) -> Interaction:
        inter_id = snowflake()
        token = f"itok-{snowflake()}"
        payload: dict[str, Any] = {
            "id": inter_id,
            "application_id": self.app_id,
            "type": itype,
            "token": token,
            "version": 1,
            "data": data,
            "guild_id": self.guild_id,
            "channel_id": channel_id,
            "channel": self.channels[channel_id].payload() if channel_id in self.channels else {},
            "member": member(user.payload(), permissions=user.permissions),
            "app_permissions": str(ADMIN_PERMS),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": self.guild_id},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if dm:  # a direct message: no guild, no member, a DM channel
            for key in ("guild_id", "member", "guild_locale"):
                payload.pop(key)
            payload["user"] = user.payload()
            payload["channel"] = {
                "id": channel_id,
                "type": 1,
                "recipients": [user.payload()],
                "last_message_id": None,
            }
            payload["context"] = 1
        inter = Interaction(inter_id, token, itype, payload, channel_id, time.perf_counter())
        self.interactions[inter_id] = inter
        return inter

    def _resolved(self, options: list[dict[str, Any]]) -> dict[str, Any]:
        resolved: dict[str, dict[str, Any]] = {}
        for opt in options:
            if opt.get("type") in (1, 2):
                sub = self._resolved(opt.get("options", []))
                for k, v in sub.items():
                    resolved.setdefault(k, {}).update(v)
            elif opt.get("type") == 7 and opt["value"] in self.channels:
                ch = self.channels[opt["value"]].payload() | {"permissions": str(ADMIN_PERMS)}
                resolved.setdefault("channels", {})[opt["value"]] = ch
            elif opt.get("type") == 11 and opt["value"] in self.attachments:
                resolved.setdefault("attachments", {})[opt["value"]] = self.attachments[opt["value"]][0]
            elif opt.get("type") == 8:
                found = [r for r in self.roles() if r["id"] == opt["value"]]
                resolved.setdefault("roles", {}).update({r["id"]: r for r in found})
        return resolved

    async def slash(
        self,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        user: FakeUser | None = None,
        channel_id: str | None = None,
        guild_scoped: bool = True,
        dm: bool = False,
    ) -> Interaction:
        """Inject INTERACTION_CREATE (type 2) as if a human ran /name with these options."""
        data: dict[str, Any] = {"id": snowflake(), "name": name, "type": 1, "options": options or []}
        resolved = self._resolved(options or [])
        if resolved:
            data["resolved"] = resolved
        if guild_scoped and not dm:  # Discord sends data.guild_id only for guild-registered commands
            data["guild_id"] = self.guild_id
        if dm:
            channel_id = channel_id or snowflake()
            self.messages.setdefault(channel_id, [])
        inter = self._base_interaction(2, data, user or self.admin, channel_id or self.channel_id, dm=dm)
        await self.dispatch("INTERACTION_CREATE", inter.payload)
        return inter

    async def autocomplete(
        self, name: str, options: list[dict[str, Any]], *, user: FakeUser | None = None, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """Send an autocomplete interaction (one option has focused=True); return the choices."""
        data = {"id": snowflake(), "name": name, "type": 1, "options": options, "guild_id": self.guild_id}
        inter = self._base_interaction(4, data, user or self.admin, self.channel_id)
        await self.dispatch("INTERACTION_CREATE", inter.payload)
        await self.wait_for_response(inter, timeout)
        assert inter.response_type == 8, inter.response_type
        return inter.choices or []

    async def click(
        self, msg: dict[str, Any], custom_id: str, *, user: FakeUser | None = None
    ) -> Interaction:
        """Press a button on a message (INTERACTION_CREATE type 3)."""
        found = [
            c
            for row in msg.get("components", [])
            for c in row.get("components", [])
            if c.get("custom_id") == custom_id
        ]
        assert found, f"no button {custom_id!r} on message {msg['id']}"
        data = {"custom_id": custom_id, "component_type": 2}
        inter = self._base_interaction(3, data, user or self.admin, msg["channel_id"])
        inter.payload["message"] = msg
        inter.original = msg
        await self.dispatch("INTERACTION_CREATE", inter.payload)
        return inter

    def buttons(self, msg: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            c for row in msg.get("components", []) for c in row.get("components", []) if c.get("type") == 2
        ]
