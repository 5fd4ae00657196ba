"""Who said it: every statement by one person across stories and outlets, newest first.

The speaker index finds the articles quoting the person (an index lookup, not a scan); each
story's quotes by that person are then matched across its outlets as `quotes` does, so one
statement carried by three outlets in three wordings is one entry with its wording differences.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from rapidfuzz import fuzz, process

from bot.news.errors import BadArgument
from bot.news.models import QuoteGroup, SaidReport, Statement, StoredArticle
from bot.news.outlets import outlet_label
from bot.news.quotes import QuoteSource, group_quotes
from bot.news.store import SpeakerRepo, speaker_tokens
from bot.news.text import same_person, surname_of

__all__ = ["SaidBook"]

MAX_ARTICLES = 200  # the newest articles quoting the person that one answer may read
ROWS_PER_ARTICLE = 3  # index rows looked at per article (an article names a person a few ways)
FUZZY_CUTOFF = 80  # a misspelt name word ("Zelenskyy") still finds the indexed one ("zelensky")
MAX_DAYS = 3650
STORIES_PER_READ = 8

Clock = Callable[[], datetime]
StoryArticles = dict[int, tuple[str, list[tuple[StoredArticle, datetime]]]]


class SaidBook:
    """`said NAME`: statements by one person; `names`: known speakers for autocomplete."""

    def __init__(self, repo: SpeakerRepo, clock: Clock) -> None:
        self.repo = repo
        self.clock = clock

    async def names(self, typed: str = "", *, guild_id: int | None = None, limit: int = 25) -> list[str]:
        """Known speakers with a name word starting like the last word typed, most quoted first."""
        words = sorted(speaker_tokens(typed), key=typed.casefold().find)
        prefix = words[-1] if words else ""
        found = await self.repo.names(prefix, guild_id=guild_id, limit=limit * 4)
        wanted = words[:-1]
        names: dict[str, None] = {}
        for name, _ in found:
            tokens = speaker_tokens(name)
            if all(any(t.startswith(w) for t in tokens) for w in wanted):
                names.setdefault(name)
        return list(names)[:limit]

    async def said(
        self, name: str, *, days: float | None = None, guild_id: int | None = None, limit: int = 25
    ) -> SaidReport:
        """Statements by the person called `name` in the last `days` (None: any time), newest first."""
        query = " ".join(name.split())[:100]
        if not speaker_tokens(query):
            raise BadArgument("Give a person's name, e.g. `Hegseth` or `Volodymyr Zelensky`.")
        if days is not None and not 0 < days <= MAX_DAYS:
            raise BadArgument(f"days must be between 1 and {MAX_DAYS}.")
        since = self.clock() - timedelta(days=days) if days else None
        report = SaidReport(query=query, since=since)
        words = await self._spellings(query)
        hits = await self.repo.quoting(words, since=since, limit=ROWS_PER_ARTICLE * MAX_ARTICLES)
        # Only articles quoting someone who can be this person ("Trump" can be Eric Trump, "Donald
        # Trump" cannot): a frequent surname does not make every story of it worth reading.
        kept: dict[int, datetime] = {}
        can_be: dict[str, bool] = {}  # a few hundred speaker names over many rows
        for article_id, at, speaker in hits:
            if speaker not in can_be:
                can_be[speaker] = same_person(query, speaker)
            if can_be[speaker]:
                kept.setdefault(article_id, at)
        newest = list(kept.items())[:MAX_ARTICLES]
        story_of = await self.repo.stories_of([a for a, _ in newest], guild_id)
        by_story: dict[int, list[tuple[int, datetime]]] = {}
        for article_id, at in newest:  # newest first: stories in order of their newest article
            if article_id in story_of:
                by_story.setdefault(story_of[article_id], []).append((article_id, at))
        statements, cut = await self._newest(list(by_story.items()), query, set(words), limit)
        statements.sort(key=lambda s: (s.when, s.story_id), reverse=True)
        counts: dict[str, int] = defaultdict(int)
        for st in statements:
            counts[st.speaker] += len(st.occurrences)
        report.speakers = sorted(counts, key=lambda s: (-counts[s], s))
        report.statements = statements[:limit]
        report.stories = len({s.story_id for s in statements}) if not cut else len(by_story)
        report.truncated = (
            cut
            or len(statements) > limit
            or len(kept) > MAX_ARTICLES
            or len(hits) >= ROWS_PER_ARTICLE * MAX_ARTICLES
        )
        return report

    async def _newest(
        self, stories: list[tuple[int, list[tuple[int, datetime]]]], query: str, words: set[str], limit: int
    ) -> tuple[list[Statement], bool]:
        """The statements of the newest stories, a few stories at a time, until no story left can
        hold a statement newer than the `limit` newest found (a frequent speaker's answer reads a
        handful of stories, not hundreds). True when stories were left unread."""
        out: list[Statement] = []
        for start in range(0, len(stories), STORIES_PER_READ):
            part = stories[start : start + STORIES_PER_READ]
            found = await self.repo.articles([a for _, arts in part for a, _ in arts])
            grouped: StoryArticles = {}
            for art, story_id, headline, when in found:
                grouped.setdefault(story_id, (headline, []))[1].append((art, when))
            out += await asyncio.to_thread(_statements, grouped, query, words)
            rest = stories[start + STORIES_PER_READ :]
            if rest and sum(st.when >= rest[0][1][0][1] for st in out) >= limit:
                return out, True
        return out, False

    async def _spellings(self, query: str) -> list[str]:
        """The indexed spellings of the name's surname ("zelensky", "zelenskyy" for "Zelenskyy")."""
        words = speaker_tokens(surname_of(query)) or speaker_tokens(query)
        word = max(words, key=len)
        known = await self.repo.words(word[:3])
        found = process.extract(word, known, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None)
        return [w for w, _, _ in found]


def _statements(by_story: StoryArticles, query: str, spellings: set[str]) -> list[Statement]:
    """Each story's quotes by the person, matched across its outlets (runs in a thread).

    Every quote by someone of that surname takes part, so the story's speakers are made one as
    `quotes` makes them ("Trump" is the story's Donald Trump); then only the person's are kept."""
    out: list[Statement] = []
    for story_id, (headline, dated) in by_story.items():
        when = {a.ref: at for a, at in dated}
        arts = [a for a, _ in dated]
        sources = [
            QuoteSource(
                a.ref,
                outlet_label(a),
                a.text,
                [q for q in a.quotes if speaker_tokens(q.speaker) & spellings],
                a.published,
            )
            for a in arts
        ]
        for group in group_quotes(sources, query):
            out.append(_statement(group, story_id, headline, when))
    return out


def _statement(group: QuoteGroup, story_id: int, headline: str, when: dict[str, datetime]) -> Statement:
    dates: Sequence[datetime] = [when[o.ref] for o in group.occurrences if o.ref in when]
    return Statement(
        speaker=group.speaker or "",
        text=group.text,
        story_id=story_id,
        story_headline=headline,
        outlets=group.outlets,
        occurrences=group.occurrences,
        wording_differs=group.wording_differs,
        when=max(dates),
    )
