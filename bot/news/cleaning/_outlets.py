"""Readable outlet names for web and e-mail domains."""

from __future__ import annotations

import re
from collections import Counter

from bot.news.cleaning._furniture import words_set

# Domains whose readable name cannot be read off the domain itself. Used only when the page
# does not spell the name out.
KNOWN_OUTLETS: dict[str, str] = {
    "apnews.com": "Associated Press",
    "ap.org": "Associated Press",
    "reuters.com": "Reuters",
    "afp.com": "AFP",
    "bloomberg.com": "Bloomberg",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "washingtontimes.com": "The Washington Times",
    "wsj.com": "The Wall Street Journal",
    "usatoday.com": "USA Today",
    "latimes.com": "Los Angeles Times",
    "chicagotribune.com": "Chicago Tribune",
    "nypost.com": "New York Post",
    "nydailynews.com": "New York Daily News",
    "bostonglobe.com": "The Boston Globe",
    "cnn.com": "CNN",
    "foxnews.com": "Fox News",
    "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News",
    "npr.org": "NPR",
    "politico.com": "Politico",
    "politico.eu": "Politico Europe",
    "thehill.com": "The Hill",
    "axios.com": "Axios",
    "huffpost.com": "HuffPost",
    "huffingtonpost.com": "HuffPost",
    "breitbart.com": "Breitbart",
    "newsweek.com": "Newsweek",
    "time.com": "Time",
    "theatlantic.com": "The Atlantic",
    "vox.com": "Vox",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "theguardian.com": "The Guardian",
    "telegraph.co.uk": "The Telegraph",
    "independent.co.uk": "The Independent",
    "thetimes.co.uk": "The Times",
    "ft.com": "Financial Times",
    "economist.com": "The Economist",
    "dailymail.co.uk": "Daily Mail",
    "aljazeera.com": "Al Jazeera",
    "dw.com": "Deutsche Welle",
    "spiegel.de": "Der Spiegel",
    "zeit.de": "Die Zeit",
    "faz.net": "Frankfurter Allgemeine Zeitung",
    "sueddeutsche.de": "Süddeutsche Zeitung",
    "lemonde.fr": "Le Monde",
    "lefigaro.fr": "Le Figaro",
    "elpais.com": "El País",
    "corriere.it": "Corriere della Sera",
    "repubblica.it": "la Repubblica",
    "nos.nl": "NOS",
    "tass.com": "TASS",
    "kyivindependent.com": "The Kyiv Independent",
    "euronews.com": "Euronews",
    "france24.com": "France 24",
    "cnbc.com": "CNBC",
    "msnbc.com": "MSNBC",
    "vice.com": "Vice",
    "wired.com": "Wired",
    "theverge.com": "The Verge",
    "techcrunch.com": "TechCrunch",
    "space.com": "Space.com",
}
WEBMAIL = words_set(
    "gmail.com googlemail.com yahoo.com outlook.com hotmail.com live.com icloud.com me.com aol.com "
    "protonmail.com proton.me gmx.de gmx.net web.de mail.ru yandex.ru"
)
_SECOND_LEVEL = words_set("co com org net gov ac edu")
# Domains whose sub-domains are separate publishers: the publisher is one label further left.
# Kept by hand because the Public Suffix List (even tldextract's bundled snapshot, which would
# also need network access to refresh) lists blogspot.com and github.io but neither go.com
# (Disney's abcnews.go.com, espn.go.com) nor substack.com, and this must work offline.
MULTI_TENANT = words_set(
    "go.com substack.com blogspot.com wordpress.com medium.com tumblr.com github.io "
    "typepad.com livejournal.com beehiiv.com ghost.io"
)
_PHRASE_TOKEN = re.compile(r"[\w&'’.-]+")


def registered_domain(host: str) -> str:
    """The registrable part of a host name ("www.bbc.co.uk" -> "bbc.co.uk")."""
    host = host.lower().strip().strip(".")
    host = re.sub(r"^https?://", "", host).split("/")[0].split(":")[0]
    parts = [p for p in host.split(".") if p]
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    if len(parts) >= 3 and ".".join(parts[-2:]) in MULTI_TENANT and parts[-3] != "www":
        return ".".join(parts[-3:])
    return ".".join(parts[-2:]) if len(parts) >= 2 else host


def domain_key(domain: str) -> str:
    """The name-bearing label of a domain as lowercase letters and digits ("tri-county.example" -> "tricounty")."""
    label = registered_domain(domain).split(".")[0]
    return re.sub(r"[^a-z0-9]", "", label)


def name_in_text(key: str, text: str) -> str | None:
    """The way the page spells the name behind a squashed key ("ashgrovesentinel" -> "Ashgrove Sentinel")."""
    if len(key) < 3:
        return None
    tokens = _PHRASE_TOKEN.findall(text)
    found: Counter[str] = Counter()
    for i, first in enumerate(tokens):
        if not (first[:1].isupper() or first[:1].isdigit()):
            continue
        joined = ""
        for j in range(i, min(i + 6, len(tokens))):
            joined += re.sub(r"[^a-z0-9]", "", tokens[j].lower())
            if joined in (key, "the" + key) or (joined.startswith("the") and joined[3:] == key):
                found[" ".join(tokens[i : j + 1]).strip(".'’")] += 1
                break
            if not (key.startswith(joined) or ("the" + key).startswith(joined)):
                break
    if not found:
        return None
    # Prefer the spelling written in mixed case ("WKRT News 9" over "WKRT NEWS 9"), then the most used.
    return max(found, key=lambda name: (not name.isupper(), found[name]))


def readable_outlet(domain: str, text: str = "") -> str | None:
    """A readable name for a domain: as the page spells it, from the known list, or None."""
    registered = registered_domain(domain)
    if not registered or registered in WEBMAIL:
        return None
    spelled = name_in_text(domain_key(registered), text) if text else None
    return spelled or KNOWN_OUTLETS.get(registered)


def smart_case(name: str) -> str:
    """A shouted masthead in title case, keeping short letter-only acronyms ("THE AMERICA ONE NEWS")."""
    if not name.isupper():
        return name
    small = {"of", "the", "and", "for", "in", "on", "at", "to", "a", "an"}
    words = []
    for i, word in enumerate(name.split()):
        lower = word.lower()
        if i > 0 and lower in small:
            words.append(lower)
        elif len(word) <= 3 and not any(v in lower for v in "aeiouy"):
            words.append(word)  # an acronym such as "TV" or "NPR"
        else:
            words.append(word[:1] + word[1:].lower())
    return " ".join(words)
