"""Discord's message limits, and helpers that make any text fit them.

Lengths are counted in UTF-16 code units, which is never less than what Discord counts, so
an emoji-heavy headline cannot push a message over a limit that Python's len() says it meets.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

import discord

TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = 6000  # all titles, descriptions, fields, footers and author names of one message
EMBEDS_PER_MESSAGE = 10
CONTENT = 2000
CHOICE_NAME = 100
CHOICES = 25
BUTTON_LABEL = 80
URL = 2048
ELLIPSIS = "…"


def dlen(text: str | None) -> int:
    """Length as Discord may count it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2 if text else 0


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` units, with an ellipsis when cut; never splits a surrogate pair."""
    units = dlen(text)
    if units <= limit:
        return text
    if limit <= 0:
        return ""
    if units == len(text):  # no astral characters: units are characters
        cut = text[: limit - 1]
    else:  # cut the UTF-16 form; a half surrogate pair at the end is dropped by the decoder
        cut = text.encode("utf-16-le")[: 2 * (limit - 1)].decode("utf-16-le", errors="ignore")
    cut = cut.rstrip()
    if cut.endswith("\\"):  # do not leave a dangling markdown escape
        cut = cut[:-1]
    return cut + ELLIPSIS


def escape(text: str | None) -> str:
    """Article text made inert for Discord markdown (no formatting, no masked links, no headers)."""
    if not text:
        return ""
    text = " ".join(text.split())
    text = discord.utils.escape_markdown(text, as_needed=False).replace("\\[", "[")
    text = text.replace("[", "\\[").replace("]", "\\]")
    return "\\" + text if text.startswith(">") else text


def inert(text: str | None, limit: int) -> str:
    """`escape(text)` clipped to `limit` (clipping first too: escaping long texts is costly)."""
    return clip(escape(clip(text or "", limit)), limit)


_UNSAFE_URL = re.compile(r"[\s<>()\[\]`\"']")


def safe_url(url: str | None, limit: int = 512) -> str | None:
    """An http(s) URL safe inside a masked link, or None."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    url = _UNSAFE_URL.sub(lambda m: quote(m.group(0)), url)
    return url if len(url) <= limit else None


def link(label: str, url: str | None) -> str:
    """A masked link `[label](url)`, or just the escaped label when the URL is unusable."""
    text = escape(label) or "link"
    target = safe_url(url)
    return f"[{text}]({target})" if target else text


def embed_size(embed: discord.Embed) -> int:
    """Characters of an embed as counted against the 6000 limit (UTF-16 units)."""
    total = dlen(embed.title) + dlen(embed.description)
    total += sum(dlen(f.name) + dlen(f.value) for f in embed.fields)
    total += dlen(embed.footer.text) + dlen(embed.author.name)
    return total


def fit_embed(embed: discord.Embed, budget: int = EMBED_TOTAL) -> discord.Embed:
    """Clip every part of `embed` to its limit and the whole to `budget`; drop fields that cannot fit."""
    if embed.title:
        embed.title = clip(embed.title, TITLE)
    if embed.description:
        embed.description = clip(embed.description, DESCRIPTION)
    if embed.footer.text:
        embed.set_footer(text=clip(embed.footer.text, FOOTER), icon_url=embed.footer.icon_url)
    if embed.author.name:
        embed.set_author(
            name=clip(embed.author.name, AUTHOR), url=embed.author.url, icon_url=embed.author.icon_url
        )
    fields = [(f.name or "\u200b", f.value or "\u200b", bool(f.inline)) for f in embed.fields][:FIELDS]
    embed.clear_fields()
    for name, value, inline in fields:
        embed.add_field(name=clip(name, FIELD_NAME), value=clip(value, FIELD_VALUE), inline=inline)
    excess = embed_size(embed) - budget
    if excess > 0 and embed.description:
        embed.description = clip(embed.description, max(1, dlen(embed.description) - excess))
        excess = embed_size(embed) - budget
    while excess > 0 and embed.fields:
        last = embed.fields[-1]
        spare = dlen(last.value) - excess
        if spare >= 40:  # shorten the last field rather than lose it
            embed.set_field_at(len(embed.fields) - 1, name=last.name, value=clip(last.value or "", spare))
        else:
            embed.remove_field(len(embed.fields) - 1)
        excess = embed_size(embed) - budget
    if excess > 0 and embed.title:
        embed.title = clip(embed.title, max(1, dlen(embed.title) - excess))
    return embed


def fit_message(content: str | None, embeds: list[discord.Embed]) -> tuple[str | None, list[discord.Embed]]:
    """Content and embeds clipped so the message is accepted: 2000 content, 10 embeds, 6000 in all."""
    if content:
        content = clip(content, CONTENT)
    embeds = embeds[:EMBEDS_PER_MESSAGE]
    remaining = EMBED_TOTAL
    fitted: list[discord.Embed] = []
    for embed in embeds:
        if remaining < 20:
            break
        fitted.append(fit_embed(embed, remaining))
        remaining -= embed_size(fitted[-1])
    return content, fitted


def violations(content: str | None, embeds: list[discord.Embed] | list[dict[str, Any]]) -> list[str]:
    """Every Discord limit this message breaks (empty when it would be accepted); for tests and checks."""
    dicts: list[dict[str, Any]] = [
        dict(e.to_dict()) if isinstance(e, discord.Embed) else dict(e) for e in embeds
    ]
    problems: list[str] = []
    if dlen(content) > CONTENT:
        problems.append(f"content {dlen(content)} > {CONTENT}")
    if len(dicts) > EMBEDS_PER_MESSAGE:
        problems.append(f"{len(dicts)} embeds > {EMBEDS_PER_MESSAGE}")
    total = 0
    for i, e in enumerate(dicts):
        parts = {
            "title": (str(e.get("title") or ""), TITLE),
            "description": (str(e.get("description") or ""), DESCRIPTION),
            "footer": (str((e.get("footer") or {}).get("text") or ""), FOOTER),
            "author": (str((e.get("author") or {}).get("name") or ""), AUTHOR),
        }
        for key, (text, limit) in parts.items():
            total += dlen(text)
            if dlen(text) > limit:
                problems.append(f"embed {i} {key} {dlen(text)} > {limit}")
        fields: list[dict[str, Any]] = list(e.get("fields") or [])
        if len(fields) > FIELDS:
            problems.append(f"embed {i} has {len(fields)} fields > {FIELDS}")
        for f in fields:
            name, value = str(f.get("name") or ""), str(f.get("value") or "")
            total += dlen(name) + dlen(value)
            if dlen(name) > FIELD_NAME or not name:
                problems.append(f"embed {i} field name length {dlen(name)}")
            if dlen(value) > FIELD_VALUE or not value:
                problems.append(f"embed {i} field value length {dlen(value)}")
    if total > EMBED_TOTAL:
        problems.append(f"embeds total {total} > {EMBED_TOTAL}")
    return problems
