"""Two processes ingesting into one database at once (the bot polling feeds while a CLI run
ingests a folder; several PostgreSQL workers): every event still ends in one story of its own.

Each desk here has its own engine and clusterer, as a separate process would; asyncio interleaves
their batches article by article. Without a writer lock each desk missed the other's articles and
both handed out the same new story ids for different events.
"""

from __future__ import annotations

from tests.clock import FakeClock
from tests.news.store.scenarios import two_writers_keep_events_apart, writers_wait_for_each_other


async def test_two_writers_on_one_sqlite_file(db_url: str, clock: FakeClock) -> None:
    await two_writers_keep_events_apart(db_url, clock)


async def test_a_writer_waits_for_another_on_sqlite(db_url: str, clock: FakeClock) -> None:
    await writers_wait_for_each_other(db_url, clock)
