"""The fake Discord's threads and forum posts (mixed into `FakeDiscord`).

Routes as discord.py calls them (discord/http.py): `start_thread_in_forum` and
`start_thread_without_message` POST /channels/{id}/threads (a forum's with a `message` object,
answered as the thread with that `message` in it), `start_thread_with_message` POST
/channels/{id}/messages/{message_id}/threads, `edit_channel` PATCH /channels/{thread_id}. As on
Discord, a forum post and a thread started from a message have the id of their first message; an
archived thread refuses messages and edits (400, code 50083) until unarchived, and a locked one is
unarchived only with Manage Threads (the bot here has none); a deleted thread answers 404. Each new
thread is announced to the bot with THREAD_CREATE (`newly_created`), each deletion THREAD_DELETE.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from aiohttp import web
from fake_payloads import FakeThread, snowflake

if TYPE_CHECKING:
    from fake_discord import FakeDiscord

ARCHIVED = (400, 50083, "Thread is archived")
UNKNOWN_CHANNEL = (404, 10003, "Unknown Channel")
MISSING_PERMISSIONS = (403, 50013, "Missing Permissions")


class ThreadsMixin:
    """Thread and forum handlers; `self` is a FakeDiscord."""

    # ------------------------------------------------------------------ driving it from tests
    def delete_thread(self: FakeDiscord, thread_id: str) -> None:  # type: ignore[misc]
        """A moderator deletes a thread (its messages go with it)."""
        thread = self.threads.pop(thread_id)
        self.messages.pop(thread_id, None)
        self._announce("THREAD_DELETE", {"id": thread_id, "guild_id": self.guild_id,
                                         "parent_id": thread.parent_id, "type": thread.type})  # fmt: skip

    def archive_thread(self: FakeDiscord, thread_id: str, *, locked: bool = False) -> None:  # type: ignore[misc]
        """Discord archives an idle thread (a moderator may also lock it)."""
        thread = self.threads[thread_id]
        thread.archived, thread.locked = True, locked

    def thread_posts(self: FakeDiscord, thread_id: str) -> list[dict[str, Any]]:  # type: ignore[misc]
        return list(self.messages.get(thread_id, []))

    def threads_in(self: FakeDiscord, parent_id: str) -> list[FakeThread]:  # type: ignore[misc]
        return [t for t in self.threads.values() if t.parent_id == parent_id]

    # ------------------------------------------------------------------ routes
    def _thread_error(self: FakeDiscord, err: tuple[int, int, str]) -> web.Response:  # type: ignore[misc]
        return self.json({"message": err[2], "code": err[1]}, status=err[0])

    def _start_thread(self: FakeDiscord, parent_id: str, body: dict[str, Any]) -> web.Response:  # type: ignore[misc]
        parent = self.channels.get(parent_id)
        if parent is None:
            return self._thread_error(UNKNOWN_CHANNEL)
        if parent.forbidden:
            return self._thread_error(MISSING_PERMISSIONS)
        name = body.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            return self.json({"message": "Invalid Form Body", "code": 50035}, status=400)
        if parent.type == 15:
            first = body.get("message")
            if not first or not (first.get("content") or first.get("embeds")):
                return self.json({"message": "Cannot send an empty message", "code": 50006}, status=400)
            thread = self._new_thread(parent_id, name, body, snowflake())
            msg = self.add_message(thread.id, first)
            msg["id"] = thread.id  # a forum post's first message has the post's id
            thread.message_count = 1
            return self.json(thread.payload() | {"message": msg})
        if "message" in body:
            return self.json({"message": "Invalid Form Body", "code": 50035}, status=400)
        return self.json(self._new_thread(parent_id, name, body, snowflake()).payload())

    def _thread_from_message(  # type: ignore[misc]
        self: FakeDiscord, channel_id: str, message_id: str, body: dict[str, Any]
    ) -> web.Response:
        msg = self.find_message(message_id)
        if msg is None or msg["channel_id"] != channel_id:
            return self.json({"message": "Unknown Message", "code": 10008}, status=404)
        if message_id in self.threads:
            return self.json(
                {"message": "A thread has already been created for this message", "code": 160004}, status=400
            )
        name = body.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            return self.json({"message": "Invalid Form Body", "code": 50035}, status=400)
        return self.json(self._new_thread(channel_id, name, body, message_id).payload())

    def _new_thread(
        self: FakeDiscord, parent_id: str, name: str, body: dict[str, Any], thread_id: str
    ) -> FakeThread:  # type: ignore[misc]
        duration = int(body.get("auto_archive_duration") or 1440)
        thread = FakeThread(
            thread_id, parent_id, self.guild_id, self.bot_id, name, auto_archive_duration=duration
        )
        self.threads[thread_id] = thread
        self.messages.setdefault(thread_id, [])
        self._announce("THREAD_CREATE", thread.payload() | {"newly_created": True})
        return thread

    def _edit_thread(self: FakeDiscord, thread_id: str, body: dict[str, Any]) -> web.Response:  # type: ignore[misc]
        thread = self.threads.get(thread_id)
        if thread is None:
            return self._thread_error(UNKNOWN_CHANNEL)
        if "archived" in body and not body["archived"] and thread.locked:
            return self._thread_error(MISSING_PERMISSIONS)  # unlocking needs Manage Threads
        if "archived" in body:
            thread.archived = bool(body["archived"])
        if "name" in body:
            thread.name = body["name"]
        self._announce("THREAD_UPDATE", thread.payload())
        return self.json(thread.payload())

    def _into_thread(self: FakeDiscord, thread_id: str) -> web.Response | None:  # type: ignore[misc]
        """The error a post or an edit in this thread gets, if any."""
        thread = self.threads.get(thread_id)
        if thread is None:
            return self._thread_error(UNKNOWN_CHANNEL)
        parent = self.channels.get(thread.parent_id)
        if parent is not None and parent.forbidden:
            return self._thread_error(MISSING_PERMISSIONS)
        if thread.archived:
            return self._thread_error(ARCHIVED)
        thread.message_count += 1
        return None

    def _announce(self: FakeDiscord, event: str, data: dict[str, Any]) -> None:  # type: ignore[misc]
        if self._ws is None or self._ws.closed:
            return
        task = asyncio.get_running_loop().create_task(self.dispatch(event, data))
        self._events.add(task)
        task.add_done_callback(self._events.discard)
