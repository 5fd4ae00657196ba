"""Storydesk: a self-hosted news-digest bot for Discord."""

# First, before any engine module loads: compiled modules or their Python (see bot/_native.py).
from bot._native import MODE as ENGINE_MODE

__version__ = "0.1.0"
__all__ = ["ENGINE_MODE", "__version__"]
