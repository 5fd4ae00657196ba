"""Storydesk: a self-hosted news-digest bot for Discord."""

__version__ = "0.1.0"
