"""Dates and languages as the cleaner reads them (parse_date, detect_language)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.news.cleaning._extract import detect_language, parse_date

# -- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Feb 22, 2025  |", datetime(2025, 2, 22, tzinfo=UTC)),
        ("By TeamFebruary 12, 2025No Comments5 Mins Read", datetime(2025, 2, 12, tzinfo=UTC)),
        ("2025-02-12T10:00:00Z", datetime(2025, 2, 12, 10, tzinfo=UTC)),
        ("2025-02-12T10:00:00-05:00", datetime(2025, 2, 12, 15, tzinfo=UTC)),
        ("2025-02-12 10:00:00", datetime(2025, 2, 12, 10, tzinfo=UTC)),
        ("Wed, 12 Feb 2025 15:04:05 +0100", datetime(2025, 2, 12, 14, 4, 5, tzinfo=UTC)),
        ("Wed, 12 Feb 2025 15:04:05 GMT", datetime(2025, 2, 12, 15, 4, 5, tzinfo=UTC)),
        ("Published Feb. 12, 2025 at 3:45 p.m. ET", datetime(2025, 2, 12, 20, 45, tzinfo=UTC)),
        ("June 3, 2025 10:00 ET", datetime(2025, 6, 3, 14, 0, tzinfo=UTC)),  # summer time in New York
        ("Posted: Nov 12, 2026 / 05:58 PM EST", datetime(2026, 11, 12, 22, 58, tzinfo=UTC)),
        ("12. Februar 2025", datetime(2025, 2, 12, tzinfo=UTC)),
        ("12 de febrero de 2025", datetime(2025, 2, 12, tzinfo=UTC)),
        ("1er mars 2025", datetime(2025, 3, 1, tzinfo=UTC)),
        ("12.02.2025", datetime(2025, 2, 12, tzinfo=UTC)),
        ("02/12/2025", datetime(2025, 2, 12, tzinfo=UTC)),
        ("13/02/2025", datetime(2025, 2, 13, tzinfo=UTC)),
        ("1739370000", datetime(2025, 2, 12, 14, 20, tzinfo=UTC)),
        ("1739370000000", datetime(2025, 2, 12, 14, 20, tzinfo=UTC)),
        ("Sunday, June 15", None),  # no year: unknown rather than guessed
        ("2025-02-30", None),
        ("99999-01-01", None),
        ("not a date", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_parse_date(value: str | None, expected: datetime | None) -> None:
    parsed = parse_date(value)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is UTC


def test_parse_date_never_raises_on_odd_input() -> None:
    for odd in (12345, b"2025-01-01", ["2025"], "9" * 500, "2025-13-45T99:99", "\x00\x01", "Feb 31, 2025"):
        assert parse_date(odd) is None  # type: ignore[arg-type]


# -- language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The council said on Tuesday that the buses would run through the winter.", "en"),
        ("Der Stadtrat hat am Dienstag beschlossen, dass die Nachtbusse den ganzen Winter fahren.", "de"),
        ("Le conseil municipal a décidé mardi que les bus de nuit rouleront tout l'hiver.", "fr"),
        ("El consejo dijo el martes que los autobuses nocturnos funcionarán durante todo el invierno.", "es"),
        (
            "Il consiglio ha deciso martedì che gli autobus notturni saranno in servizio per tutto l'inverno.",
            "it",
        ),
        ("De gemeenteraad heeft dinsdag besloten dat de nachtbussen de hele winter blijven rijden.", "nl"),
        (
            "O conselho decidiu na terça-feira que os ônibus noturnos vão circular durante todo o inverno.",
            "pt",
        ),
        ("Городской совет во вторник решил, что ночные автобусы будут ходить всю зиму.", "ru"),
        ("Міська рада у вівторок вирішила, що нічні автобуси їздитимуть усю зиму.", "uk"),
    ],
)
def test_detect_language(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "ok", "12345 67890", "Xyzzy plugh qwerty zxcvb"])
def test_detect_language_unknown(text: str) -> None:
    assert detect_language(text) is None
