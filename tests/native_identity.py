"""Run as a script by tests/test_native.py: the compiled engine's results, or its Python's.

    python tests/native_identity.py SHARED_DATA_DIR

Reads the ECB+ development articles and PolNeAR's dev articles, extracts quotes, makes the
clustering features and clusters everything into stories; prints one JSON line: the engine's
mode (`bot.ENGINE_MODE`) and the sha256 of every result in canonical form. The test runs it with
and without STORYDESK_PURE_PYTHON and compares: a compiled module (setup.py) must compute
exactly what its source does.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot import ENGINE_MODE
from bot.news.cleaning import finish_record, parse_date
from bot.news.quotes import extract_quotes
from bot.news.settings import ClusteringSettings
from bot.news.stories import ClusterDoc, DocFeatures, FeatureMaker, StoryClusterer

SETS = ("ecbplus_dev/articles.jsonl", "polnear_quotes/dev.jsonl")
NOW = datetime(2024, 1, 1, tzinfo=UTC)


# Invented texts where compiled and Python string handling could part: capital sigmas at a word's
# end (Python lower-cases them to "ς" there), expanding case maps (İ, ß), accents, other scripts.
EDGES = (
    "ΑΘΗΝΑ. Ο ΥΠΟΥΡΓΟΣ ΟΙΚΟΝΟΜΙΚΩΝ ΝΙΚΟΣ ΠΑΠΑΣ είπε: «ΟΙ ΜΙΣΘΟΙ ΘΑ ΑΥΞΗΘΟΥΝ». "
    '"We are not there yet," ΠΑΠΑΣ told reporters on Monday, as ΤΟ ΚΟΙΝΟΒΟΥΛΙΟΣ met.',
    "İSTANBUL — Mayor Ayşe İNCE said the STRAẞE plan would go ahead. "
    '"İt is done," İNCE said. Größe matters, said Jürgen Weiß of the ΣΥΝΔΕΣΜΟΣ ΕΡΓΟΛΑΒΩΝ.',
)


def records(data: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = [{"text": text, "title": text[:40]} for text in EDGES]
    for rel in SETS:
        out.extend(json.loads(line) for line in (data / rel).read_text(encoding="utf-8").splitlines())
    return out


def main(data: Path) -> None:
    digest = hashlib.sha256()
    maker = FeatureMaker(ClusteringSettings())
    clusterer = StoryClusterer(ClusteringSettings())
    for n, r in enumerate(records(data), start=1):
        article = finish_record(
            text=str(r["text"]),
            title=r.get("title"),  # type: ignore[arg-type]
            outlet=r.get("source") or r.get("host"),  # type: ignore[arg-type]
            published=parse_date(r.get("date")),  # type: ignore[arg-type]
            url=r.get("url"),  # type: ignore[arg-type]
            byline=None,
        )
        article.quotes = extract_quotes(article.text)
        features = maker.features(article.title, article.text).to_json()
        digest.update(json.dumps(article.model_dump(mode="json"), sort_keys=True).encode())
        digest.update(features.encode() if isinstance(features, str) else bytes(features))
        doc = ClusterDoc(
            article_id=n,
            title=article.title,
            text=article.text,
            outlet=article.outlet,
            when=article.published or NOW,
            dated=article.published is not None,
            features=DocFeatures.from_json(features),
        )
        clusterer.assign(doc)
        count = n
    digest.update(json.dumps([clusterer.story_of(a) for a in range(1, count + 1)]).encode())
    print(json.dumps({"mode": ENGINE_MODE, "articles": count, "sha256": digest.hexdigest()}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
