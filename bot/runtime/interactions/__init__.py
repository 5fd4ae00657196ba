"""Answers to slash commands and buttons: story cards, paged views that survive restarts, autocomplete."""

from __future__ import annotations

from bot.runtime.interactions._answers import (
    StoryButton,
    answer_compare,
    answer_quotes,
    answer_story,
    defer_public,
    parse_story_id,
    reply,
    send_pages,
)
from bot.runtime.interactions._lookup import (
    bounded,
    known_speaker_choices,
    outlet_choices,
    schedule_choices,
    speaker_choices,
    story_choices,
    timezone_choices,
)
from bot.runtime.interactions._views import (
    MAX_LISTED,
    SAID_LISTED,
    PageButton,
    Paged,
    SaidPages,
    StoryListPages,
)

__all__ = [
    "MAX_LISTED",
    "SAID_LISTED",
    "PageButton",
    "Paged",
    "SaidPages",
    "StoryButton",
    "StoryListPages",
    "answer_compare",
    "answer_quotes",
    "answer_story",
    "bounded",
    "defer_public",
    "known_speaker_choices",
    "outlet_choices",
    "parse_story_id",
    "reply",
    "schedule_choices",
    "send_pages",
    "speaker_choices",
    "story_choices",
    "timezone_choices",
]
