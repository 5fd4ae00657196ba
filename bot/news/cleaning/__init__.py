"""Helpers behind `bot.news.clean`: page cleaning, metadata, language and date parsing."""
