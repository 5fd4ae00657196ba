"""The drop folder: find article files, read them safely, parse them into articles.

Reading only: no database, no clustering. Every problem becomes a `Rejection` with a reason a
person can act on, and never stops the other files from being read.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.news.cleaning import extract_article, finish_record, parse_date
from bot.news.models import DocKind, ExtractedArticle

log = logging.getLogger(__name__)

KINDS: dict[str, DocKind | str] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


@dataclass
class IncomingArticle:
    """An article read from a source, ready to be stored."""

    ref: str
    article: ExtractedArticle
    path: str | None = None


@dataclass
class Rejection:
    """Something that could not be ingested, and why."""

    path: str
    reason: str
    line: int | None = None

    def describe(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


@dataclass
class FileResult:
    """What one file gave: articles, and rejections (of the file or of single lines)."""

    path: str
    items: list[IncomingArticle]
    rejections: list[Rejection]

    @property
    def whole_file_rejected(self) -> bool:
        return not self.items and any(r.line is None for r in self.rejections)


class BadFile(Exception):
    """The file as a whole cannot be ingested; the message says why."""


def iter_files(paths: list[str], rejected_dir: str) -> Iterator[tuple[str, Path]]:
    """Yield (ref path, real path) for every candidate file under `paths`, sorted, recursively.

    The ref path is the path as given joined with the path inside a given folder, so refs stay
    stable whichever way the folder was named on the command line.
    """
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != rejected_dir)
                for name in sorted(files):
                    if name.startswith(".") or name.endswith(".reason"):
                        continue
                    full = Path(root) / name
                    yield os.path.join(given, os.path.relpath(full, p)), full
        else:
            yield given, p


def read_file(ref_path: str, path: Path, max_bytes: int) -> FileResult:
    """Read and parse one file; never raises for bad input."""
    try:
        return _read(ref_path, path, max_bytes)
    except BadFile as e:
        return FileResult(ref_path, [], [Rejection(ref_path, str(e))])
    except Exception as e:  # a parser bug must not stop the batch; keep the file for a look
        log.exception("unexpected failure reading %s", ref_path)
        return FileResult(
            ref_path, [], [Rejection(ref_path, f"could not be parsed ({e.__class__.__name__})")]
        )


def _read(ref_path: str, path: Path, max_bytes: int) -> FileResult:
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise BadFile(f"unsupported file type {path.suffix or '(none)'!r}; use .txt .html .md .json .jsonl")
    text, encoding = decode_file(path, max_bytes)
    try:
        if kind == "json":
            return FileResult(ref_path, [_from_json(ref_path, text)], [])
        if kind == "jsonl":
            return _from_jsonl(ref_path, text)
        article = extract_article(text, kind, path=ref_path)  # type: ignore[arg-type]
        if not article.text.strip():
            raise BadFile("no article text found in the page")
    except BadFile as e:
        if encoding:  # the guess may be why: say it
            raise BadFile(f"{e} (not UTF-8; read as {encoding})") from e
        raise
    return FileResult(ref_path, [IncomingArticle(ref_path, article, ref_path)], [])


def decode(path: Path, max_bytes: int) -> str:
    """The file's text, or BadFile saying why it is unusable."""
    return decode_file(path, max_bytes)[0]


def decode_file(path: Path, max_bytes: int) -> tuple[str, str | None]:
    """The file's text and, when it is not UTF-8, the encoding assumed; BadFile when unusable."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BadFile(f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
        data = path.read_bytes()
    except OSError as e:
        raise BadFile(f"unreadable: {e.strerror or e}") from e
    if not data.strip():
        raise BadFile("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as e:
            raise BadFile("not valid UTF-16 text despite its byte-order mark") from e
    if b"\x00" in data[:8192] or _control_ratio(data[:8192]) > 0.1:
        raise BadFile("binary file, not text")
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


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(data)


def _from_json(ref_path: str, text: str) -> IncomingArticle:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadFile(f"malformed JSON: {e.msg} at line {e.lineno} column {e.colno}") from e
    try:
        return record_to_article(record, ref_path, fallback_ref=ref_path)
    except ValueError as e:
        raise BadFile(str(e)) from e


def _from_jsonl(ref_path: str, text: str) -> FileResult:
    items: list[IncomingArticle] = []
    rejected: list[Rejection] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            items.append(record_to_article(record, ref_path, fallback_ref=f"{ref_path}#{n}"))
        except json.JSONDecodeError as e:
            rejected.append(Rejection(ref_path, f"malformed JSON: {e.msg}", line=n))
        except ValueError as e:
            rejected.append(Rejection(ref_path, str(e), line=n))
    if not items and not rejected:
        raise BadFile("empty file")
    return FileResult(ref_path, items, rejected)


def _opt_str(record: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
    return None


def _byline(record: dict[str, Any]) -> list[str] | None:
    value = record.get("byline", record.get("author", record.get("authors")))
    if isinstance(value, str) and value.strip():
        return [value.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return None


def record_to_article(record: Any, path: str, *, fallback_ref: str) -> IncomingArticle:
    """A JSON article record (only `text` required) as an incoming article."""
    if not isinstance(record, dict):
        raise ValueError("a record must be a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("record has no 'text'")
    published: datetime | None = parse_date(_opt_str(record, "published", "date"))
    article = finish_record(
        text=text,
        title=_opt_str(record, "title"),
        outlet=_opt_str(record, "outlet", "source", "publisher"),
        published=published,
        url=_opt_str(record, "url", "link"),
        byline=_byline(record),
    )
    record_id = _opt_str(record, "id")
    return IncomingArticle(record_id or fallback_ref, article, path)


def set_aside(path: Path, drop_folder: Path, rejected_dir: str, reason: str) -> Path | None:
    """Move a rejected file into the drop folder's rejected area with a `.reason` file beside it."""
    try:
        rel = path.resolve().relative_to(drop_folder.resolve())
    except ValueError:
        return None  # not inside the watched folder: leave the user's file where it is
    target = drop_folder / rejected_dir / rel
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target = target.with_name(f"{target.stem}.{os.getpid()}{target.suffix}")
        shutil.move(str(path), target)
        target.with_name(target.name + ".reason").write_text(reason + "\n", encoding="utf-8")
    except OSError as e:
        log.warning("could not set aside %s: %s", path, e)
        return None
    return target
