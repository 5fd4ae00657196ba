"""Who published what: outlet names as shown to readers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Protocol
from urllib.parse import urlsplit


class Published(Protocol):
    """What naming a publisher needs from an article (a `StoredArticle` or a lighter row)."""

    @property
    def ref(self) -> str: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def syndicated_of(self) -> int | None: ...


def outlet_label(article: Published) -> str:
    """Who published an article: its outlet, else its web host, else a name that admits we don't know.

    An article whose page never says who published it still counts as one publisher: two such
    pages are two voices, not one.
    """
    return outlet_name(article.outlet, article.url, article.ref)


def outlet_name(outlet: str | None, url: str | None, ref: str) -> str:
    """`outlet_label` from the three fields it reads (for models that are not `Published`)."""
    if outlet:
        return outlet
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    return f"unnamed outlet ({PurePath(ref.split('#')[0]).name or ref})"


def distinct_outlets(articles: Sequence[Published]) -> list[str]:
    """Publishers of a story, in order of first appearance; syndicated copies do not add one."""
    seen: dict[str, str] = {}
    for a in articles:
        if a.syndicated_of is None:
            name = outlet_label(a)
            seen.setdefault(name.casefold(), name)
    if not seen:  # only copies: still name who carried them
        for a in articles:
            name = outlet_label(a)
            seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def outlet_matches(query: str, name: str) -> bool:
    """Whether a reader's `query` names the outlet `name`: case-insensitively, the whole name, a
    prefix of it ("Bay 9" -> "Bay 9 News"), or its words in order ("ledger" -> "The Harbor Ledger")."""
    q, n = query.casefold().strip(), name.casefold().strip()
    if not q:
        return False
    if n == q or n.startswith(q):
        return True
    want, have = _words(q), _words(n)
    if not want:
        return False
    # The query's words as a run of whole words of the name.
    return any(have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1))


def outlets_matching(query: str, names: Iterable[str]) -> list[str]:
    """The outlets of `names` that `query` names; an exact match (ignoring case) beats partial ones."""
    unique = list(dict.fromkeys(names))
    exact = [n for n in unique if n.casefold().strip() == query.casefold().strip()]
    return exact or [n for n in unique if outlet_matches(query, n)]
