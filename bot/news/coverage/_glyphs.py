"""Text the bundled font can draw. Pillow's default font covers printable ASCII and a few marks,
not accents or other scripts: accented letters lose their accent ("é" -> "e") and what is left
unknown becomes "?", so a name stays readable instead of turning into empty boxes."""

from __future__ import annotations

import unicodedata
from functools import cache

from PIL import ImageFont

_SPELLED = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‐": "-",
        "−": "-",
        "→": "->",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "œ": "oe",
        "Œ": "OE",
        "€": "EUR ",
        "£": "GBP ",
        "\u00a0": " ",
    }
)


# Latin letters and the punctuation and symbol blocks: where a news page's characters are found
# that a Latin font might draw (other scripts are not in this font at all).
_SCANNED = [*range(0x20, 0x250), *range(0x2000, 0x2070), *range(0x20A0, 0x20C0), *range(0x2190, 0x2200)]


@cache
def drawable() -> frozenset[str]:
    """The characters of the Latin and punctuation blocks that the bundled font has glyphs for."""
    font = ImageFont.load_default(size=20)
    missing = font.getmask("\uffff").getbbox()  # what the font draws for a character it lacks
    return frozenset(chr(c) for c in _SCANNED if font.getmask(chr(c)).getbbox() != missing)


def printable(text: str) -> str:
    """`text` in characters the bundled font draws."""
    ok = drawable()
    if all(ch in ok for ch in text):
        return text
    plain = unicodedata.normalize("NFKD", text.translate(_SPELLED))
    out = [ch if ch in ok else "?" for ch in plain if not unicodedata.combining(ch)]
    return "".join(out)
