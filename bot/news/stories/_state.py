"""One story as the clustering index sees it: time span, members, voices and outlets."""

from __future__ import annotations

from array import array


class StoryState:
    """One story as the index sees it: time span, members, voices and outlets.

    Every member counts for the span and the outlets; only the voices (members that are not
    syndicated copies) count for the centroid, the cohesion and average-link similarities: a wire
    story reprinted by many sites is one voice, not evidence of a tight story. A story holding
    copies only (after a repair moved their original) counts all its members.
    """

    __slots__ = ("first", "last", "members", "outlets", "story_id", "voices")

    def __init__(self, story_id: int, when: float) -> None:
        self.story_id = story_id
        self.first = when
        self.last = when
        self.members = array("i")  # document indexes
        self.voices = array("i")  # the members that are not syndicated copies, in member order
        self.outlets: set[str] = set()

    @property
    def size(self) -> int:
        """Number of articles."""
        return len(self.members)

    @property
    def counted(self) -> array[int]:
        """The members that count for similarities: the voices, or every member when there are none."""
        return self.voices if self.voices else self.members

    @property
    def weight(self) -> int:
        """Number of members that count for similarities (see `counted`)."""
        return len(self.voices) if self.voices else len(self.members)

    def span_with(self, when: float) -> float:
        """Hours the story would cover if an article dated `when` joined."""
        return max(self.last, when) - min(self.first, when)

    @property
    def span(self) -> float:
        """Hours from the story's first article to its last."""
        return self.last - self.first

    def gap_to(self, when: float) -> float:
        """Hours from `when` to the nearest article of the story (0 inside its span)."""
        if when < self.first:
            return self.first - when
        return max(0.0, when - self.last)
