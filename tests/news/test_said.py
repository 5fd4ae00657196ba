"""Who said it, on the engine: the speaker index follows new versions of an article, names are found
by any spelling close enough, and one person's statements come from several stories."""

from __future__ import annotations

from pathlib import Path

from bot.news.desk import NewsDesk
from bot.news.store import speaker_tokens
from tests.clock import FakeClock

FERRY = (
    "Millbrook to reopen river ferry\n\n"
    "The Millbrook council voted on Tuesday to reopen the old river ferry after a two-year closure.\n\n"
    'Council chair Dana Okafor said the service would resume in March. "We owe the east bank a crossing," '
    "she said.\n\nThe ferry will run every 40 minutes on weekdays, according to the transport office."
)
LIBRARY = (
    "Public library to stay open late for students during exam season\n\n"
    "Reading rooms will stay open until 9 p.m. on weekdays from next month, with extra staff and "
    "free coffee for students preparing for exams.\n\n"
    '"Students asked for evenings, and we listened," Dana Okafor said on Friday. '
    "The change costs about $40,000 a year, the budget office said."
)


def test_speaker_words_drop_titles_and_accents() -> None:
    assert speaker_tokens("Dr. José  Álvarez-Ruiz") == {"jose", "alvarez-ruiz"}
    assert speaker_tokens("President Zelenskyy") == {"zelenskyy"}
    assert speaker_tokens(None) == set() and speaker_tokens("Mr.") == set()


async def test_said_across_stories_and_new_versions(desk: NewsDesk, tmp_path: Path, clock: FakeClock) -> None:
    ferry, library = tmp_path / "ferry.txt", tmp_path / "library.txt"
    ferry.write_text(FERRY, encoding="utf-8")
    await desk.ingest_paths([str(ferry)])
    clock.advance(days=10)
    library.write_text(LIBRARY, encoding="utf-8")
    await desk.ingest_paths([str(library)])

    report = await desk.said("Okafor")
    assert report.speakers == ["Dana Okafor"] and report.stories == 2
    assert [s.text for s in report.statements] == [
        "Students asked for evenings, and we listened",
        "We owe the east bank a crossing",
    ]  # newest first
    assert report.statements[0].story_id != report.statements[1].story_id
    assert (await desk.said("Dana Okafore")).speakers == ["Dana Okafor"]  # a misspelt surname
    assert (await desk.said("Okafor", days=2)).stories == 1  # only the library story is that recent
    assert await desk.known_speakers("oka") == ["Dana Okafor"]
    assert await desk.known_speakers("dana ok") == ["Dana Okafor"] and await desk.known_speakers("zz") == []

    # A new version of the ferry page quotes someone else: the index follows it.
    clock.advance(hours=1)
    ferry.write_text(
        FERRY.replace("Council chair Dana Okafor said", "Mayor Lena Brandt said"), encoding="utf-8"
    )
    assert (await desk.ingest_paths([str(ferry)])).updated == [str(ferry)]
    assert (await desk.said("Okafor")).stories == 1
    brandt = await desk.said("Brandt")
    assert [s.speaker for s in brandt.statements] == ["Lena Brandt"]
