"""Who an entry is: guid, else normalised link, else content hash; and the article ref it gets."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import unquote_plus

from yarl import URL

from bot.news.feeds._parse import FeedEntry, html_to_text

# Query parameters that only say where a click came from: dropping them makes two links to
# one article equal.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "ref_src",
        "ncid",
        "cmpid",
        "s_cid",
        "sr_share",
        "spm",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__hs")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def normalise_link(link: str) -> str | None:
    """The link without tracking parameters or fragment, scheme and host lowercased; None if not http(s)."""
    try:
        url = URL(link.strip())
    except (ValueError, TypeError):
        return None
    scheme = (url.scheme or "").lower()
    if scheme not in _DEFAULT_PORTS or not url.host:
        return None
    host = url.host.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    port = "" if url.port in (None, _DEFAULT_PORTS[scheme]) else f":{url.port}"
    path = url.raw_path or "/"
    # Filter the raw pieces so what stays keeps its original encoding.
    kept = [
        p
        for p in url.raw_query_string.split("&")
        if p and not is_tracking_param(unquote_plus(p.split("=", 1)[0]))
    ]
    query = "?" + "&".join(kept) if kept else ""
    return f"{scheme}://{host}{port}{path}{query}"


def entry_text(entry: FeedEntry) -> str:
    """The longest text an entry carries itself (content, else summary), as plain text."""
    content = html_to_text(entry.content_html)
    summary = html_to_text(entry.summary_html)
    return content if len(content) >= len(summary) else summary


def entry_key(entry: FeedEntry) -> str:
    """The entry's identity within its feed: guid, else normalised link, else content hash."""
    if entry.guid:
        as_link = normalise_link(entry.guid) if entry.guid.startswith(("http://", "https://")) else None
        return as_link or f"guid:{entry.guid[:500]}"
    if entry.link:
        link = normalise_link(entry.link)
        if link:
            return link
    basis = f"{entry.title or ''}\n{entry_text(entry)}".strip().lower()
    return "sha256:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()


def entry_fingerprint(entry: FeedEntry) -> str:
    """Changes whenever anything the article is built from changes (text, title, link, dates)."""
    data = entry.to_json()
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


def feed_scope(guild_id: int | None) -> str:
    return "" if guild_id is None else f"guild:{guild_id}:"


def article_ref(key: str, *, feed_url: str, guild_id: int | None) -> str:
    """The article ref of an entry: its URL key when it has one (so two feeds carrying one
    article share it), else the key inside the feed; private feeds are scoped by server."""
    if key.startswith(("http://", "https://")):
        return feed_scope(guild_id) + key
    return f"{feed_scope(guild_id)}feed:{normalise_link(feed_url) or feed_url}#{key}"
