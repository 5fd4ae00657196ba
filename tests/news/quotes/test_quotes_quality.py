"""Quality gate: quote detection and speaker attribution on the PolNeAR dev set stay above floors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.news.models import Quote
from bot.news.quotes import extract_quotes
from bot.news.quotes._evaluate import QuoteScores, gold_surname, score
from tests.paths import REPO

FLOORS = json.loads((REPO / "tests" / "baselines" / "quotes.json").read_text(encoding="utf-8"))["polnear_dev"]


@pytest.fixture(scope="module")
def dev_scores(shared_dir: Path) -> QuoteScores:
    path = shared_dir / "data" / "polnear_quotes" / "dev.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return score(records, extract_quotes)


def test_strict_f1_the_issues_definition_stays_above_its_floor(dev_scores: QuoteScores) -> None:
    """The headline figure: only gold quoted segments make a prediction right (see evaluate.py)."""
    value = dev_scores.strict_f1
    assert value >= FLOORS["strict_f1"], f"strict F1 {value:.4f} fell below its floor {FLOORS['strict_f1']}"


@pytest.mark.parametrize(
    "metric",
    ["strict_precision", "recall", "precision", "f1", "speaker_accuracy", "speaker_accuracy_e2e"],
)
def test_dev_figures_stay_above_their_floors(dev_scores: QuoteScores, metric: str) -> None:
    value = getattr(dev_scores, metric)
    assert value >= FLOORS[metric], f"{metric} {value:.4f} fell below its floor {FLOORS[metric]}"


def test_the_dev_set_is_all_there(dev_scores: QuoteScores) -> None:
    assert dev_scores.documents == 84
    assert dev_scores.gold > 800 and dev_scores.named_gold > 500


@pytest.mark.parametrize(
    ("source", "surname"),
    [
        ("Mr. Trump", "Trump"),
        ("Senate Minority Leader Harry M. Reid (D-Nev.)", "Reid"),
        ("Jeffery Hemsley, an assistant professor at Syracuse University", "Hemsley"),
        ("The Kremlin’s spokesman, Dmitri S. Peskov", "Peskov"),
        ("President Volodymyr Zelensky of Ukraine", "Zelensky"),
        ("The New York Post", "Post"),
        ("sources", None),
        ("a source", None),
        ("officials", None),
        ("Republicans", None),
        ("the president", None),
        ("the former top aide to President George W. Bush", None),
        ("he", None),
        ("Donald Trump and Mike Pence", None),
        (None, None),
    ],
)
def test_what_counts_as_a_named_speaker(source: str | None, surname: str | None) -> None:
    assert gold_surname(source) == surname


def test_scoring_rules_on_a_made_up_record() -> None:
    text = "“We won,” said Ana Ruiz. The “so-called deal” died. “Fine,” she added."
    record: dict[str, Any] = {
        "text": text,
        "attributions": [
            {"quote_type": "direct", "source_text": "Ana Ruiz", "content_spans": [[0, 9]],
             "quoted_segments": [{"start": 0, "end": 9, "text": "“We won,”"}]},
            {"quote_type": "indirect", "source_text": "she", "content_spans": [[52, 59]], "quoted_segments": []},
        ],
    }  # fmt: skip

    assert text[30:44] == "so-called deal" and text[53:57] == "Fine" and text[52:59] == "“Fine,”"

    def fake(_: str) -> list[Quote]:
        return [
            Quote(text="We won", speaker="Ana Ruiz", start=1, end=7),  # gold: right, named speaker right
            Quote(text="so-called deal", speaker=None, start=30, end=44),  # nobody annotated it
            Quote(text="Fine", speaker="Ana Ruiz", start=53, end=57),  # inside an annotated content span
        ]

    scores = score([record], fake)
    assert (scores.predicted, scores.correct_predicted, scores.strictly_correct) == (3, 2, 1)
    assert (scores.gold, scores.found_gold) == (1, 1)
    assert (scores.named_gold, scores.speaker_right) == (1, 1)
