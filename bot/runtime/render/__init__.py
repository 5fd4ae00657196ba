"""Rendering within Discord's limits: story cards, digests, comparisons, quotes, feeds and status."""

from __future__ import annotations

from bot.runtime.render._cards import Outgoing, digest_message, stories_pages, story_card, ts
from bot.runtime.render._deltas import figure_note
from bot.runtime.render._detail import comparison_pages, quote_pages
from bot.runtime.render._feeds import (
    feed_alert_text,
    feed_errors_embed,
    feeds_embed,
    live_card,
    opml_import_text,
)
from bot.runtime.render._limits import CHOICE_NAME, CHOICES, clip, inert
from bot.runtime.render._picture import MAX_PICTURE_BYTES, PICTURE_NAME, picture_file, show_picture
from bot.runtime.render._said import said_pages
from bot.runtime.render._status import schedules_embed, status_embed
from bot.runtime.render._threads import TARGET_LABELS, card_update_note, story_message, thread_name

__all__ = [
    "CHOICES",
    "CHOICE_NAME",
    "MAX_PICTURE_BYTES",
    "PICTURE_NAME",
    "TARGET_LABELS",
    "Outgoing",
    "card_update_note",
    "clip",
    "comparison_pages",
    "digest_message",
    "feed_alert_text",
    "feed_errors_embed",
    "feeds_embed",
    "figure_note",
    "inert",
    "live_card",
    "opml_import_text",
    "picture_file",
    "quote_pages",
    "said_pages",
    "schedules_embed",
    "show_picture",
    "status_embed",
    "stories_pages",
    "story_card",
    "story_message",
    "thread_name",
    "ts",
]
