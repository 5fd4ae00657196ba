"""Quote extraction internals: quote marks, names, attribution, cross-outlet matching.

The public entry points live in `bot.news.quotes`; these modules are split by responsibility.
"""
