"""Cleaning across formats: markdown, HTML, plain text, JSON records, dates and languages.

All article text here is made up for the tests.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.news.cleaning import extract_article, finish_record
from bot.news.cleaning._bylines import tidy_authors

BODY = [
    "The city council voted on Tuesday to extend the night bus service across the river district until March.",
    "Transit director Ana Ruiz said the change would cost about $2 million a year and would be paid from parking fees.",
    '"People asked for this for years, and now they will get it," Ruiz said after the vote.',
    "Critics on the council said the money should have gone to repairing the older depots first.",
]


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# -- markdown ---------------------------------------------------------------------------------

MARKDOWN = f"""**The Riverside Post** · Local news since 1990

[Home](https://post.example/) · [City](https://post.example/city) · [About](https://post.example/about)

---

# Night buses will run all winter

*By Dana Whitfield · March 3, 2025 · 4 min read*

Share: [Facebook](https://facebook.example/s) · [Email](mailto:?subject=x)

![A night bus at the depot](https://post.example/bus.jpg)

{BODY[0]}

{BODY[1].replace("$2 million", "**$2 million**")}

## What riders can expect

- Buses every *twenty* minutes after midnight on weekdays.
- A [new stop](https://post.example/stop) at the hospital.

{BODY[2]}

{BODY[3]}

### Related Posts

- [Depot repairs delayed again](https://post.example/depot)

*Dana Whitfield can be reached at dana@riversidepost.example.*
"""


def test_markdown_title_from_heading_and_syntax_stripped() -> None:
    article = extract_article(MARKDOWN, "markdown")
    assert article.title == "Night buses will run all winter"
    assert article.outlet == "The Riverside Post"
    assert article.byline == ["Dana Whitfield"]
    assert article.published == datetime(2025, 3, 3, tzinfo=UTC)
    assert article.language == "en"
    text = article.text
    assert "**" not in text and "](" not in text and "http" not in text and "#" not in text
    assert "Transit director Ana Ruiz said the change would cost about $2 million a year" in text
    assert "What riders can expect" in _paragraphs(text)  # a subheading stays with its section
    assert "• A new stop at the hospital." in _paragraphs(text)
    assert "• Buses every twenty minutes after midnight on weekdays." in _paragraphs(text)
    for furniture in (
        "Share",
        "Facebook",
        "Related Posts",
        "Depot repairs",
        "can be reached",
        "Home",
        "4 min read",
    ):
        assert furniture not in text, furniture
    assert _paragraphs(text)[0] == BODY[0]
    assert _paragraphs(text)[-1] == BODY[3]


def test_markdown_front_matter_wins() -> None:
    source = (
        "---\ntitle: Bus plan approved\nauthor: Lee Park, Sam Ortiz\ndate: 2025-03-04T08:30:00+01:00\n"
        "source: Metro Wire\n---\n\n" + "\n\n".join(BODY)
    )
    article = extract_article(source, "markdown")
    assert article.title == "Bus plan approved"
    assert article.byline == ["Lee Park", "Sam Ortiz"]
    assert article.published == datetime(2025, 3, 4, 7, 30, tzinfo=UTC)
    assert article.outlet == "Metro Wire"
    assert _paragraphs(article.text) == BODY


def test_markdown_setext_heading_is_title() -> None:
    article = extract_article(
        "Bus plan approved by council\n============================\n\n" + "\n\n".join(BODY), "markdown"
    )
    assert article.title == "Bus plan approved by council"
    assert _paragraphs(article.text) == BODY


# -- HTML -------------------------------------------------------------------------------------

HTML = f"""<!doctype html>
<html lang="en"><head>
<title>Night buses will run all winter | The Riverside Post</title>
<meta property="og:site_name" content="The Riverside Post">
<meta property="og:title" content="Night buses will run all winter">
<meta name="author" content="Dana Whitfield">
<meta property="article:published_time" content="2025-03-03T09:15:00-05:00">
</head><body>
<header><a href="/">The Riverside Post</a><nav><ul><li><a href="/city">City</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>Night buses will run all winter</h1>
<p class="byline">By Dana Whitfield</p>
<p>{BODY[0]}</p>
<p>{BODY[1]}</p>
<p>Advertisement</p>
<p>{BODY[2]}</p>
<p>Share Facebook Twitter Email</p>
<p>{BODY[3]}</p>
</article></main>
<footer><p>© 2025 The Riverside Post. All rights reserved.</p><a href="/privacy">Privacy Policy</a></footer>
</body></html>"""


def test_html_body_and_metadata() -> None:
    article = extract_article(HTML, "html", url="https://www.riversidepost.example/city/night-buses")
    assert article.title == "Night buses will run all winter"
    assert article.outlet == "The Riverside Post"
    assert article.byline == ["Dana Whitfield"]
    assert article.published == datetime(2025, 3, 3, 14, 15, tzinfo=UTC)
    assert article.url == "https://www.riversidepost.example/city/night-buses"
    assert article.language == "en"
    paragraphs = _paragraphs(article.text)
    assert paragraphs == BODY
    for furniture in ("Advertisement", "Share", "Privacy", "Sport", "©"):
        assert furniture not in article.text


def test_html_author_names_are_tidied() -> None:
    names = ["JANE DOE Associated Press", "Carrie Arnold November", "CNN Business", "PTI", "Jane Doe"]
    assert tidy_authors(names, exclude=["CNN"]) == ["Jane Doe", "Carrie Arnold", "PTI"]


def test_html_without_an_article_falls_back_to_the_page_text() -> None:
    page = "<html><body>" + "".join(f"<div>{p}</div>" for p in BODY) + "</body></html>"
    article = extract_article(page, "html")
    for paragraph in BODY:
        assert paragraph[:40] in article.text


def test_html_empty_page_gives_empty_text() -> None:
    article = extract_article("<html><body><nav><a href='/'>Home</a></nav></body></html>", "html")
    assert article.text == ""


# -- plain text -------------------------------------------------------------------------------

PAGE = f"""METRO DAILY
Your city, every day

Home | City | Sport | Weather | Contact

Trending
• Storm warning for Friday night
• Schools close early for holidays

CITY

Night buses will run all winter

By Dana Whitfield and Lee Park | Staff Writers
Published March 3, 2025 at 9:15 a.m. ET | Updated March 3, 2025 at 1:00 p.m. ET

Share Facebook Twitter Email

A night bus waits at the central depot on Monday. (Photo: Sam Ortiz / Metro Daily)

{BODY[0]}

{BODY[1]}

Advertisement

Why now?

{BODY[2]}

"No."

{BODY[3]}

Dana Whitfield can be reached at dwhitfield@metrodaily.example.

Related Stories
• Depot repairs delayed again
• Bus drivers approve new contract

Leave a Reply
Your email address will not be published.

About Us: Metro Daily is the city's independent newspaper.
© 2025 Metro Daily. All rights reserved.
"""


def test_text_page_cleaned_and_described() -> None:
    article = extract_article(PAGE, "text", path="inbox/metro-daily_buses.txt")
    assert article.title == "Night buses will run all winter"
    assert article.outlet == "Metro Daily"
    assert article.byline == ["Dana Whitfield", "Lee Park"]
    assert article.published == datetime(2025, 3, 3, 14, 15, tzinfo=UTC)  # "Published", not "Updated"
    paragraphs = _paragraphs(article.text)
    assert paragraphs == [BODY[0], BODY[1], "Why now?", BODY[2], '"No."', BODY[3]]


GERMAN_PAGE = """STADTANZEIGER NORD
Startseite | Politik | Sport | Kultur

Meistgelesen
• Neue Brücke wird im Mai eröffnet
• Schwimmbad bleibt im Winter geschlossen

Nachtbusse fahren den ganzen Winter

Von Petra Schulz und Jan Berger
12. Februar 2025, 14:30 Uhr

Teilen Facebook Twitter E-Mail

Der Stadtrat hat am Dienstag beschlossen, dass die Nachtbusse bis März durch das Flussviertel fahren.

Die Kosten liegen bei rund zwei Millionen Euro im Jahr und werden aus den Parkgebühren bezahlt.

Anzeige

„Darauf haben die Leute lange gewartet", sagte Verkehrsdezernentin Ana Ruiz.

Mehr zum Thema
• Depot-Sanierung verzögert sich erneut
• Busfahrer stimmen neuem Tarifvertrag zu

Keine Kommentare
Kommentar schreiben

© 2025 Stadtanzeiger Nord
"""


def test_german_text_page() -> None:
    article = extract_article(GERMAN_PAGE, "text")
    assert article.title == "Nachtbusse fahren den ganzen Winter"
    assert article.outlet == "Stadtanzeiger Nord"
    assert article.byline == ["Petra Schulz", "Jan Berger"]
    assert article.published == datetime(2025, 2, 12, 14, 30, tzinfo=UTC)
    assert article.language == "de"
    paragraphs = _paragraphs(article.text)
    assert len(paragraphs) == 3
    assert paragraphs[2].startswith("„Darauf haben")
    for furniture in ("Anzeige", "Teilen", "Mehr zum Thema", "Kommentar", "Brücke", "Depot", "©"):
        assert furniture not in article.text, furniture


def test_hard_wrapped_text_is_unwrapped() -> None:
    wrapped = []
    for paragraph in BODY:
        words, line, lines = paragraph.split(), "", []
        for word in words:
            if len(line) + len(word) + 1 > 60:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        wrapped.append("\n".join(lines))
    article = extract_article("\n\n".join(wrapped), "text")
    assert _paragraphs(article.text) == BODY


def test_short_headline_above_the_body() -> None:
    article = extract_article("Buses return\n\n" + "\n\n".join(BODY), "text")
    assert article.title == "Buses return"
    assert _paragraphs(article.text) == BODY


def test_text_without_any_furniture_is_kept_whole() -> None:
    article = extract_article("\n".join(BODY), "text")
    assert _paragraphs(article.text) == BODY
    assert article.title is None


def test_empty_and_blank_pages() -> None:
    assert extract_article("", "text").text == ""
    assert extract_article(" \n\n \t\n", "markdown").text == ""


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError):
        extract_article("x", "pdf")  # type: ignore[arg-type]


# -- records ----------------------------------------------------------------------------------


def test_record_fields_win_and_text_is_tidied() -> None:
    text = (
        "Night buses will run all winter\n\n" + f"{BODY[0]}\n\nAdvertisement\n\n  {BODY[1]}   \n\n\n{BODY[2]}"
    )
    article = finish_record(
        text=text,
        title="Night buses will run all winter",
        outlet="Metro Daily",
        published=datetime(2025, 3, 3, 9, 15, tzinfo=timezone(timedelta(hours=-5))),
        url="https://metrodaily.example/buses",
        byline=["Dana Whitfield", "Dana Whitfield"],
    )
    assert article.title == "Night buses will run all winter"
    assert article.outlet == "Metro Daily"
    assert article.byline == ["Dana Whitfield"]
    assert article.published == datetime(2025, 3, 3, 14, 15, tzinfo=UTC)
    assert article.url == "https://metrodaily.example/buses"
    assert article.language == "en"
    assert _paragraphs(article.text) == BODY[:3]  # headline line and "Advertisement" gone


def test_record_metadata_inferred_from_text_only_when_missing() -> None:
    text = f"By Dana Whitfield\n\n{BODY[0]}\n\n{BODY[1]}\n\nSource: Metro Wire"
    article = finish_record(text=text, title=None, outlet=None, published=None, url=None, byline=None)
    assert article.byline == ["Dana Whitfield"]
    assert article.outlet == "Metro Wire"
    assert _paragraphs(article.text) == BODY[:2]
    given = finish_record(
        text=text, title=None, outlet="Other Paper", published=None, url=None, byline=["Kim Lee"]
    )
    assert given.outlet == "Other Paper"
    assert given.byline == ["Kim Lee"]


def test_record_naive_date_is_taken_as_utc_and_outlet_from_url() -> None:
    article = finish_record(
        text=BODY[0],
        title=None,
        outlet=None,
        published=datetime(2025, 3, 3, 9, 0),
        url="https://www.nytimes.com/x",
        byline=None,
    )
    assert article.published == datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    assert article.outlet == "The New York Times"
