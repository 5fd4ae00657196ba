"""Drawing the coverage picture with Pillow: outlet rows on a shared time axis, then the developing
figure as a step line. Drawn at twice the size and scaled down, as Pillow draws without anti-aliasing.
Colours are fixed on an opaque dark card so it reads the same in Discord's dark and light themes."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from bot.news.coverage._axis import Tick, ticks, window
from bot.news.coverage._data import Coverage, FigureSeries
from bot.news.coverage._glyphs import printable

WIDTH = 1000  # pixels of the PNG; Discord shows it full width on a phone
S = 2  # supersampling factor
BG, BAND, GRID = (21, 24, 30), (31, 35, 44), (66, 72, 86)
TEXT, MUTED = (245, 245, 245), (178, 186, 198)
MARK, FIGURE = (255, 182, 0), (64, 200, 255)
PAD, ROW, NAME_W, NO_DATE_W = 24, 44, 300, 78
FIG_H = 190


@cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled font at `size` (scaled for supersampling): no system fonts needed."""
    return ImageFont.load_default(size=size * S)


def fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> str:
    """`text`, cut with an ellipsis to fit `width` (picture pixels)."""
    f = font(size)
    text = printable(text)
    if draw.textlength(text, font=f) <= width * S:
        return text
    while text and draw.textlength(text + "…", font=f) > width * S:
        text = text[:-1]
    return text.rstrip() + "…"


@dataclass
class Canvas:
    """The image being drawn, in picture pixels (multiplied by S here, once)."""

    image: Image.Image
    draw: ImageDraw.ImageDraw

    def text(
        self, x: float, y: float, s: str, size: int, fill: tuple[int, int, int], anchor: str = "la"
    ) -> None:
        self.draw.text((x * S, y * S), printable(s), font=font(size), fill=fill, anchor=anchor)

    def line(self, points: list[tuple[float, float]], fill: tuple[int, int, int], width: int = 1) -> None:
        self.draw.line([(x * S, y * S) for x, y in points], fill=fill, width=width * S, joint="curve")

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple[int, int, int]) -> None:
        self.draw.rectangle((x0 * S, y0 * S, x1 * S, y1 * S), fill=fill)

    def dot(self, x: float, y: float, r: float, fill: tuple[int, int, int], hollow: bool = False) -> None:
        box = ((x - r) * S, (y - r) * S, (x + r) * S, (y + r) * S)
        if hollow:
            self.draw.ellipse(box, fill=BG, outline=fill, width=3 * S)
        else:
            self.draw.ellipse(box, fill=fill, outline=BG, width=S)


@dataclass(frozen=True)
class TimeScale:
    lo: datetime
    hi: datetime
    x0: float
    x1: float

    def x(self, when: datetime) -> float:
        share = (when - self.lo) / (self.hi - self.lo)
        return self.x0 + share * (self.x1 - self.x0)


def _height(cov: Coverage) -> int:
    rows = len(cov.rows) + (1 if cov.hidden_outlets else 0)
    figure = FIG_H + 50 if cov.figures else 0
    return 96 + rows * ROW + 66 + figure + 44


def _header(c: Canvas, cov: Coverage, tz_name: str) -> None:
    c.text(PAD, PAD - 4, fit(c.draw, cov.headline, 30, WIDTH - 2 * PAD), 30, TEXT)
    outlets = len(cov.rows) + cov.hidden_outlets
    copies = sum(m.copy for m in cov.marks())
    info = f"Story {cov.story_id} · {cov.articles} articles from {outlets} outlets"
    if copies:
        info += f" · {copies} repeat another report"
    c.text(PAD, PAD + 36, f"{info} · times in {tz_name}", 21, MUTED)


def _rows(c: Canvas, cov: Coverage, scale: TimeScale | None, top: float) -> None:
    undated = any(m.published is None for m in cov.marks())
    lines = [(row.outlet, row.marks, TEXT) for row in cov.rows]
    if cov.hidden_outlets:  # the rest share a row, so the picture still shows when they published
        lines.append((f"+ {cov.hidden_outlets} more outlets", cov.others, MUTED))
    for i, (name, marks, colour) in enumerate(lines):
        y = top + i * ROW
        if i % 2 == 0:
            c.rect(PAD, y, WIDTH - PAD, y + ROW, BAND)
        c.text(PAD + 8, y + ROW / 2, fit(c.draw, name, 25, NAME_W - 16), 25, colour, "lm")
        seen: dict[int, int] = {}
        for m in marks:
            x = scale.x(m.published) if m.published and scale else WIDTH - PAD - NO_DATE_W / 2
            # Several articles at one moment: nudge each so all stay visible.
            n = seen[round(x)] = seen.get(round(x), -1) + 1
            c.dot(x + 9 * n, y + ROW / 2, 10, MARK, hollow=m.copy)
    if undated:  # the gutter for pages that gave no date, set off from the time axis
        c.text(WIDTH - PAD - NO_DATE_W / 2, top - 6, "no date", 19, MUTED, "ms")
        gutter = WIDTH - PAD - NO_DATE_W
        c.line([(gutter, top), (gutter, top + len(lines) * ROW)], GRID, 2)


def _grid(c: Canvas, scale: TimeScale, marks: list[Tick], top: float, bottom: float) -> None:
    for t in marks:
        x = scale.x(t.when)
        c.line([(x, top), (x, bottom)], GRID)


def _axis(c: Canvas, scale: TimeScale, marks: list[Tick], y: float) -> None:
    c.line([(scale.x0, y), (scale.x1, y)], MUTED)
    for t in marks:
        x = scale.x(t.when)
        c.line([(x, y), (x, y + 6)], MUTED)
        c.text(x, y + 10, t.label, 21, TEXT, "ma")
        if t.date:
            c.text(x, y + 36, t.date, 19, MUTED, "ma")


def _value(v: float) -> str:
    return f"{v:,.0f}" if v == int(v) else f"{v:g}"


def _figure(c: Canvas, fig: FigureSeries, scale: TimeScale, top: float) -> None:
    steps = fig.steps()
    rise = f"from {_value(steps[0][1])} to {_value(steps[-1][1])}"
    c.text(PAD, top, f"{fig.counts}: {rise} as reports came in", 24, FIGURE)
    c.text(WIDTH - PAD, top + 3, "line: highest figure reported so far", 19, MUTED, "ra")
    lo = min(p.value for p in fig.points)
    hi = max(p.value for p in fig.points)
    y0, y1 = top + 62, top + FIG_H - 20  # y1 is the lowest value

    def y(v: float) -> float:
        return y1 - (v - lo) / ((hi - lo) or 1) * (y1 - y0)

    c.text(PAD + NAME_W - 12, y(hi), _value(hi), 21, TEXT, "rm")
    c.text(PAD + NAME_W - 12, y(lo), _value(lo), 21, TEXT, "rm")
    line: list[tuple[float, float]] = []
    for when, level in steps:
        if line:
            line.append((scale.x(when), line[-1][1]))
        line.append((scale.x(when), y(level)))
    line.append((scale.x1, line[-1][1]))
    c.line(line, FIGURE, 3)
    for i, p in enumerate(fig.points):
        px, py = scale.x(p.when), y(p.value)
        c.dot(px, py, 8, TEXT)
        label = fit(c.draw, f"{_value(p.value)} {p.outlet}", 19, 230)
        # Alternate labels above and below so neighbours do not overwrite each other; in the
        # right half they go to the left of the point, so they stay inside the picture.
        right = px > (scale.x0 + scale.x1) / 2
        dy = -18 if i % 2 == 0 else 18
        c.text(px - 12 if right else px + 12, py + dy, label, 19, MUTED, "rm" if right else "lm")


def _legend(c: Canvas, y: float, copies: bool) -> None:
    c.dot(PAD + 10, y, 9, MARK)
    c.text(PAD + 26, y, "independent report", 20, MUTED, "lm")
    if not copies:  # a key for marks that are not drawn would only puzzle
        return
    c.dot(PAD + 250, y, 9, MARK, hollow=True)
    c.text(PAD + 266, y, "repeats another outlet's report", 20, MUTED, "lm")


def render_png(cov: Coverage, tz: tzinfo = UTC, tz_name: str = "UTC") -> bytes:
    """The coverage picture as PNG bytes (about 1000 px wide; tens of kilobytes)."""
    height = _height(cov)
    image = Image.new("RGB", (WIDTH * S, height * S), BG)
    c = Canvas(image, ImageDraw.Draw(image))
    _header(c, cov, tz_name)
    span = cov.span()
    undated = any(m.published is None for m in cov.marks())
    x1 = WIDTH - PAD - 16 - (NO_DATE_W if undated else 0)
    scale = TimeScale(*window(*span), PAD + NAME_W, x1) if span else None
    top = 100.0
    marks = ticks(scale.lo, scale.hi, tz) if scale else []
    bottom = top + (len(cov.rows) + (1 if cov.hidden_outlets else 0)) * ROW
    fig_top = bottom + 14
    plot_bottom = fig_top + FIG_H + 14 if cov.figures and scale else bottom
    if scale:
        _grid(c, scale, marks, top, plot_bottom)
    _rows(c, cov, scale, top)
    if cov.figures and scale:
        _figure(c, cov.figures[0], scale, fig_top)
    if scale:
        _axis(c, scale, marks, plot_bottom)
    _legend(c, height - 26, any(m.copy for m in cov.marks()))
    # Averaging 2x2 blocks smooths the edges; a palette of 64 colours keeps the file small (the
    # picture is flat colours and their anti-aliased edges).
    out = image.reduce(S)
    buf = io.BytesIO()
    # zlib's default level, not `optimize` (its slowest search): the 20-article bench story's
    # picture takes 33 ms of CPU instead of 62, for 25 KB instead of 23 (drawn beside answers).
    out.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(buf, "PNG", compress_level=6)
    return buf.getvalue()
