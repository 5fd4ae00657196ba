"""Answer flows shared by slash commands and buttons: defer if slow, one read, render, reply."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord

from bot.news import BadArgument, Story
from bot.runtime.context import bot_of
from bot.runtime.interactions._views import ComparisonPages, Paged, QuotePages, first_page
from bot.runtime.render import (
    Outgoing,
    comparison_pages,
    picture_file,
    quote_pages,
    show_picture,
    story_card,
)
from bot.runtime.tree import report_error

log = logging.getLogger(__name__)

T = TypeVar("T")
_STORY_REF = re.compile(r"^\s*#?\s*(\d{1,12})\b")


def parse_story_id(text: str) -> int:
    """'42', '#42' or '42 · Headline' (an autocomplete choice) -> 42."""
    m = _STORY_REF.match(text or "")
    if not m:
        raise BadArgument(
            f"{text[:60]!r} is not a story. Pick one from the suggestions, or give its number (see /stories)."
        )
    return int(m.group(1))


async def defer_public(interaction: discord.Interaction[Any]) -> None:
    """Show 'thinking…' publicly; errors after this are still answered privately (see tree.py)."""
    await interaction.response.defer(thinking=True)
    interaction.extras["public_defer"] = True


async def reply(interaction: discord.Interaction[Any], out: Outgoing, *, ephemeral: bool = False) -> None:
    """Send a rendered message as the answer (or as the followup after a defer)."""
    if interaction.response.is_done():
        interaction.extras["public_defer"] = False
        await interaction.followup.send(
            content=out.content or discord.utils.MISSING,
            embeds=out.embeds,
            allowed_mentions=out.allowed_mentions,
            ephemeral=ephemeral,
        )
    else:
        await interaction.response.send_message(
            content=out.content, embeds=out.embeds, allowed_mentions=out.allowed_mentions, ephemeral=ephemeral
        )


async def send_pages(interaction: discord.Interaction[Any], pages: list[discord.Embed], paged: Paged) -> None:
    """The first page, with page buttons when there are more (they work after a restart too)."""
    view: Any = first_page(paged, pages, interaction.user.id) or discord.utils.MISSING
    if interaction.response.is_done():
        interaction.extras["public_defer"] = False
        await interaction.followup.send(embed=pages[0], view=view)
    else:
        await interaction.response.send_message(embed=pages[0], view=view)


async def answer_compare(interaction: discord.Interaction[Any], story_id: int, outlet: str | None) -> None:
    """How each outlet told the story, paged."""
    await defer_public(interaction)
    result = await bot_of(interaction).reading.comparison(story_id, outlet, interaction.guild_id)
    await send_pages(
        interaction,
        comparison_pages(result, outlet_first=bool(outlet)),
        ComparisonPages(story_id, outlet or None),
    )


async def answer_quotes(interaction: discord.Interaction[Any], story_id: int, speaker: str | None) -> None:
    """Who said what, across outlets, paged."""
    await defer_public(interaction)
    groups = await bot_of(interaction).reading.quotes(story_id, speaker, interaction.guild_id)
    await send_pages(
        interaction,
        quote_pages(groups, story_id=story_id, speaker=speaker),
        QuotePages(story_id, speaker or None),
    )


async def within_or_defer(
    interaction: discord.Interaction[Any], work: Awaitable[T], budget: float = 0.5
) -> T:
    """Await `work`; if it takes longer than `budget`, defer publicly first (the 3 s rule)."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=budget)
    if not done:
        await defer_public(interaction)
    return await task


async def answer_story(interaction: discord.Interaction[Any], story_id: int) -> None:
    """The story card with Compare / Quotes buttons (answered at once when the card is quick),
    then its coverage picture added to the same message."""
    reading = bot_of(interaction).reading
    card = await within_or_defer(interaction, reading.card(story_id, interaction.guild_id))
    view = discord.ui.View(timeout=None)
    view.add_item(StoryButton("compare", card.story.id))
    view.add_item(StoryButton("quotes", card.story.id))
    embed = story_card(card.story, card.summary)
    # A story version already drawn has its picture sent with the card: one message, no edit (an
    # upload and an edit per answer would slow the answers that follow).
    drawn = reading.drawn(card.story, interaction.guild_id)
    upload = picture_file(drawn) if drawn else None
    extra: dict[str, Any] = {"file": upload} if upload is not None else {}
    if upload is not None:
        embed = show_picture(embed)
    if interaction.response.is_done():
        interaction.extras["public_defer"] = False
        await interaction.followup.send(embed=embed, view=view, **extra)
    else:
        await interaction.response.send_message(embed=embed, view=view, **extra)
    # This card is now the newest of its story in the channel: an older card still waiting for
    # the picture goes without it (a burst of /story edits would slow every answer).
    key = (interaction.channel_id, card.story.id)
    if upload is not None:
        reading.newest_cards.carried(key, interaction.id)
    else:
        reading.newest_cards.waiting(key, interaction.id)
        reading.uploads.finished(interaction)  # the card is out: only its picture is left
        try:
            await reading.after_answer(add_picture(interaction, embed, card.story))
        finally:
            reading.newest_cards.done(key)


async def add_picture(interaction: discord.Interaction[Any], embed: discord.Embed, story: Story) -> None:
    """Edit the answer to carry the coverage picture as its embed's image. The card went out first,
    so the picture never delays it, nor other people's answers (see QuietGate); a failed edit
    leaves the card."""
    reading = bot_of(interaction).reading
    key = (interaction.channel_id, story.id)

    def superseded() -> bool:  # a newer card of this story in this channel gets the picture
        return not reading.newest_cards.is_newest(key, interaction.id)

    if reading.drawn(story, interaction.guild_id) is None:
        # Drawing is CPU beside the loop: it waits while other interactions wait for an answer.
        # A superseded card stops waiting (30 cards polling the gate would load the loop).
        await reading.uploads.until_quiet(unless=superseded)
    if superseded():
        return
    png = await reading.picture(story, interaction.guild_id)
    upload = picture_file(png) if png else None
    if upload is None or superseded():
        return
    # The upload waits while other interactions wait for their first response (bounded: see
    # QuietGate), so a picture never delays someone else's answer.
    async with reading.uploads.turn():
        if not reading.newest_cards.is_newest(key, interaction.id):
            return  # a newer card came while this one waited for its turn
        try:
            await interaction.edit_original_response(embed=show_picture(embed), attachments=[upload])
        except discord.HTTPException as e:
            log.warning("could not attach the coverage picture: %s", e)


class StoryButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"sd:(?P<action>compare|quotes):(?P<story>\d+)",
):
    """Compare / Quotes on a story card; the story id lives in the custom_id, so it survives restarts."""

    def __init__(self, action: str, story_id: int) -> None:
        label = "Compare outlets" if action == "compare" else "Quotes"
        style = discord.ButtonStyle.primary if action == "compare" else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=f"sd:{action}:{story_id}"))
        self.action = action
        self.story_id = story_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> StoryButton:
        return cls(match["action"], int(match["story"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if self.action == "compare":
                await answer_compare(interaction, self.story_id, None)
            else:
                await answer_quotes(interaction, self.story_id, None)
        except Exception as e:  # buttons bypass the tree: send failures to the same handler
            await report_error(interaction, e)
