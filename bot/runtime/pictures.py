"""Coverage pictures without slowing the answers around them: added to answers (an upload and
an edit) only while no interaction waits for its first response, one at a time; drawn off the loop.

What slowed /story's p95 (bench/bench_discord.py fires commands back to back): the picture drawn
right after the first card (answers arriving meanwhile took 2-3x longer: 15-23 ms instead of 5-8),
then every card sent before it was drawn got its picture by an edit, all at once, a burst of ~10
multipart uploads that delayed the next command's answer by tens of ms. Now a picture is drawn
only once no interaction is waiting (or 2 s later at the latest), and the edits go one at a time
into the gaps between answers (QuietGate).

Drawing is in a thread: ~100 ms of CPU, two thirds of it in Pillow's PNG encoder, which releases
the GIL. A worker process was tried and measured (bench_discord, interleaved with the thread): it
costs ~1 s of CPU to start and ~120 MB of RSS while it lives, and gave no better p95 (98 ms against
72 in one loaded trace), so it was removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import discord

from bot.news import StoredArticle, Story, story_png

log = logging.getLogger(__name__)


class PictureDrawer:
    """Draws story pictures off the event loop, in a thread."""

    async def draw(self, story: Story, articles: Sequence[StoredArticle]) -> bytes:
        """The story's coverage PNG; raises what drawing raised."""
        return await asyncio.to_thread(story_png, story, articles)

    def close(self) -> None:
        """Nothing to stop: kept so the reader's shutdown need not know how pictures are drawn."""


CardKey = tuple[int | None, int]  # (channel, story)


class NewestCards:
    """Of the cards of one story in one channel waiting for its picture, only the newest gets it
    (by an edit): a burst of /story edits would slow every answer around them. Cards take their
    upload turns in any order (whichever saw quiet first), so an older card asks after the newest
    uploaded too, and must still be told no: the newest is kept until every card of the key is done.
    """

    def __init__(self) -> None:
        self._newest: dict[CardKey, int] = {}
        self._waiting: dict[CardKey, int] = {}

    def waiting(self, key: CardKey, card_id: int) -> None:
        """A card waits for its picture. Newest means the latest interaction (ids are snowflakes,
        in time order): cards of one story read together are answered in no fixed order."""
        self._newest[key] = max(self._newest.get(key, card_id), card_id)
        self._waiting[key] = self._waiting.get(key, 0) + 1

    def carried(self, key: CardKey, card_id: int) -> None:
        """A card went out with the picture: older cards still waiting go without (no edit)."""
        if key in self._waiting:
            self._newest[key] = max(self._newest[key], card_id)

    def is_newest(self, key: CardKey, card_id: int) -> bool:
        """Whether this waiting card is the newest of its key (the one to get the picture)."""
        return self._newest.get(key) == card_id

    def done(self, key: CardKey) -> None:
        """A waiting card has its picture or goes without; the last one done forgets the key."""
        left = self._waiting.get(key, 0) - 1
        if left > 0:
            self._waiting[key] = left
        else:
            self._waiting.pop(key, None)
            self._newest.pop(key, None)

    def __len__(self) -> int:
        return len(self._waiting)


class QuietGate:
    """Turns for uploads that follow answers: one at a time, each waiting until no interaction
    waits for its first response, no slash command is still working on its answer (a deferred
    /compare computes for a few hundred ms after its first response: a picture drawn then takes
    the GIL from it, and the upload lands on the next command's first response), and none
    arrived or was answered in the last `quiet` seconds (the poll sees an answer up to `poll`
    late), but never longer than `max_hold` seconds after it asked (a picture is late, never lost)."""

    # A command that failed never reports completion: past this age it no longer holds uploads.
    RUNNING_CAP = 10.0

    def __init__(
        self,
        *,
        quiet: float = 0.05,
        max_hold: float = 2.0,
        poll: float = 0.01,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet, self.max_hold, self.poll, self.clock = quiet, max_hold, poll, clock
        self._waiting: dict[int, tuple[float, discord.Interaction[Any]]] = {}
        self._running: dict[int, float] = {}  # slash commands still answering, by arrival time
        self._last_seen = float("-inf")
        self._lock = asyncio.Lock()

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """The client's `on_interaction` listener: an interaction arrived."""
        self.saw(interaction)

    def saw(self, interaction: discord.Interaction[Any]) -> None:
        now = self.clock()
        self._last_seen = now
        self._prune(now)  # here too: answered interactions are not kept while no upload asks
        if not interaction.response.is_done():
            self._waiting[interaction.id] = (now, interaction)
        if interaction.type is discord.InteractionType.application_command:
            self._running[interaction.id] = now

    async def on_completion(self, interaction: discord.Interaction[Any], command: Any) -> None:
        """The client's `on_app_command_completion` listener: a command's answer is complete."""
        self.finished(interaction)

    def finished(self, interaction: discord.Interaction[Any]) -> None:
        """The interaction's answer is complete, or only work that follows it is left (a card
        waiting for its own picture must not hold that picture)."""
        if self._running.pop(interaction.id, None) is not None:
            self._last_seen = self.clock()  # the next command is as likely now as after an arrival

    def busy(self) -> bool:
        """Whether an interaction waits for its first response, a command is still answering,
        or one arrived or was answered just now."""
        now = self.clock()
        self._prune(now)
        return bool(self._waiting) or bool(self._running) or now - self._last_seen < self.quiet

    def _prune(self, now: float) -> None:
        for key, (seen, interaction) in list(self._waiting.items()):
            # Past 3 s Discord has given up on it: waiting longer would hold uploads for nothing.
            if interaction.response.is_done() or now - seen > 3.0:
                del self._waiting[key]
                # The quiet window runs from the last answer too: right after a slow answer, the
                # next command is as likely as right after an arrival.
                self._last_seen = now
        for key, arrived in list(self._running.items()):
            if now - arrived > self.RUNNING_CAP:
                del self._running[key]

    async def until_quiet(
        self, deadline: float | None = None, *, unless: Callable[[], bool] | None = None
    ) -> None:
        """Return once nothing is busy (see `busy`), or at `deadline` (default: `max_hold` from now),
        or as soon as `unless()` is true (the waiter no longer needs its turn)."""
        deadline = self.clock() + self.max_hold if deadline is None else deadline
        while self.busy() and self.clock() < deadline and not (unless and unless()):
            await asyncio.sleep(self.poll)

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Hold the caller until its turn to upload; the next turn waits for this one to end."""
        deadline = self.clock() + self.max_hold
        async with self._lock:
            await self.until_quiet(deadline)
            yield
