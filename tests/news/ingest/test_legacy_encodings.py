"""Drop-folder files that are not UTF-8: read in the encoding they most likely use, and say which."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.news import read_file

LATIN = (
    "Harbor council approves café budget\n\n"
    "“Our members didn’t want this strike,” said Dmitri Okafor, président of the union — "
    "the ferry costs €5 a trip.\n\n"
    "La niña del alcalde está bien, dijo el portavoz. Der Bürgermeister sagte, die Straße "
    "bleibe geschlossen; größere Schäden gab es nicht."
)
CYRILLIC = (
    "Паром не ходит\n\n"
    "Мэр города заявил во вторник, что паром не будет ходить до понедельника, сообщили чиновники.\n\n"
    "Забастовка продолжается, и жители острова ждут новостей о переговорах."
)


@pytest.mark.parametrize(
    ("text", "encoding", "said"),
    [(LATIN, "cp1252", "cp1252"), (CYRILLIC, "cp1251", "cp1251")],
)
def test_non_utf8_files_are_decoded_and_the_encoding_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, text: str, encoding: str, said: str
) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(text.encode(encoding))
    with caplog.at_level(logging.WARNING):
        result = read_file("page.txt", path, 1_000_000)
    assert not result.rejections and len(result.items) == 1
    body = result.items[0].article.title or ""
    body += "\n" + result.items[0].article.text
    for phrase in text.split("\n\n")[1].split()[:6]:
        assert phrase.strip("“”,.") in body
    assert [r for r in caplog.records if said in r.getMessage() and "not UTF-8" in r.getMessage()]


def test_latin1_only_text_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(
        LATIN.replace("“", '"')
        .replace("”", '"')
        .replace("’", "'")
        .replace(" — ", ", ")
        .replace("€5", "5 euros")
        .encode("latin-1")
    )
    result = read_file("page.txt", path, 1_000_000)
    article = result.items[0].article
    assert "niña" in article.text and "Straße" in article.text and "größere" in article.text


def test_a_legacy_file_rejected_for_its_content_says_how_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes("Café".encode("latin-1"))
    result = read_file("short.txt", path, 1_000_000)
    [rejection] = result.rejections
    assert "not UTF-8" in rejection.reason and "read as cp1252" in rejection.reason
