"""Figures as a channel saw them, and the one-line notes when they move or split.

A figure is keyed by what it counts ("killed"); its lead value is the latest for a developing
toll, else the value most outlets give (ties: the latest). A move is a new lead ("killed: 8 → 15;
one outlet still says 8"); a split is an outlet leaving a figure the outlets agreed on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from bot.news.models import Comparison, NumberComparison, NumberValue

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


class FigureSeen(BaseModel):
    """One figure of a story: each outlet's latest value and the lead value."""

    label: str
    by_outlet: dict[str, float] = Field(default_factory=dict)
    lead: float
    developing: bool = False
    disputed: bool = False


def fmt(value: float) -> str:
    """15.0 -> '15', 1500000 -> '1,500,000', 2.5 -> '2.5'."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _say(n: int) -> str:
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)


def _key(c: NumberComparison) -> str:
    return f"{c.kind or ''}|{(c.counts or c.about).casefold()}"


def _when(v: NumberValue) -> datetime:
    return v.published or _EPOCH


def _seen(c: NumberComparison, disputed: bool) -> FigureSeen | None:
    values = sorted((v for v in c.values if v.normalized is not None), key=_when)
    if not values:
        return None
    by_outlet = {v.outlet: float(v.normalized) for v in values if v.normalized is not None}
    if c.developing:
        lead = float(values[-1].normalized or 0.0)
    else:
        tally = Counter(by_outlet.values())
        latest = {float(v.normalized or 0.0): n for n, v in enumerate(values)}
        lead = max(tally, key=lambda x: (tally[x], latest.get(x, -1)))
    return FigureSeen(
        label=c.counts or c.about, by_outlet=by_outlet, lead=lead,
        developing=c.developing, disputed=disputed and not c.developing,
    )  # fmt: skip


def figure_states(comparison: Comparison) -> dict[str, FigureSeen]:
    """Every compared figure of the story by key (agreements and discrepancies)."""
    out: dict[str, FigureSeen] = {}
    for c in comparison.agreements:
        if (seen := _seen(c, disputed=False)) is not None:
            out[_key(c)] = seen
    for c in comparison.discrepancies:  # a discrepancy wins over an agreement on the same key
        if (seen := _seen(c, disputed=True)) is not None:
            out[_key(c)] = seen
    return out


def card_lines(figures: Mapping[str, FigureSeen], limit: int = 5) -> list[str]:
    """Developing and disputed figures as a live card shows them."""
    lines: list[str] = []
    for f in figures.values():
        others = sorted({v for v in f.by_outlet.values() if v != f.lead})
        if f.developing:
            lines.append(f"{f.label}: {fmt(f.lead)} (rising as reports come in)")
        elif f.disputed and others:
            also = ", ".join(fmt(v) for v in others)
            lines.append(f"{f.label}: {fmt(f.lead)} (disputed: also {also})")
    return lines[:limit]


def _stale_note(outlets: Sequence[str], value: float) -> str:
    if not outlets:
        return ""
    verb = "still says" if len(outlets) == 1 else "still say"
    return f"; {_say(len(outlets))} outlet{'' if len(outlets) == 1 else 's'} {verb} {fmt(value)}"


def figure_moves(before: Mapping[str, FigureSeen], after: Mapping[str, FigureSeen]) -> list[str]:
    """One line per figure that moved ("killed: 8 → 15; one outlet still says 8") or split from
    the rest ("killed: Herald says 12, the others 15"); nothing for figures that stayed put."""
    lines: list[str] = []
    for key, now in after.items():
        was = before.get(key)
        if was is None:
            continue
        if now.lead != was.lead:
            stale = sorted(o for o, v in now.by_outlet.items() if v == was.lead)
            lines.append(f"{now.label}: {fmt(was.lead)} → {fmt(now.lead)}{_stale_note(stale, was.lead)}")
            continue
        apart = {o: v for o, v in now.by_outlet.items() if v != now.lead}
        newly = {o: v for o, v in apart.items() if was.by_outlet.get(o, was.lead) == was.lead}
        if newly:
            says = ", ".join(f"{o} says {fmt(v)}" for o, v in sorted(newly.items()))
            lines.append(f"{now.label}: {says}, the others {fmt(now.lead)}")
    return lines


def new_figures(before: Mapping[str, FigureSeen], after: Mapping[str, FigureSeen]) -> list[str]:
    """Developing or disputed figures the channel has not seen at all."""
    fresh = {k: f for k, f in after.items() if k not in before}
    return [f"new figure, {line}" for line in card_lines(fresh)]
