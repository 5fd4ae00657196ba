"""An article's content hash squeezes whitespace with `str.split` (cheaper than the regex it
replaced): the hashes must stay those the regex gave, or every stored article would look new."""

from __future__ import annotations

import hashlib
import json
import re

from bot.news.ingest import content_hash
from bot.news.models import ExtractedArticle
from tests.paths import DATA

_WS = re.compile(r"\s+")


def _regex_hash(article: ExtractedArticle) -> str:
    """The definition stored databases were hashed by."""
    basis = f"{article.title or ''}\n{article.text}"
    return hashlib.sha256(_WS.sub(" ", basis).strip().lower().encode("utf-8")).hexdigest()


def test_every_whitespace_character_squeezes_as_the_regex_did() -> None:
    spaces = [chr(c) for c in range(0x110000) if _WS.fullmatch(chr(c)) or chr(c).isspace()]
    assert len(spaces) > 20  # tabs, line and paragraph separators, NBSP, ideographic space...
    for ch in spaces:
        article = ExtractedArticle(title=f"{ch}Title{ch}", text=f"{ch}one{ch}{ch}two {ch}\tthree{ch}")
        assert content_hash(article) == _regex_hash(article), repr(ch)
    assert content_hash(ExtractedArticle(title=None, text="A  b")) == content_hash(
        ExtractedArticle(title="", text=" a\nB ")
    )


def test_real_articles_hash_as_the_regex_did() -> None:
    lines = (DATA / "basil_stories" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines[:100]:
        r = json.loads(line)
        article = ExtractedArticle(title=r.get("title"), text=r["text"])
        assert content_hash(article) == _regex_hash(article)
