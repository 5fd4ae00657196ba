"""Live stories: one card per story in a server's live channel, once enough outlets cover it.

Discord-free: `due()` says which cards to post or edit; the runtime posts them and records the
message ids here. Claiming a card (a unique row) comes before posting, so a story never gets a
second message, across restarts too; a new feed's back catalogue never triggers a card.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bot.news.errors import BadArgument, NotFound
from bot.news.feeds import FeedBook
from bot.news.filters import StoryFilter, parse_filter
from bot.news.models import StoredArticle, Story
from bot.news.store import LiveCard, LiveChannel, Store
from bot.news.stories import StoryKeeper
from bot.news.threads import Target, check_target
from bot.news.watch import FigureNews, FigureWatch

__all__ = ["CardAction", "CardView", "LiveBoard", "LiveCard", "LiveChannel", "channel_filter"]

MIN_OUTLETS_RANGE = (1, 50)


@dataclass
class CardView:
    """What a live card shows."""

    story_id: int
    headline: str
    outlets: list[str]
    newest_title: str | None = None
    newest_outlet: str | None = None
    newest_url: str | None = None
    updated: datetime | None = None
    links: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (outlet, title, url)
    independent_reports: int | None = None  # wire copies and republications counted once
    figures: list[str] = field(default_factory=list)  # developing and disputed figures (figure watch)

    @property
    def outlet_count(self) -> int:
        return len(self.outlets)

    @property
    def signature(self) -> str:
        """Changes when the card's visible content changes (so it is edited only then)."""
        basis: list[object] = [self.headline, self.outlets, self.newest_title, self.newest_url]
        if self.independent_reports is not None and self.independent_reports != len(self.outlets):
            basis.append(self.independent_reports)  # (as before when every outlet is its own report)
        if self.figures:  # only when there are some: cards without figures keep their signature
            basis.append(self.figures)
        return hashlib.sha256(json.dumps(basis).encode("utf-8")).hexdigest()[:32]


@dataclass
class CardAction:
    """A card to post (no card yet) or edit (its content changed)."""

    kind: Literal["post", "edit"]
    channel: LiveChannel
    view: CardView
    card: LiveCard | None = None
    figures: FigureNews | None = None  # notes to post when figures moved, and what to record


def card_view(story: Story, articles: Sequence[StoredArticle]) -> CardView:
    """The card of a story as a server sees it; 'newest' is the article that arrived last."""
    newest = max(articles, key=lambda a: (a.ingested_at, a.id)) if articles else None
    links: dict[str, tuple[str, str | None, str | None]] = {}
    for a in sorted(articles, key=lambda a: (a.ingested_at, a.id)):
        if a.outlet and a.outlet.casefold() not in links:
            links[a.outlet.casefold()] = (a.outlet, a.title, a.url)
    return CardView(
        story_id=story.id,
        headline=story.headline,
        outlets=list(story.outlets),
        newest_title=newest.title if newest else None,
        newest_outlet=newest.outlet if newest else None,
        newest_url=newest.url if newest else None,
        updated=story.last_updated,
        links=list(links.values()),
        independent_reports=story.independent_reports,
    )


def channel_filter(channel: LiveChannel) -> StoryFilter:
    """The board's filter (none: every story)."""
    return StoryFilter.model_validate_json(channel.filters) if channel.filters else StoryFilter()


def _admitted(
    loaded: list[tuple[Story, list[StoredArticle]]], story_filter: StoryFilter
) -> list[tuple[Story, list[StoredArticle]]]:
    if story_filter.empty:
        return loaded
    kept = [(s, story_filter.apply(s, arts)) for s, arts in loaded]
    return [(s, arts) for s, arts in kept if arts is not None]


class LiveBoard:
    """Live channels and their cards, over the desk's database."""

    def __init__(
        self, store: Store, keeper: StoryKeeper, feeds: FeedBook, clock: Callable[[], datetime]
    ) -> None:
        self.store = store
        self.keeper = keeper
        self.feeds = feeds  # which articles are a new feed's back catalogue (never announced)
        self.clock = clock
        self.repo = store.live
        self.watch = FigureWatch(store, clock)

    async def start(
        self,
        guild_id: int,
        channel_id: int,
        min_outlets: int = 3,
        *,
        include: str | Sequence[str] | None = None,
        exclude: str | Sequence[str] | None = None,
        mention_role_id: int | None = None,
        target: Target = "channel",
    ) -> LiveChannel:
        """Post live cards in `channel_id` (replacing the server's previous live channel); only
        stories the include/exclude filter admits, pinging `mention_role_id` on each new card.
        `target`: "threads" starts a thread from each card, "forum" opens a forum post per card."""
        low, high = MIN_OUTLETS_RANGE
        if not low <= min_outlets <= high:
            raise BadArgument(f"min_outlets must be between {low} and {high}.")
        story_filter = parse_filter(include, exclude)
        await self.repo.set_channel(
            guild_id,
            channel_id,
            min_outlets,
            self.clock(),
            filters=None if story_filter.empty else story_filter.model_dump_json(),
            mention_role_id=mention_role_id,
            target=check_target(target),
        )
        found = await self.repo.channel(guild_id)
        assert found is not None
        return found

    async def stop(self, guild_id: int) -> LiveChannel:
        """Stop live cards in this server (cards already posted stay as they are)."""
        found = await self.repo.channel(guild_id)
        if found is None:
            raise NotFound("Live stories are not on in this server. Start them with /live start.")
        await self.repo.remove_channel(guild_id)
        return found

    async def channel(self, guild_id: int) -> LiveChannel | None:
        return await self.repo.channel(guild_id)

    async def channels(self) -> list[LiveChannel]:
        return await self.repo.channels()

    async def due(self, since: datetime) -> list[CardAction]:
        """Cards to post or edit for stories with articles that arrived since `since`."""
        actions: list[CardAction] = []
        for channel in await self.repo.channels():
            # Only arrivals after /live start count: starting never floods the channel with old stories.
            arrived = max(since, channel.created_at)
            rows = await self.store.stories.list(guild_id=channel.guild_id, arrived_since=arrived)
            loaded = _admitted(await self.keeper.load_many(rows, channel.guild_id), channel_filter(channel))
            ready = [(s, arts) for s, arts in loaded if len(s.outlets) >= channel.min_outlets]
            cards = await self.repo.cards(channel.guild_id, [s.id for s, _ in ready])
            figures = await self.watch.read(channel.channel_id, ready)
            for story, arts in ready:
                view = card_view(story, arts)
                news = figures.get(story.id)
                view.figures = news.lines if news else []
                card = cards.get(story.id) or await self._adopt(channel.guild_id, story.id)
                if card is None:
                    held = await self.feeds.held_back([a.id for a in arts])
                    if all(a.id in held for a in arts):
                        continue  # only a new feed's back catalogue: old news, no card
                    actions.append(CardAction("post", channel, view, figures=news))
                elif card.state == "posted" and card.signature != view.signature:
                    actions.append(CardAction("edit", channel, view, card, news))
        return actions

    async def _adopt(self, guild_id: int, story_id: int) -> LiveCard | None:
        # Stories merge: the card of a story merged into this one becomes this story's card.
        card = await self.repo.card_of_merged(guild_id, story_id)
        if card is not None:
            await self.repo.move_card(card.id, story_id, self.clock())
            card.story_id = story_id
        return card

    async def claim(self, action: CardAction) -> LiveCard | None:
        """Claim the story's card before posting; None if it is claimed already."""
        return await self.repo.claim(
            action.channel.guild_id,
            action.channel.channel_id,
            action.view.story_id,
            secrets.token_hex(8),
            action.view.outlet_count,
            self.clock(),
        )

    async def record_posted(self, card: LiveCard, message_id: int, view: CardView | None) -> None:
        values: dict[str, object] = {
            "state": "posted",
            "message_id": message_id,
            "updated_at": self.clock(),
        }
        if view is not None:
            values |= {"signature": view.signature, "outlet_count": view.outlet_count}
        await self.repo.update_card(card.id, **values)

    async def record_edited(self, card: LiveCard, view: CardView) -> None:
        await self.repo.update_card(
            card.id, signature=view.signature, outlet_count=view.outlet_count, updated_at=self.clock()
        )

    async def record_figures(self, action: CardAction) -> None:
        """The card (and any notes) now show the story's figures: later moves compare with these."""
        if action.figures is not None and action.figures.record is not None:
            await self.watch.record(action.figures.record)

    async def mark_gone(self, card: LiveCard) -> None:
        """The card's message was deleted: it is never posted again (one message per story)."""
        await self.repo.update_card(card.id, state="gone", updated_at=self.clock())

    async def release(self, card: LiveCard) -> None:
        """Forget a claim whose message was certainly not posted, so a later run can post it."""
        await self.repo.release(card.id)

    async def unrecorded(self) -> list[LiveCard]:
        return await self.repo.unrecorded()

    async def view(self, guild_id: int, story_id: int) -> CardView:
        """The current card content of a story as the server sees it."""
        story, arts = await self.keeper.load(story_id, guild_id)
        return card_view(story, arts)
