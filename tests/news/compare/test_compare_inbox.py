"""The demo inbox's planted differences (issue 12): what `compare` must find, and must not invent."""

from __future__ import annotations

import pytest

from bot.news.desk import NewsDesk
from bot.news.models import Comparison, NumberComparison
from tests.paths import INBOX


@pytest.fixture
async def compared(desk: NewsDesk) -> dict[str, Comparison]:
    """`storydesk ingest inbox` into a fresh database, then `compare` on each multi-outlet story."""
    await desk.ingest_paths([str(INBOX)])
    out: dict[str, Comparison] = {}
    for s in await desk.stories():
        if len(s.outlets) >= 2:
            low = s.headline.lower()
            label = "ferry" if "ferry" in low else "fire" if "fire" in low else "water"
            out[label] = await desk.compare(s.id)
    assert set(out) == {"ferry", "fire", "water"}
    return out


def _with(comparisons: list[NumberComparison], *numbers: float) -> list[NumberComparison]:
    """The comparisons holding every one of these normalized values."""
    return [c for c in comparisons if set(numbers) <= {v.normalized for v in c.values}]


async def test_nine_percent_is_never_a_disagreement(compared: dict[str, Comparison]) -> None:
    ferry = compared["ferry"]
    # "a nine percent raise" is nine, not ten: five outlets saying nine percent agree.
    assert not [d for d in ferry.discrepancies if d.kind == "percent"]
    assert all(v.normalized == 9 for a in _with(ferry.agreements, 9) for v in a.values)


async def test_ferry_crew_and_riders_disagree(compared: dict[str, Comparison]) -> None:
    ferry = compared["ferry"]
    assert _with(ferry.discrepancies, 140, 162), "about 140 vs 162 crew members"
    assert _with(ferry.discrepancies, 6000, 7500), "about 6,000 vs 7,500 riders"


async def test_water_customers_and_fines_disagree(compared: dict[str, Comparison]) -> None:
    water = compared["water"]
    [customers] = _with(water.discrepancies, 240000, 210000)
    # "more than 200,000" agrees with both; it belongs with them and does not hide the 240,000.
    assert 200000 in {v.normalized for v in customers.values}
    assert _with(water.discrepancies, 150, 100), "a $150 vs a $100 fine"


async def test_fire_families_disagree(compared: dict[str, Comparison]) -> None:
    fire = compared["fire"]
    assert _with(fire.discrepancies, 40, 52), "about 40 vs 52 families"
    assert all(d.counts for d in fire.discrepancies)
    # "five departments" and "Ashgrove and four neighboring departments" are the same five.
    assert not [d for d in fire.discrepancies if any("departments" in v.value for v in d.values)]
    # "No one was hurt" in every outlet: an agreement, never a disagreement.
    assert not [d for d in fire.discrepancies if d.counts == "injured"]


async def test_digest_headline_states_no_disputed_figure_as_fact(desk: NewsDesk) -> None:
    await desk.ingest_paths([str(INBOX)])
    digest = await desk.digest(hours=24 * 60)
    [fire] = [i for i in digest.items if "warehouse" in i.headline.lower()]
    assert "52 families" not in fire.headline or "disputed" in fire.headline.lower()
