"""Polling one feed: fetch, parse, find new or changed entries, fetch full text, store, book-keep."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from yarl import URL

from bot.news.cleaning import extract_article
from bot.news.feeds._fetched import moved_for_good, with_hint
from bot.news.feeds._identity import article_ref, entry_fingerprint, entry_key, entry_text, normalise_link
from bot.news.feeds._parse import (
    FeedEntry,
    FeedParseError,
    ParsedFeed,
    parse_feed,
)
from bot.news.feeds._schedule import entry_retry_at, next_after_failure, next_after_success
from bot.news.fetching import PAGE_ACCEPT, Fetcher, FetchError, FetchResult
from bot.news.ingest import IncomingArticle, IngestReport, add_quotes
from bot.news.models import ExtractedArticle, Feed, FeedPollResult
from bot.news.settings import FeedSettings
from bot.news.store import EntryRecord, EntryWrite, FeedRepo
from bot.news.stories import FeatureMaker

log = logging.getLogger(__name__)

Ingest = Callable[[Sequence[IncomingArticle], int | None, int], Awaitable[IngestReport]]
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.I)


@dataclass
class _Work:
    """An entry to (re)build into an article this poll."""

    entry: FeedEntry
    key: str
    ref: str
    fingerprint: str
    known: EntryRecord | None
    announce: bool
    page: ExtractedArticle | None = None
    page_error: str | None = None
    wants_page: bool = False
    hopeless: bool = False  # the page is not a web page: retrying will not help
    text: str = ""  # the entry's own text (content, else summary), as plain text


def decode_html(body: bytes, content_type: str | None) -> str:
    """A page's text: the declared charset (header, then <meta>), else UTF-8, else cp1252."""
    candidates: list[str] = []
    if content_type and "charset=" in content_type.lower():
        candidates.append(content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'"))
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    for charset in [*candidates, "utf-8"]:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", "replace")


def is_announceable(entry: FeedEntry, *, first_poll: bool, now: datetime, max_age_hours: float) -> bool:
    """A new entry is announced when recent; an undated one unless it came with a new feed's first read."""
    when = entry.when
    if when is None:
        return not first_poll
    return now - when <= timedelta(hours=max_age_hours)


def build_article(
    entry: FeedEntry, feed: Feed, language: str | None, page: ExtractedArticle | None, own: str | None = None
) -> ExtractedArticle | None:
    """The article an entry stands for: the feed's data, the page's text when it is longer."""
    own = entry_text(entry) if own is None else own
    text = page.text if page is not None and len(page.text.strip()) > len(own) else own
    if not text.strip():
        text = entry.title or ""
    if not text.strip():
        return None
    host = URL(feed.url).host or feed.url
    return ExtractedArticle(
        title=entry.title or (page.title if page else None),
        outlet=feed.name or feed.title or host.removeprefix("www."),
        byline=entry.authors or (page.byline if page else []),
        published=entry.when or (page.published if page else None),
        url=(normalise_link(entry.link) or entry.link) if entry.link else None,
        language=language or (page.language if page else None),
        text=text,
    )


def _prepare(
    work: Sequence[_Work], feed: Feed, language: str | None, features: FeatureMaker | None = None
) -> list[IncomingArticle | None]:
    # Worker thread: quotes, and the clustering features (title and text alone decide them): ~1 ms
    # of CPU an article taken out of the writer lock, the serial part every feed worker waits for.
    out: list[IncomingArticle | None] = []
    for w in work:
        article = build_article(w.entry, feed, language, w.page, w.text)
        if article is None:
            out.append(None)
            continue
        add_quotes(article)
        made = features.features(article.title, article.text).to_json() if features else None
        out.append(IncomingArticle(w.ref, article, features=made))
    return out


class FeedPoller:
    """Polls feeds over one fetcher; one instance per polling round."""

    def __init__(
        self,
        repo: FeedRepo,
        fetcher: Fetcher,
        ingest: Ingest,
        policy: FeedSettings,
        rng: random.Random,
        clock: Callable[[], datetime],
        features: FeatureMaker | None = None,
    ) -> None:
        self.repo = repo
        self.fetcher = fetcher
        self.ingest = ingest
        self.policy = policy
        self.rng = rng
        self.clock = clock
        self.features = features  # shared by the round's threads: its caches are only memos

    async def poll(self, feed: Feed, pending: Sequence[EntryRecord]) -> FeedPollResult:
        """Poll one feed; failures are recorded on the feed, never raised."""
        result = FeedPollResult(feed.id, feed.url, feed.guild_id, "ok")
        parsed: ParsedFeed | None = None
        try:
            fetched = await self.fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if not fetched.not_modified:
                parsed = await asyncio.to_thread(parse_feed, fetched.body, fetched.url, fetched.content_type)
        except FetchError as e:
            await self.record_failure(feed, result, str(e), e.retry_after)
            return result
        except FeedParseError as e:
            await self.record_failure(feed, result, with_hint(str(e), fetched), None)
            return result
        if parsed is None:
            result.status = "not_modified"
        work = await self._select(feed, parsed, pending, result)
        if work:
            await self._store(feed, parsed.language if parsed else None, work, result)
        await self._record_success(feed, fetched, parsed)
        await self._follow_move(feed, fetched, result)
        return result

    async def _select(
        self, feed: Feed, parsed: ParsedFeed | None, pending: Sequence[EntryRecord], result: FeedPollResult
    ) -> list[_Work]:
        """The entries that are new, changed, or due for another try."""
        now = self.clock()
        due = {r.key: r for r in pending}
        work: list[_Work] = []
        seen: set[str] = set()
        if parsed is not None:
            index = await self.repo.entry_index(feed.id)
            first_poll = feed.last_ok_at is None
            for entry in parsed.entries[: self.policy.max_entries_per_poll]:
                key = entry_key(entry)
                if key in seen:
                    continue
                seen.add(key)
                fp = entry_fingerprint(entry)
                known = index.get(key)
                if known is not None and known.fingerprint == fp:
                    if known.state == "ok":
                        result.unchanged += 1
                        continue
                    if known.state == "failed":  # given up on its page; stored from the feed
                        continue
                    if key not in due:  # pending, but its retry time has not come
                        result.pending += 1
                        continue
                announce = (
                    known.announce
                    if known
                    else is_announceable(
                        entry,
                        first_poll=first_poll,
                        now=now,
                        max_age_hours=self.policy.announce_max_age_hours,
                    )
                )
                ref = known.ref if known else article_ref(key, feed_url=feed.url, guild_id=feed.guild_id)
                work.append(_Work(entry, key, ref, fp, known, announce))
        for record in pending:
            if record.key in seen or not record.payload:
                continue
            entry = FeedEntry.from_json(json.loads(record.payload))
            fp = record.fingerprint or entry_fingerprint(entry)
            work.append(_Work(entry, record.key, record.ref, fp, record, record.announce))
        return work

    async def _store(
        self, feed: Feed, language: str | None, work: list[_Work], result: FeedPollResult
    ) -> None:
        texts = await asyncio.to_thread(lambda: [entry_text(w.entry) for w in work])
        for w, text in zip(work, texts, strict=True):
            w.text = text
        await self._fetch_pages(work)
        now = self.clock()
        ready: list[_Work] = []
        waiting: list[_Work] = []
        for w in work:
            (ready if not w.wants_page or w.page is not None or self._gives_up(w) else waiting).append(w)
        prepared = await asyncio.to_thread(_prepare, ready, feed, language, self.features)
        # An article another feed (or the drop folder) stored under the same URL stays theirs:
        # this entry links to it instead of rewriting it with this feed's name and text.
        owners = await self.repo.article_sources([i.ref for i in prepared if i is not None])
        items = [i for i in prepared if i is not None and owners.get(i.ref, (0, feed.id))[1] == feed.id]
        report = await self.ingest(items, feed.guild_id, feed.id) if items else IngestReport()
        ids = {ref: owner[0] for ref, owner in owners.items()} | await self.repo.article_ids(
            [i.ref for i in items]
        )
        new, updated = set(report.new), set(report.updated)
        writes: list[EntryWrite] = []
        for w, item in zip(ready, prepared, strict=True):
            article_id = ids.get(w.ref)
            failed = w.page_error is not None  # gave up on the page: stored from the feed alone
            if item is None:
                failed = True
                w.page_error = w.page_error or "the entry has no text and its page gave none"
            if w.ref in new:
                result.new += 1
                if w.announce and article_id is not None:
                    result.announce.append(article_id)
            elif w.ref in updated:
                result.updated += 1
            else:
                result.unchanged += 1
            if article_id is not None and (w.ref in new or w.ref in updated):
                result.changed_articles.append(article_id)
            result.failed += failed
            writes.append(self._write(w, "failed" if failed else "ok", article_id, attempts=_attempts(w)))
        for w in waiting:
            result.pending += 1
            attempts = _attempts(w)
            retry = entry_retry_at(now, attempts, self.policy) if w.page_error else None
            writes.append(
                self._write(w, "pending", None, attempts=attempts, next_attempt_at=retry, keep=True)
            )
        await self.repo.save_entries(feed.id, writes, now)

    def _gives_up(self, w: _Work) -> bool:
        return w.page_error is not None and (w.hopeless or _attempts(w) >= self.policy.max_entry_attempts)

    @staticmethod
    def _write(
        w: _Work,
        state: Any,
        article_id: int | None,
        *,
        attempts: int,
        next_attempt_at: datetime | None = None,
        keep: bool = False,
    ) -> EntryWrite:
        return EntryWrite(
            key=w.key,
            ref=w.ref,
            fingerprint=w.fingerprint,
            state=state,
            attempts=attempts,
            article_id=article_id if article_id is not None else (w.known.article_id if w.known else None),
            last_error=w.page_error,
            next_attempt_at=next_attempt_at,
            payload=json.dumps(w.entry.to_json()) if keep else None,
            published=w.entry.when,
            announce=w.announce,
        )

    async def _fetch_pages(self, work: list[_Work]) -> None:
        """Fetch and extract the pages of entries that carry only a summary (a few per poll)."""
        budget = self.policy.max_pages_per_poll
        wanted: list[_Work] = []
        for w in work:
            if w.entry.link and len(w.text) < self.policy.full_text_min_chars:
                w.wants_page = True
                if len(wanted) < budget:
                    wanted.append(w)
        await asyncio.gather(*(self._fetch_page(w) for w in wanted))

    async def _fetch_page(self, w: _Work) -> None:
        assert w.entry.link is not None
        try:
            page = await self.fetcher.get(w.entry.link, accept=PAGE_ACCEPT)
            kind = (page.content_type or "text/html").split(";")[0].strip().lower()
            if "html" not in kind and not kind.startswith("text/"):
                w.page_error, w.hopeless = f"page {w.entry.link}: not a web page ({kind})", True
                return
            html = decode_html(page.body, page.content_type)
            w.page = await asyncio.to_thread(extract_article, html, "html", url=page.url)
        except FetchError as e:
            w.page_error = f"page {w.entry.link}: {e}"
        except Exception as e:  # an extractor bug must not lose the entry: retry it later
            log.exception("extracting %s failed", w.entry.link)
            w.page_error = f"page {w.entry.link}: could not be extracted ({e.__class__.__name__})"

    async def _record_success(self, feed: Feed, fetched: FetchResult, parsed: ParsedFeed | None) -> None:
        now = self.clock()
        values: dict[str, Any] = {
            "last_polled_at": now,
            "last_ok_at": now,
            "failures": 0,
            "failing": False,
            "alerted": False,
            "last_error": None,
            "next_poll_at": next_after_success(now, feed.interval, self.policy, self.rng),
        }
        if parsed is not None:
            values |= {"etag": fetched.etag, "last_modified": fetched.last_modified}
            values["title"] = parsed.title or feed.title
        elif fetched.etag or fetched.last_modified:  # a 304 may renew its validators
            values |= {
                "etag": fetched.etag or feed.etag,
                "last_modified": fetched.last_modified or feed.last_modified,
            }
        await self.repo.update(feed.id, **values)

    async def _follow_move(self, feed: Feed, fetched: FetchResult, result: FeedPollResult) -> None:
        """A feed that moved for good (301/308) is polled at its new URL from now on."""
        new = moved_for_good(feed.url, fetched)
        if new is None:
            return
        if feed.origin == "config":  # the config file is the truth; rewriting would fight the sync
            log.warning(
                "feed %s (%s) moved permanently to %s: update its [[feeds]] url", feed.id, feed.url, new
            )
            return
        wanted = normalise_link(new) or new
        other = await self.repo.move(feed.id, new, lambda url: url == new or normalise_link(url) == wanted)
        result.moved_to = new
        if other is None:
            log.info("feed %s moved permanently: %s -> %s", feed.id, feed.url, new)
        else:
            result.merged_into = other.id
            log.warning(
                "feed %s moved permanently to %s, which feed %s already reads: feed %s removed",
                feed.id, new, other.id, feed.id,
            )  # fmt: skip

    async def record_failure(
        self, feed: Feed, result: FeedPollResult, error: str, retry_after: float | None
    ) -> None:
        """Count a failure, back off (honouring Retry-After), and mark the feed failing after N."""
        now = self.clock()
        failures = feed.failures + 1
        failing = failures >= self.policy.failing_after
        result.status, result.error = "error", error
        result.became_failing = failing and not feed.failing
        log.warning("feed %s (%s) failed (%d in a row): %s", feed.id, feed.url, failures, error)
        await self.repo.update(
            feed.id,
            last_polled_at=now,
            failures=failures,
            failing=failing,
            last_error=error[:500],
            next_poll_at=next_after_failure(now, failures, feed.interval, self.policy, self.rng, retry_after),
        )


def _attempts(w: _Work) -> int:
    before = w.known.attempts if w.known else 0
    return before + 1 if w.page_error else before
