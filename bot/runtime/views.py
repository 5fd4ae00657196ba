"""Pager: Back / Next buttons over pages of embeds; only the person who asked can turn them."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.news.errors import UserFacingError
from bot.runtime.tree import report_error

log = logging.getLogger(__name__)

PAGER_TIMEOUT = 600.0  # under the 15 minutes an interaction token can edit its messages


class NotYourPages(UserFacingError):
    """Someone else pressed a pager button."""


class Pager(discord.ui.View):
    """Pages of embeds with Back / Next; the buttons are removed when it times out."""

    def __init__(self, pages: list[discord.Embed], owner_id: int, *, timeout: float = PAGER_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        if not pages:
            raise ValueError("a pager needs at least one page")
        self.pages = pages
        self.owner_id = owner_id
        self.index = 0
        self.message: discord.Message | discord.InteractionMessage | discord.WebhookMessage | None = None
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.back.disabled = self.index == 0
        self.forward.disabled = self.index >= len(self.pages) - 1
        self.counter.label = f"{self.index + 1}/{len(self.pages)}"

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        if interaction.user.id != self.owner_id:
            raise NotYourPages(
                "Only the person who asked can turn these pages; run the command to get your own."
            )
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await report_error(interaction, error)

    async def _show(self, interaction: discord.Interaction[Any], index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._update_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(label="◀ Back", style=discord.ButtonStyle.secondary)
    async def back(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Pager]) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="1/1", style=discord.ButtonStyle.secondary, disabled=True)
    async def counter(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Pager]) -> None:
        await interaction.response.defer()

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.primary)
    async def forward(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Pager]) -> None:
        await self._show(interaction, self.index + 1)

    async def on_timeout(self) -> None:
        if self.message is None:
            return
        try:
            await self.message.edit(view=None)
        except discord.HTTPException as e:
            log.debug("could not remove pager buttons: %s", e)
