"""Reading a file's bytes safely (no links out, no FIFOs, size-capped) and decoding them: UTF-8, UTF-16 with a byte-order mark, or a legacy encoding that is said."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)


class BadFile(Exception):
    """The file as a whole cannot be ingested; the message says why."""


def decode_file(
    path: Path, max_bytes: int, *, follow_links: bool = True, nul_ok: bool = False
) -> tuple[str, str | None]:
    """The file's text and, when it is not UTF-8, the encoding assumed; BadFile when unusable.

    A NUL character anywhere (a raw byte, or U+0000 in UTF-16) makes a text file unusable: it
    is a binary or damaged file, and PostgreSQL refuses NUL in text. `nul_ok`: the caller checks
    per record instead.
    """
    data = _read_bytes(path, max_bytes, follow_links)
    if not data.strip():
        raise BadFile("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise BadFile("not valid UTF-16 text despite its byte-order mark") from e
        if "\x00" in text and not nul_ok:
            raise BadFile("binary file, not text (it holds a NUL character)")
        return text, None
    if (b"\x00" in data and not nul_ok) or _control_ratio(data[:8192]) > 0.1:
        raise BadFile("binary file, not text" + (" (it holds a NUL character)" if b"\x00" in data else ""))
    encoding: str | None = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        text, encoding = decode_legacy(data)
        if not encoding:
            raise BadFile(f"not UTF-8 text (bad byte at offset {e.start}); save it as UTF-8") from e
        log.warning("%s is not UTF-8: read it as %s", path, encoding)
    if not text.strip():
        raise BadFile("empty file")
    return text, encoding


def decode_legacy(data: bytes) -> tuple[str, str | None]:
    """Text that is not UTF-8 (scraped pages are often Windows-1252 or Latin-1), and the encoding
    assumed; ("", None) when no reading is credible.

    Latin-script text has a few accented letters among many ASCII ones; a page in Cyrillic,
    Greek or Japanese has mostly non-ASCII letters. The first is read as Windows-1252 (or Latin-1
    where Windows-1252 leaves a byte undefined): charset_normalizer cannot tell Western code pages
    apart on short texts (it reads "niña" in Windows-1252 as "nińa" in Windows-1250). The second
    takes the encoding charset_normalizer (installed with trafilatura) detects."""
    high = sum(1 for b in data if b >= 0x80)
    ascii_letters = sum(1 for b in data if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A)
    if high <= _LATIN_SHARE * (high + ascii_letters):
        try:
            return data.decode("cp1252"), "cp1252 (Windows-1252)"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "latin-1 (ISO-8859-1)"
    from charset_normalizer import from_bytes  # imported only for the rare file that needs it

    # Only ASCII-compatible encodings: UTF-16 without a byte-order mark or EBCDIC are never what
    # a scraper wrote, yet the detector can propose them.
    matches = [m for m in from_bytes(data) if _ascii_compatible(m.encoding)]
    if not matches:
        return "", None
    return str(matches[0]), matches[0].encoding


# Above this share of non-ASCII bytes among letters, a text is not in a Latin script: a Western
# European text has a few percent, one in Cyrillic or Greek nearly all (measured in the test).
_LATIN_SHARE = 0.3


def _ascii_compatible(encoding: str) -> bool:
    sample = "Storydesk 2026: news, quotes (and more)."
    try:
        return sample.encode(encoding) == sample.encode("ascii")
    except (LookupError, UnicodeError):
        return False


def _read_bytes(path: Path, max_bytes: int, follow_links: bool) -> bytes:
    """At most `max_bytes` of a regular file; never blocks on a FIFO, never follows a link when
    told not to."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise BadFile("not a regular file")
            if st.st_size > max_bytes:
                raise BadFile(f"file too large ({st.st_size:,} bytes; the limit is {max_bytes:,})")
            with os.fdopen(os.dup(fd), "rb") as f:
                data = f.read(max_bytes + 1)
        finally:
            os.close(fd)
    except OSError as e:
        raise BadFile(f"unreadable: {e.strerror or e}") from e
    if len(data) > max_bytes:  # it grew while being read
        raise BadFile(f"file too large (over {max_bytes:,} bytes)")
    return data


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(data)
