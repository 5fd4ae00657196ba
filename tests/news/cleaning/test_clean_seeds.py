"""The five seed pages: every body paragraph kept, every piece of site furniture dropped, metadata read.

Expectations come from reading the pages; fragments are short on purpose (no article text is
copied into the repository).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from bot.news.cleaning import extract_article
from bot.news.models import ExtractedArticle
from tests.paths import SEEDS


@dataclass(frozen=True)
class Seed:
    name: str
    title: str | None
    outlet: str | None
    byline: list[str]
    published: datetime | None
    paragraphs: int  # body paragraphs on the page, counted by hand
    kept: list[str] = field(default_factory=list)  # fragments of body paragraphs (short ones included)
    whole: list[str] = field(default_factory=list)  # short paragraphs that must survive as paragraphs
    dropped: list[str] = field(default_factory=list)  # fragments of furniture lines


SEED_EXPECTATIONS = [
    Seed(
        "000_70d434902628a46d.txt",
        title="Trump holds ‘productive’ 90-minute phone call with Putin over Ukraine war",
        outlet="The Washington Times",  # the reporters' newsroom (e-mail domain), not the aggregator's masthead
        byline=["Mike Glenn", "Mallory Wilson"],
        published=datetime(2025, 2, 22, tzinfo=UTC),
        paragraphs=40,
        kept=["President Trump revealed Wednesday", "Tass news service", "contributed to this story"],
        whole=["Hegseth in Brussels", "’Stark strategic realities’"],
        dropped=[
            "THE AMERICA ONE NEWS",
            "Remer,MN",
            "Sponsor:",
            "QWIKET",
            "NextImg",
            "Mallory Wilson and Mallory Wilson",
            "Advertisement",
            "can be reached at",
            "@washingtontimes.com",
        ],
    ),
    Seed(
        "001_94964bd32c6f4ae5.txt",
        title="Trump To Open Talks With Putin Over Ukraine",  # no headline: the cited source's
        outlet=None,
        byline=[],
        published=None,
        paragraphs=30,
        kept=[
            "agreed to open immediate talks",
            "Keeping Russia’s economic interactions",
            "adding it must be secure.”",
        ],
        whole=["Hegseth's statement could be more positioning to ease Putin into talks, he said."],
        dropped=["Komentarų nėra", "Rašyti komentarą", "Cullison, Alan", "Eastern edition", "[1]"],
    ),
    Seed(
        "002_f15fed82b23fc674.txt",
        title="Trump Says Call With Putin Is Beginning of Ukraine Peace Negotiations",
        outlet="Benjamin Franklin Institute",
        byline=[],  # "By Team_Benjamin Franklin Institute" is the site itself, not a person
        published=datetime(2025, 2, 12, tzinfo=UTC),
        paragraphs=20,
        kept=["lengthy and highly productive phone call", "He can’t be thrilled", "Europe needed to assume"],
        whole=["Farnaz Fassihi and Julian E. Barnes contributed reporting."],
        dropped=[
            "Close Menu",
            "Trending",
            "Meta AI searches made public",
            "Grammys Adds New Country",
            "Sunday, June 15",
            "Home»International",
            "Team_Benjamin",
            "Mins Read",
            "Pinterest",
            "Source link",
            "Related Posts",
            "Tariffs Intact",
            "June 11, 2025",
            "Editors Picks",
            "Jayden Daniels",
            "About Us",
            "Welcome to Benjamin Franklin Institute",
            "supports free speech",
            "Latest Posts",
            "Subscribe for Updates",
            "Paid for by",
            "Privacy Policy",
            "Press Esc to cancel",
        ],
    ),
    Seed(
        "003_d2aacb7d845186f1.txt",
        title="Trump: Putin and Selensky want peace; phone calls initiate talks to end the war",
        outlet="Reuters",  # "Source: Reuters"
        byline=["Thomas Weyermann"],
        published=None,
        paragraphs=19,
        kept=[
            "Donald Trump discussed the war",
            "first major diplomatic step",
            "must come from European allies",
        ],
        whole=[
            "“Pursuing this illusory goal will only prolong the war and cause more suffering.”",
            "Meanwhile, there is little in the press within the European Union about these peace negotiations?",
        ],
        dropped=[
            "Back to Station",
            "Author:",
            "Source:",
            "Advertisement",
            "Villa",
            "Neo Chorio Paphos",
            "View Property",
            "MF Radio Cyprus",
            "Adore You",
            "Album Art",
        ],
    ),
    Seed(
        "004_cbfccc0950cc24d7.txt",
        title="Trump and Putin Agree to Begin Ukraine Peace Talks Immediately",
        outlet=None,
        byline=[],
        published=None,  # the only dates are in the photo caption
        paragraphs=21,
        kept=["Former President Donald Trump announced", "territorial integrity."],
        whole=[
            "Shifting U.S. Stance on Ukraine",
            "A Path to Peace?",
            "Meeting Set for Munich",
            "The Political Debate Continues",
        ],
        dropped=[
            "//",
            "News is knowledge",
            "President Donald J. Trump, Feb. 11",
            "Post a Comment",
            "Embedded Mode",
            "Previous Post",
        ],
    ),
]


@pytest.fixture(scope="module")
def extracted() -> dict[str, ExtractedArticle]:
    return {
        seed.name: extract_article((SEEDS / seed.name).read_text(encoding="utf-8"), "text", path=seed.name)
        for seed in SEED_EXPECTATIONS
    }


@pytest.mark.parametrize("seed", SEED_EXPECTATIONS, ids=lambda s: s.name[:3])
def test_every_body_paragraph_is_kept(seed: Seed, extracted: dict[str, ExtractedArticle]) -> None:
    article = extracted[seed.name]
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == seed.paragraphs
    for fragment in seed.kept:
        assert fragment in article.text, fragment
    for short in seed.whole:
        assert short in paragraphs, short


@pytest.mark.parametrize("seed", SEED_EXPECTATIONS, ids=lambda s: s.name[:3])
def test_every_clutter_line_is_dropped(seed: Seed, extracted: dict[str, ExtractedArticle]) -> None:
    article = extracted[seed.name]
    for fragment in seed.dropped:
        assert fragment not in article.text, fragment
    if seed.title:
        assert seed.title not in article.text.split("\n\n")  # the headline is metadata, not body


@pytest.mark.parametrize("seed", SEED_EXPECTATIONS, ids=lambda s: s.name[:3])
def test_metadata(seed: Seed, extracted: dict[str, ExtractedArticle]) -> None:
    article = extracted[seed.name]
    assert article.title == seed.title
    assert article.outlet == seed.outlet
    assert article.byline == seed.byline
    assert article.published == seed.published
    assert article.language == "en"
    assert article.quotes == []


def test_seed_pages_are_all_covered() -> None:
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(s.name for s in SEED_EXPECTATIONS)
