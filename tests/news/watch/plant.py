"""A made-up story written for these tests (no publisher's text): an explosion at a chemical plant
whose death toll rises through the day as four outlets report, one of them quoting the fire chief."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.news.models import ExtractedArticle

T0 = datetime(2026, 1, 4, 20, 0, tzinfo=UTC)  # the evening before the e2e tests' first digest

# (outlet, hours after T0, text)
REPORTS: list[tuple[str, float, str]] = [
    (
        "Ashford Wire",
        1,
        "An explosion tore through the Delmont chemical plant in Ashford County on Monday morning. "
        "The blast at the Delmont chemical plant killed three people, officials said. "
        "Firefighters from four towns fought the blaze at the Delmont plant for most of the day. "
        "Residents within two miles of the plant were told to keep their windows shut. "
        "The cause of the explosion at the Delmont chemical plant is not yet known.",
    ),
    (
        "County Gazette",
        4,
        "The explosion at the Delmont chemical plant in Ashford County killed eight people, the fire "
        "chief said on Monday. Firefighters battled the blaze at the Delmont plant for hours after the "
        "blast. Residents near the Delmont chemical plant were told to stay indoors and keep windows "
        "shut. Investigators have not said what caused the explosion at the Delmont chemical plant.",
    ),
    (
        "Valley Herald",
        9,
        "The explosion at the Delmont chemical plant in Ashford County killed 15 people, officials "
        "said on Monday night. “We are still searching the east wing of the building,” said fire "
        "chief Dana Whitfield. Firefighters fought the blaze at the Delmont plant through the "
        "afternoon. The plant's owner, Corvane Industries, was fined twice last year for storing "
        "solvents beside the boiler room. Residents near the Delmont chemical plant were told to "
        "keep their windows shut.",
    ),
    (
        "Evening Tribune",
        10,
        "Officials said 15 people were killed in the explosion at the Delmont chemical plant in "
        "Ashford County. Firefighters fought the blaze at the Delmont plant for most of the day. "
        "Investigators have not yet said what caused the blast at the Delmont chemical plant. "
        "Residents near the Delmont chemical plant were told to stay indoors.",
    ),
]


def report(n: int) -> ExtractedArticle:
    """The n-th report (0-based) as an extracted article."""
    outlet, hours, text = REPORTS[n]
    slug = outlet.lower().replace(" ", "-")
    return ExtractedArticle(
        title=f"Delmont chemical plant explosion: {outlet}",
        outlet=outlet,
        published=T0 + timedelta(hours=hours),
        url=f"https://{slug}.example/delmont-explosion",
        language="en",
        text=text,
    )
