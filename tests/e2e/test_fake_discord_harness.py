"""The fake Discord itself, driven by a tiny discord.py bot (so the Storydesk tests can trust it)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import discord
import discord.gateway
import discord.http
import pytest
import yarl
from discord import app_commands
from discord.ext import commands
from fake_discord import CALLBACK, FakeDiscord


class Pager(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=30)
        self.page = 0

    @discord.ui.button(label="Next", custom_id="next")
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[Pager]) -> None:
        self.page += 1
        await interaction.response.edit_message(content=f"page {self.page}", view=self)


class Harness(commands.Cog):
    @app_commands.command(name="pick", description="autocomplete")
    async def pick(self, interaction: discord.Interaction, fruit: str) -> None:
        await interaction.response.send_message(f"picked {fruit}")

    @pick.autocomplete("fruit")
    async def fruit_ac(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        names = ["apple", "apricot", "banana"]
        return [app_commands.Choice(name=n, value=n) for n in names if n.startswith(current)]

    @app_commands.command(name="pages", description="buttons")
    async def pages(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("page 0", view=Pager())

    @app_commands.command(name="slow", description="defer then followup")
    async def slow(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("done", ephemeral=True)  # fills the public thinking message
        await interaction.followup.send("second", ephemeral=True)

    @app_commands.command(name="where", description="channel + role options")
    async def where(
        self, interaction: discord.Interaction, channel: discord.TextChannel, role: discord.Role
    ) -> None:
        await interaction.response.send_message(f"{channel.name}/{role.name}")


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    yield server
    await server.stop()


@pytest.fixture
async def client(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[commands.Bot]:
    monkeypatch.setattr(discord.http.Route, "BASE", fake.rest_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.default(), guild_ready_timeout=0.05)
    await bot.add_cog(Harness())
    task = asyncio.create_task(bot.start("harness-token"))
    await asyncio.wait_for(bot.wait_until_ready(), 10)
    yield bot
    await bot.close()
    await asyncio.gather(task, return_exceptions=True)


async def test_autocomplete_answers_with_callback_8(client: commands.Bot, fake: FakeDiscord) -> None:
    choices = await fake.autocomplete("pick", [{"name": "fruit", "type": 3, "value": "ap", "focused": True}])
    assert [c["value"] for c in choices] == ["apple", "apricot"]


async def test_button_edit_keeps_message_id(client: commands.Bot, fake: FakeDiscord) -> None:
    inter = await fake.slash("pages")
    await fake.wait_for_response(inter)
    msg = inter.original
    assert msg is not None and msg["content"] == "page 0"
    click = await fake.click(msg, "next")
    await fake.wait_for_response(click)
    assert click.response_type == 7
    assert fake.find_message(msg["id"])["content"] == "page 1"  # same id, edited in place
    assert fake.find_message(msg["id"])["edited_timestamp"]


async def test_first_followup_fills_deferred_message(client: commands.Bot, fake: FakeDiscord) -> None:
    inter = await fake.slash("slow")
    await fake.wait_for_followup(inter, count=2)
    assert inter.original is not None
    assert inter.original["content"] == "done" and inter.original["flags"] == 0  # public, as deferred
    second = [m for m in fake.messages[fake.channel_id] if m["content"] == "second"]
    assert second and second[0]["flags"] == 64


async def test_second_callback_is_refused(client: commands.Bot, fake: FakeDiscord) -> None:
    inter = await fake.slash("pick", [{"name": "fruit", "type": 3, "value": "x"}])
    await fake.wait_for_response(inter)
    url = f"{fake.rest_base}/interactions/{inter.id}/{inter.token}/callback"
    async with aiohttp.ClientSession() as session, session.post(url, json={"type": 4, "data": {}}) as resp:
        assert resp.status == 400
        assert (await resp.json())["code"] == 40060


async def test_resolved_channel_and_role(client: commands.Bot, fake: FakeDiscord) -> None:
    news = fake.channel("news").id
    inter = await fake.slash(
        "where",
        [{"name": "channel", "type": 7, "value": news}, {"name": "role", "type": 8, "value": fake.role_id}],
    )
    await fake.wait_for_response(inter)
    assert inter.original is not None and inter.original["content"] == "news/Newshounds"


async def test_channel_posts_nonce_history_and_failures(client: commands.Bot, fake: FakeDiscord) -> None:
    news = client.get_partial_messageable(int(fake.channel("news").id))
    first = await news.send("hello", nonce="n1")
    again = await news.send("hello", nonce="n1")  # enforce_nonce: the same message comes back
    assert first.id == again.id and len(fake.posts_to(fake.channel("news").id)) == 1
    edited = await first.edit(content="hello again")
    assert edited.id == first.id
    history = [m async for m in news.history(limit=10)]
    assert [m.content for m in history] == ["hello again"]

    fake.forbid(fake.channel("locked").id)
    with pytest.raises(discord.Forbidden) as e:
        await client.get_partial_messageable(int(fake.channel("locked").id)).send("x")
    assert e.value.code == 50013

    fake.fail_next("POST", rf"/channels/{fake.channel('news').id}/messages", status=503)
    with pytest.raises(discord.DiscordServerError):
        await news.send("y")
    assert [c.status for c in fake.calls_to("POST", rf"/channels/{fake.channel('news').id}/messages")][
        -1
    ] == 503


async def test_late_answer_is_unknown_interaction(client: commands.Bot, fake: FakeDiscord) -> None:
    errors: list[Exception] = []

    async def on_error(interaction: discord.Interaction, error: Exception) -> None:
        errors.append(error)

    client.tree.on_error = on_error  # type: ignore[method-assign]
    fake.response_window = 0.0
    inter = await fake.slash("pick", [{"name": "fruit", "type": 3, "value": "x"}])
    [cb] = await fake.wait_for_call("POST", CALLBACK, ok_only=False)
    assert cb.status == 404 and inter.responded_at is None
    await fake.wait_until(lambda: bool(errors))
    assert isinstance(errors[0].__cause__, discord.NotFound)
