"""The coverage picture as a PNG: a valid image, phone-sized, small enough for Discord, drawn for
the real seed story; and its time axis ticks at round moments with dates."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from PIL import Image

from bot.news.coverage import build_coverage, render_png
from bot.news.coverage._axis import ticks, window
from bot.news.coverage._glyphs import drawable, printable
from bot.news.desk import NewsDesk
from bot.news.models import Story, StoryArticle
from tests.paths import SEEDS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
AIM_BYTES = 200 * 1024  # the brief's aim; Discord's own limit is 8 MiB and more


def check_png(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) < AIM_BYTES
    image = Image.open(io.BytesIO(png))
    image.verify()  # the whole stream decodes: chunks and CRCs are sound
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    width, height = image.size
    assert width == 1000 and 200 <= height <= 1000  # wide enough to read on a phone, not a scroll
    return image


async def test_the_seed_story_draws_as_a_phone_sized_png(desk: NewsDesk) -> None:
    report = await desk.ingest_paths([str(SEEDS)])
    (story_id,) = {report.story_of[ref] for ref in report.new}
    story = await desk.story(story_id)
    cov = build_coverage(story, await desk.compare(story_id))
    assert len(cov.rows) == len(story.outlets) == 5
    image = check_png(render_png(cov))
    # Dark card, light text: many pixels far from the background, so something was drawn.
    grey = image.convert("L")
    histogram = grey.histogram()
    assert sum(histogram[200:]) > 2000 and sum(histogram[:60]) > image.width * image.height // 2


def test_many_outlets_and_a_developing_figure_stay_within_limits() -> None:
    t0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    arts = [
        StoryArticle(
            ref=f"a{n}", outlet=f"Süddeutsche Outlet Number {n} — Region", published=t0 + timedelta(hours=n)
        )
        for n in range(30)
    ]
    story = Story(
        id=1,
        headline="Ünïcode headline – with dashes → and 日本",
        first_seen=t0,
        last_updated=t0,
        articles=arts,
    )
    cov = build_coverage(story)
    check_png(render_png(cov))


def test_one_undated_article_still_draws() -> None:
    t0 = datetime(2026, 3, 2, tzinfo=UTC)
    story = Story(id=1, headline="x", first_seen=t0, last_updated=t0, articles=[StoryArticle(ref="a")])
    check_png(render_png(build_coverage(story)))


def test_text_is_reduced_to_what_the_bundled_font_draws() -> None:
    ok = drawable()
    assert "a" in ok and "é" not in ok  # if a Pillow release adds accents, printable() keeps them
    assert printable("Café Zürich – Straße") == "Cafe Zurich - Strasse"
    assert set(printable("東京 news")) <= ok


def test_ticks_are_round_moments_with_dates_in_the_window() -> None:
    start = datetime(2026, 3, 2, 7, 40, tzinfo=UTC)
    lo, hi = window(start, start + timedelta(hours=9))
    hourly = ticks(lo, hi)
    assert 2 <= len(hourly) <= 6
    assert all(lo <= t.when <= hi and t.when.minute == 0 for t in hourly)
    assert hourly[0].date == "02 Mar" and all(t.label.endswith(":00") for t in hourly)
    lo, hi = window(start, start + timedelta(days=20))
    daily = ticks(lo, hi)
    assert 2 <= len(daily) <= 6 and all(t.when.hour == 0 for t in daily)
    assert daily[0].date == "2026" and all(t.date == "" for t in daily[1:])
    lo, hi = window(start, start + timedelta(days=400))
    monthly = ticks(lo, hi)
    assert all(t.when.day == 1 for t in monthly) and any(t.date == "2027" for t in monthly)
    lo, hi = window(start, start)
    assert hi - lo == timedelta(hours=24) and ticks(lo, hi)
