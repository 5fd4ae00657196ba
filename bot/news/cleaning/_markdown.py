"""Markdown articles as plain text: syntax stripped, the first level-1 heading kept as the title."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_LINK_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_UNORDERED = re.compile(r"^\s*[-*+]\s+")
_MAX_INLINE_CHARS = 20_000
_MAX_FRONT_MATTER_CHARS = 64_000  # a header, not a document: bigger ones are read line by line
_INLINE = (
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images: their alt text is a caption
    (re.compile(r"!\[[^\]]*\]\[[^\]]*\]"), ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])"), r"\1"),
)


@dataclass
class MarkdownDoc:
    """A markdown document reduced to text lines, plus what its markup said about it."""

    text: str
    title: str | None = None
    front_matter: dict[str, str] = field(default_factory=dict)


def strip_inline(text: str) -> str:
    """Inline markdown (links, emphasis, code, images, tags) reduced to its text."""
    if len(text) > _MAX_INLINE_CHARS:
        return (
            text  # lazy emphasis patterns are quadratic on huge unmatched runs: leave such lines as they are
        )
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    return text


def parse_front_matter(block: str) -> dict[str, str]:
    """YAML front matter as lowercase keys and text values (a list becomes "a; b"; nested
    structures are dropped). Invalid YAML, common in hand-written headers ("title: A: B"), is
    read line by line as `key: value` instead."""
    if len(block) <= _MAX_FRONT_MATTER_CHARS:
        try:
            data = yaml.safe_load(block)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            front = {}
            for key, value in data.items():
                text = _yaml_text(value)
                if isinstance(key, str) and key.strip() and text is not None:
                    front[key.strip().lower()] = text
            return front
    return _front_matter_lines(block)


def _yaml_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float | dt.date):
        return str(value).strip()
    if isinstance(value, list):
        items = [_yaml_text(v) for v in value if not isinstance(v, list | dict)]
        return "; ".join(i for i in items if i) or None
    return None


def _front_matter_lines(block: str) -> dict[str, str]:
    front: dict[str, str] = {}
    for line in block.split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            front[key.strip().lower()] = value.strip().strip("\"'")
    return front


def markdown_to_text(source: str) -> MarkdownDoc:
    """Plain text of a markdown article; the first `# heading` becomes the title."""
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    front: dict[str, str] = {}
    m = _FRONT_MATTER.match(source)
    if m:
        front = parse_front_matter(m.group(1))
        source = source[m.end() :]
    out: list[str] = []
    title: str | None = None
    in_fence = False
    for line in source.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(line)
            continue
        if _LINK_DEF.match(line):
            continue
        setext = _SETEXT.match(line)
        if setext and out and out[-1].strip() and not _RULE.match(out[-1]):
            if setext.group(1).startswith("=") and title is None:
                title = out.pop().strip()
                out.append("")
            continue  # the underline itself; the heading text stays as its own line
        if _RULE.match(line):
            out.append("")
            continue
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
        heading = _ATX.match(line)
        if heading:
            text = strip_inline(heading.group(2)).strip()
            if heading.group(1) == "#" and title is None:
                title = text
                out.append("")
            else:
                out.extend(["", text, ""])
            continue
        line = _UNORDERED.sub("• ", line, count=1)
        out.append(strip_inline(line))
    title = title or front.get("title") or None
    return MarkdownDoc("\n".join(out), title, front)
