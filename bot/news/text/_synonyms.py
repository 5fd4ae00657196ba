"""General news vocabulary that names one thing in several words ("attorney"/"lawyer").

Two outlets telling one fact often differ only in such a word; folded to one term, their sentences
count as alike. Only plain newsroom words are listed: roles, the common nouns of crime, fire and
courts. Never an event's own names: this list must hold for news nobody here has read.
"""

from __future__ import annotations

__all__ = ["NEWS_SYNONYMS", "synonym_of"]


def _fold(groups: dict[str, str]) -> dict[str, str]:
    """{"attorney": "lawyer lawyers attorneys"} -> every listed word to its head word."""
    out: dict[str, str] = {}
    for head, words in groups.items():
        out[head] = head
        for word in words.split():
            out[word] = head
    return out


# Head word: the words (lower case, as written) that mean the same in a news report.
NEWS_SYNONYMS: dict[str, str] = _fold(
    {
        "attorney": "attorneys lawyer lawyers",
        "fire": "fires blaze blazes",
        "gunman": "gunmen shooter shooters",
        "police": "cops cop",
        "teenager": "teenagers teen teens",
        "vehicle": "vehicles car cars",
        "hospital": "hospitals hospitalized hospitalised",
        "died": "dead dies",
        "firefighter": "firefighters firemen fireman",
        "home": "homes house houses residence",
        "blast": "explosion explosions blasts",
        "worker": "workers employee employees staffer staffers",
        "injured": "injury injuries hurt wounded",
        "investigation": "investigations inquiry inquiries probe probes",
    }
)


def synonym_of(word: str) -> str | None:
    """The head word of a lower-case word's synonym group, None when it has none."""
    return NEWS_SYNONYMS.get(word)
