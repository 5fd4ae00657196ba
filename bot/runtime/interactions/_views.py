"""Page buttons: Back / Next over pages of embeds that keep working after a restart.

A button carries in its custom_id everything its page needs: which answer (compare, quotes,
stories, said), its story or period, its filter, the page it turns to and who asked. Pressing it reads the
answer again (cached for compare and quotes) and shows that page in place, so nothing lives in
memory and no button expires. Only the person who asked can turn the pages.

Discord allows 100 characters in a custom_id: a filter too long to fit (an outlet, a speaker, a
search phrase) is cut, and the button shows what the cut filter finds.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal, Protocol

import discord

from bot.news import UserFacingError
from bot.runtime.context import bot_of
from bot.runtime.render import comparison_pages, quote_pages, said_pages, stories_pages
from bot.runtime.tree import report_error

log = logging.getLogger(__name__)

MAX_LISTED = 100  # stories a /stories answer pages through
SAID_LISTED = 50  # statements a /said answer pages through (the newest)
_CUSTOM_ID_MAX = 100
_EDIT_BUDGET = 2.0  # seconds before a slow page is deferred (the interaction must be answered in 3)


class NotYourPages(UserFacingError):
    """Someone else pressed a page button."""


class Paged(Protocol):
    """A paged answer that can be read again from what its buttons carry."""

    def custom_id(self, page: int, owner: int) -> str: ...

    async def pages(self, interaction: discord.Interaction[Any]) -> list[discord.Embed]: ...


def _custom_id(kind: str, page: int, owner: int, number: float, text: str | None) -> str:
    # The one format every button carries (kept as it was, so buttons posted before an upgrade work).
    shown = int(number) if number == int(number) else number  # never 1e+06
    head = f"sd:pg:{kind}:{page}:{owner}:{shown}:"
    return head + (text or "")[: _CUSTOM_ID_MAX - len(head)]


@dataclass(frozen=True)
class ComparisonPages:
    """/compare for a story, narrowed to one outlet or not."""

    story_id: int
    outlet: str | None = None

    def custom_id(self, page: int, owner: int) -> str:
        return _custom_id("c", page, owner, self.story_id, self.outlet)

    async def pages(self, interaction: discord.Interaction[Any]) -> list[discord.Embed]:
        result = await bot_of(interaction).reading.comparison(
            self.story_id, self.outlet, interaction.guild_id
        )
        return comparison_pages(result, outlet_first=bool(self.outlet))


@dataclass(frozen=True)
class QuotePages:
    """/quotes for a story, of one speaker or all."""

    story_id: int
    speaker: str | None = None

    def custom_id(self, page: int, owner: int) -> str:
        return _custom_id("q", page, owner, self.story_id, self.speaker)

    async def pages(self, interaction: discord.Interaction[Any]) -> list[discord.Embed]:
        groups = await bot_of(interaction).reading.quotes(self.story_id, self.speaker, interaction.guild_id)
        return quote_pages(groups, story_id=self.story_id, speaker=self.speaker)


@dataclass(frozen=True)
class StoryListPages:
    """/stories over the last `hours`, matching a search phrase or not, newest or most
    independent reports first."""

    hours: float
    query: str | None = None
    rank: Literal["newest", "reports"] = "newest"

    def custom_id(self, page: int, owner: int) -> str:
        return _custom_id("r" if self.rank == "reports" else "s", page, owner, self.hours, self.query)

    async def pages(self, interaction: discord.Interaction[Any]) -> list[discord.Embed]:
        found = await bot_of(interaction).desk.stories(
            since=timedelta(hours=self.hours),
            query=self.query,
            guild_id=interaction.guild_id,
            limit=MAX_LISTED,
            rank=self.rank,
        )
        return stories_pages(found, query=self.query, hours=self.hours, rank=self.rank)


@dataclass(frozen=True)
class SaidPages:
    """/said for a person, over the last `days` (0: any time)."""

    name: str
    days: float = 0

    def custom_id(self, page: int, owner: int) -> str:
        return _custom_id("w", page, owner, self.days, self.name)

    async def pages(self, interaction: discord.Interaction[Any]) -> list[discord.Embed]:
        report = await bot_of(interaction).desk.said(
            self.name, days=self.days or None, guild_id=interaction.guild_id, limit=SAID_LISTED
        )
        return said_pages(report, days=self.days or None)


def paged_from(kind: str, number: float, text: str) -> Paged:
    """The answer a button's custom_id describes."""
    if kind == "w":
        return SaidPages(text, number)
    if kind == "c":
        return ComparisonPages(int(number), text or None)
    if kind == "q":
        return QuotePages(int(number), text or None)
    return StoryListPages(number, text or None, "reports" if kind == "r" else "newest")


def pager(paged: Paged, index: int, total: int, owner: int) -> discord.ui.View:
    """The Back / page / Next row for page `index` of `total`."""
    view = discord.ui.View(timeout=None)
    back = PageButton(paged, max(0, index - 1), owner, "◀ Back", disabled=index == 0)
    view.add_item(back)
    counter = discord.ui.Button[discord.ui.View](
        label=f"{index + 1}/{total}", style=discord.ButtonStyle.secondary, disabled=True, custom_id="sd:pgn"
    )
    view.add_item(counter)
    view.add_item(PageButton(paged, min(total - 1, index + 1), owner, "Next ▶", disabled=index >= total - 1))
    return view


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"sd:pg:(?P<kind>[cqswr]):(?P<page>\d+):(?P<owner>\d+):(?P<number>[\d.]+):(?P<arg>.*)",
):
    """Back or Next: shows page `page` of the answer its custom_id describes."""

    def __init__(self, paged: Paged, page: int, owner: int, label: str = "", disabled: bool = False) -> None:
        style = discord.ButtonStyle.primary if label.startswith("Next") else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=label or "page", style=style, disabled=disabled, custom_id=paged.custom_id(page, owner)
            )
        )
        self.paged = paged
        self.page = page
        self.owner = owner

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PageButton:
        paged = paged_from(match["kind"], float(match["number"]), match["arg"])
        return cls(paged, int(match["page"]), int(match["owner"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if interaction.user.id != self.owner:
                raise NotYourPages(
                    "Only the person who asked can turn these pages; run the command to get your own."
                )
            task = asyncio.ensure_future(self.paged.pages(interaction))
            done, _ = await asyncio.wait({task}, timeout=_EDIT_BUDGET)
            if not done:
                await interaction.response.defer()  # the buttons stay; the page follows
            pages = await task
            index = min(self.page, len(pages) - 1)
            view = pager(self.paged, index, len(pages), self.owner) if len(pages) > 1 else None
            if interaction.response.is_done():
                await interaction.edit_original_response(embed=pages[index], view=view)
            else:
                await interaction.response.edit_message(embed=pages[index], view=view)
        except Exception as e:  # buttons bypass the tree: send failures to the same handler
            await report_error(interaction, e)


def first_page(paged: Paged, pages: list[discord.Embed], owner: int) -> discord.ui.View | None:
    """The buttons under an answer's first page (none for a single page)."""
    return pager(paged, 0, len(pages), owner) if len(pages) > 1 else None
