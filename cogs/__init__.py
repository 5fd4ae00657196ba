"""Slash-command surfaces: one feature a file, each with `async def setup(bot)` last."""
