"""Engine errors. `UserFacingError` messages are safe to show to a user as they are."""

from __future__ import annotations


class UserFacingError(Exception):
    """An error whose message can be shown to the person who asked."""


class NotFound(UserFacingError):
    """The thing asked for does not exist (or is not visible to the asker)."""


class BadArgument(UserFacingError):
    """An argument the user gave cannot be used."""


class DatabaseError(Exception):
    """The database cannot be opened or migrated."""
