"""The drop folder: find article files, read them safely, parse them into articles.

Reading only: no database, no clustering. Every problem becomes a `Rejection` with a reason a
person can act on, and never stops the other files from being read.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.news.cleaning import extract_article, finish_record, parse_date
from bot.news.ingest._decode import BadFile, decode_file
from bot.news.ingest._wire import ArticleState, article_from_state, article_state
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
    # Its clustering features (`DocFeatures.to_json`), when the reader computed them (a worker
    # process: see _worker.py); they are those of `article.title` and `article.text`, so whoever
    # changes either drops them.
    features: str | None = None

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled as plain values (a worker's hand-over: see `_wire.py`), not as a dataclass
        # holding pydantic models.
        return _incoming, (self.ref, article_state(self.article), self.path, self.features)


def _incoming(ref: str, article: ArticleState, path: str | None, features: str | None) -> IncomingArticle:
    """An IncomingArticle unpickled (see `IncomingArticle.__reduce__`)."""
    return IncomingArticle(ref, article_from_state(article), path, features)


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


def iter_files(paths: list[str], rejected_dir: str) -> Iterator[tuple[str, Path, str | None]]:
    """Yield (ref path, real path, problem) for every candidate under `paths`, sorted, recursively.

    The ref path is the path as given joined with the path inside a given folder, so refs stay
    stable whichever way the folder was named on the command line. Inside a folder, a symbolic
    link is followed only to a regular file inside that same folder: anything else (a link out
    of it, to a folder, broken, a loop) and anything that is not a regular file (a FIFO would
    block the reader) comes with a `problem` saying why it must not be read. A file named
    explicitly is read wherever its link leads: the person who named it chose it.
    """
    for given in paths:
        p = Path(given)
        if p.is_dir():
            root = os.path.realpath(p)
            for dirpath, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != rejected_dir)
                links = [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]
                dirs[:] = [d for d in dirs if d not in links]  # os.walk would not descend them anyway
                for name in sorted([*files, *links]):
                    if name.startswith(".") or name.endswith(".reason"):
                        continue
                    full = Path(dirpath) / name
                    ref = os.path.join(given, os.path.relpath(full, p))
                    real, problem = _inside(full, root, rejected_dir)
                    yield ref, real, problem
        else:
            yield given, Path(os.path.realpath(p)), None


def _inside(full: Path, root: str, rejected_dir: str) -> tuple[Path, str | None]:
    """The file to read for a folder entry (a link's target), or the entry and why not."""
    try:
        mode = full.lstat().st_mode
    except OSError as e:
        return full, f"unreadable: {e.strerror or e}"
    if stat.S_ISLNK(mode):
        target = os.path.realpath(full)  # never raises, even for a loop
        inside = _is_within(target, root) and not _is_within(target, os.path.join(root, rejected_dir))
        if not inside:
            return full, "a symbolic link leading out of the folder (not followed)"
        try:
            mode = os.stat(target).st_mode
        except OSError:
            return full, "a symbolic link leading nowhere (broken, or a loop)"
        if not stat.S_ISREG(mode):
            return full, "a symbolic link to something other than a file (not followed)"
        return Path(target), None
    if not stat.S_ISREG(mode):
        return full, "not a regular file"
    return full, None


def _is_within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives
        return False


def read_file(ref_path: str, path: Path, max_bytes: int, *, follow_links: bool = True) -> FileResult:
    """Read and parse one file; never raises for bad input.

    `follow_links=False`: a symbolic link at `path` is refused rather than read (the drop folder
    resolves the links it allows first, so a link swapped in after the check is not followed).
    """
    stream = stream_file(ref_path, path, max_bytes, follow_links=follow_links)
    items: list[IncomingArticle] = []
    while True:
        try:
            items.append(next(stream))
        except StopIteration as done:
            return with_items(done.value, items)


# What `stream_file` gives: each article as soon as it is parsed, then the file's FileResult.
FileStream = Generator[IncomingArticle, None, FileResult]


def stream_file(ref_path: str, path: Path, max_bytes: int, *, follow_links: bool = True) -> FileStream:
    """`read_file` one article at a time: a JSON Lines file's records are parsed and cleaned one
    after the other, so whoever takes each on (a worker: quotes, features) holds one article's
    objects, not a whole file's. Returns the FileResult with its rejections and no items.

    A failure partway (a parser bug) refuses the whole file, as `read_file` does: the articles
    already yielded must then be dropped (`with_items`). In a JSON Lines file, whose articles the
    writer takes as they come, such a failure costs only its line (`_from_jsonl`)."""
    try:
        return (yield from _read(ref_path, path, max_bytes, follow_links))
    except BadFile as e:
        return FileResult(ref_path, [], [Rejection(ref_path, str(e))])
    except Exception as e:  # a parser bug must not stop the batch; keep the file for a look
        log.exception("unexpected failure reading %s", ref_path)
        return FileResult(
            ref_path, [], [Rejection(ref_path, f"could not be parsed ({e.__class__.__name__})")]
        )


def with_items(result: FileResult, items: list[IncomingArticle]) -> FileResult:
    """The FileResult `stream_file` returned, with the articles it yielded; none when the file
    was refused as a whole after all."""
    result.items = [] if any(r.line is None for r in result.rejections) else items
    return result


def _read(ref_path: str, path: Path, max_bytes: int, follow_links: bool) -> FileStream:
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise BadFile(f"unsupported file type {path.suffix or '(none)'!r}; use .txt .html .md .json .jsonl")
    # JSON Lines: a NUL makes its own line malformed JSON, and costs only that line.
    text, encoding = decode_file(path, max_bytes, follow_links=follow_links, nul_ok=kind == "jsonl")
    try:
        if kind == "jsonl":
            lines, text = text.splitlines(), ""  # the lines only: the text is not kept beside them
            return (yield from _from_jsonl(ref_path, lines))
        if kind == "json":
            item = _from_json(ref_path, text)
        else:
            article = extract_article(text, kind, path=ref_path)  # type: ignore[arg-type]
            if not article.text.strip():
                raise BadFile("no article text found in the page")
            item = IncomingArticle(ref_path, article, ref_path)
    except BadFile as e:
        if encoding:  # the guess may be why: say it
            raise BadFile(f"{e} (not UTF-8; read as {encoding})") from e
        raise
    yield item
    return FileResult(ref_path, [], [])


def _from_json(ref_path: str, text: str) -> IncomingArticle:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadFile(f"malformed JSON: {e.msg} at line {e.lineno} column {e.colno}") from e
    try:
        return record_to_article(record, ref_path, fallback_ref=ref_path)
    except ValueError as e:
        raise BadFile(str(e)) from e


def _from_jsonl(ref_path: str, lines: list[str]) -> FileStream:
    rejected: list[Rejection] = []
    found = 0
    for n in range(1, len(lines) + 1):
        # Each line let go once parsed: a file's lines are not all kept to its end.
        line, lines[n - 1] = lines[n - 1], ""
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            item = record_to_article(record, ref_path, fallback_ref=f"{ref_path}#{n}")
        except json.JSONDecodeError as e:
            rejected.append(Rejection(ref_path, f"malformed JSON: {e.msg}", line=n))
            continue
        except ValueError as e:
            rejected.append(Rejection(ref_path, str(e), line=n))
            continue
        except Exception as e:  # a parser bug: this record's only (the ones before may be stored)
            log.exception("unexpected failure reading %s line %d", ref_path, n)
            rejected.append(Rejection(ref_path, f"could not be parsed ({e.__class__.__name__})", line=n))
            continue
        found += 1
        yield item
    if not found and not rejected:
        raise BadFile("empty file")
    return FileResult(ref_path, [], rejected)


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


def _has_nul(value: Any) -> bool:
    """Whether a parsed JSON value holds U+0000 in any string (keys included)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def record_to_article(record: Any, path: str, *, fallback_ref: str) -> IncomingArticle:
    """A JSON article record (only `text` required) as an incoming article."""
    if not isinstance(record, dict):
        raise ValueError("a record must be a JSON object")
    if _has_nul(record):
        raise ValueError("record holds a NUL character (\\u0000): damaged or binary data")
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
    """Move a rejected file into the drop folder's rejected area with a `.reason` file beside it.

    `path` itself is moved, never what a symbolic link there leads to; never raises (a file that
    cannot be moved stays where it is, logged).
    """
    try:
        root = os.path.realpath(drop_folder)
        # The entry itself: its folder resolved, its own name kept (a link is not followed).
        entry = os.path.join(os.path.realpath(path.parent), path.name)
        if not _is_within(entry, root) or entry == root:
            return None  # not inside the watched folder: leave the user's file where it is
        rel = os.path.relpath(entry, root)
        area = os.path.join(root, rejected_dir)
        target = Path(area) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not _is_within(os.path.realpath(target.parent), os.path.realpath(area)):
            raise OSError(f"{target.parent} leads out of {area}")
        if os.path.lexists(target):
            target = target.with_name(f"{target.stem}.{os.getpid()}.{time.time_ns()}{target.suffix}")
        shutil.move(entry, target)
        _write_reason(target.with_name(target.name + ".reason"), reason)
    except (OSError, ValueError, RuntimeError) as e:
        log.warning("could not set aside %s: %s", path, e)
        return None
    return target


def _write_reason(path: Path, reason: str) -> None:
    # Never through a link someone left at that name: it could point at any file we may write.
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(reason + "\n")
