"""A local HTTP server (127.0.0.1, random port) serving feeds built at test time from ../shared/data.

Nothing here holds article text: feeds are generated from the shared JSONL files when a test runs.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from aiohttp import web

from tests.paths import DATA

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Item:
    """One feed item (built from a shared article)."""

    guid: str | None
    link: str | None
    title: str
    date: datetime | None
    summary: str = ""
    content: str = ""
    author: str | None = None


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunked: bool = False  # stream without Content-Length


class FeedServer:
    """Routes are set by the test; every request is counted and its headers kept."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Handler] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        # Fetches of a path being answered right now, and the most there ever were at once.
        self.in_flight: Counter[str] = Counter()
        self.most_at_once: Counter[str] = Counter()
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: str | bytes | Route | Handler, **kw: Any) -> str:
        """Serve `body` at `path`; returns the full URL."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **kw) if isinstance(body, bytes) else body
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        return self.serve(path, Route(status=status, headers={"Location": to}))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path_qs if request.path_qs in self.routes else request.path
        self.hits[path] += 1
        self.requests.append((path, dict(request.headers)))
        self.in_flight[path] += 1
        self.most_at_once[path] = max(self.most_at_once[path], self.in_flight[path])
        try:
            return await self._answer(request, path)
        finally:
            self.in_flight[path] -= 1

    async def _answer(self, request: web.Request, path: str) -> web.StreamResponse:
        route = self.routes.get(path)
        if route is None:
            return web.Response(status=404, text="not found")
        if not isinstance(route, Route):
            return await route(request)
        if route.delay:
            await asyncio.sleep(route.delay)
        validators = {}
        if route.etag:
            validators["ETag"] = route.etag
        if route.last_modified:
            validators["Last-Modified"] = route.last_modified
        if route.status == 200 and (
            (route.etag and request.headers.get("If-None-Match") == route.etag)
            or (route.last_modified and request.headers.get("If-Modified-Since") == route.last_modified)
        ):
            return web.Response(status=304, headers=validators)
        headers = {"Content-Type": route.content_type, **validators, **route.headers}
        if route.chunked:
            resp = web.StreamResponse(status=route.status, headers=headers)
            resp.enable_chunked_encoding()
            await resp.prepare(request)
            for start in range(0, len(route.body), 65536):
                await resp.write(route.body[start : start + 65536])
            await resp.write_eof()
            return resp
        return web.Response(status=route.status, body=route.body, headers=headers)


@asynccontextmanager
async def running_server() -> AsyncIterator[FeedServer]:
    """A started server, closed afterwards (test modules wrap this in a `feed_server` fixture)."""
    server = FeedServer()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


# Building feeds from the shared articles
def shared_articles(name: str = "basil_stories", limit: int | None = None) -> list[dict[str, Any]]:
    """Records of a shared JSONL set (read now, never copied into the repo)."""
    path = DATA / name / "articles.jsonl"
    if not path.is_file():
        pytest.fail(f"shared data missing: {path}")
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


def paragraphs_html(text: str) -> str:
    return "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n") if p.strip())


def items_from(
    records: list[dict[str, Any]], base: str, *, dates: list[datetime] | None = None, full: bool = True
) -> list[Item]:
    """Feed items for shared records; `full` puts the whole text in the item, else a short summary."""
    out: list[Item] = []
    for n, r in enumerate(records):
        text = r["text"]
        first = text.strip().split("\n")[0][:200]
        out.append(
            Item(
                guid=f"{base}/articles/{r['id']}",
                link=f"{base}/articles/{r['id']}?utm_source=rss&utm_medium=feed",
                title=r.get("title") or first[:80],
                date=dates[n] if dates else datetime.fromisoformat(r["date"]).replace(tzinfo=UTC),
                summary=escape(first),
                content=paragraphs_html(text) if full else "",
                author=r.get("source"),
            )
        )
    return out


def _cdata(html: str) -> str:
    return "<![CDATA[" + html.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss2(items: list[Item], *, title: str = "Test outlet", link: str = "http://example.test/") -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
        f"<title>{escape(title)}</title><link>{escape(link)}</link><description>t</description>",
        "<language>en-us</language>",
    ]
    for it in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(it.title)}</title>")
        if it.link:
            parts.append(f"<link>{escape(it.link)}</link>")
        if it.guid:
            parts.append(f'<guid isPermaLink="false">{escape(it.guid)}</guid>')
        if it.date:
            parts.append(f"<pubDate>{format_datetime(it.date, usegmt=True)}</pubDate>")
        if it.author:
            parts.append(f"<author>{escape(it.author)}</author>")
        parts.append(f"<description>{_cdata(it.summary)}</description>")
        if it.content:
            parts.append(f"<content:encoded>{_cdata(it.content)}</content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


def atom(items: list[Item], *, title: str = "Atom outlet") -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>urn:test:atom</id><updated>2026-11-20T00:00:00Z</updated>",
    ]
    for it in items:
        when = (it.date or datetime(2026, 1, 1, tzinfo=UTC)).isoformat().replace("+00:00", "Z")
        parts.append("<entry>")
        parts.append(f"<title>{escape(it.title)}</title><id>{escape(it.guid or it.link or '')}</id>")
        if it.link:
            parts.append(f'<link rel="alternate" href="{escape(it.link)}"/>')
        parts.append(f"<published>{when}</published><updated>{when}</updated>")
        if it.author:
            parts.append(f"<author><name>{escape(it.author)}</name></author>")
        parts.append(f'<summary type="html">{escape(it.summary)}</summary>')
        if it.content:
            parts.append(f'<content type="html">{escape(it.content)}</content>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts)


def rss1(items: list[Item], *, title: str = "RDF outlet") -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f'<channel rdf:about="http://example.test/rdf"><title>{escape(title)}</title>'
        "<link>http://example.test/</link><description>t</description></channel>",
    ]
    for it in items:
        about = escape(it.link or it.guid or "")
        parts.append(f'<item rdf:about="{about}"><title>{escape(it.title)}</title><link>{about}</link>')
        if it.date:
            parts.append(f"<dc:date>{it.date.isoformat()}</dc:date>")
        parts.append(f"<description>{escape(it.summary)}</description>")
        if it.content:
            parts.append(f"<content:encoded>{_cdata(it.content)}</content:encoded>")
        parts.append("</item>")
    parts.append("</rdf:RDF>")
    return "\n".join(parts)


def page_with_alternate(feed_href: str, kind: str = "application/rss+xml") -> str:
    return (
        "<!DOCTYPE html><html><head><title>Home</title>"
        f'<link rel="alternate" type="{kind}" title="Feed" href="{escape(feed_href)}">'
        "</head><body><p>Welcome</p></body></html>"
    )


def shared_page(index: int = 0) -> tuple[str, str]:
    """(html, gold text) of an article page from the shared extraction benchmark."""
    import gzip

    folder = DATA / "scrapinghub_aeb"
    with (folder / "records.jsonl").open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    # Pick long pages so 'the page gave more than the summary' is unambiguous.
    records = sorted((r for r in records if len(r["gold_text"]) > 3000), key=lambda r: r["id"])
    rec = records[index]
    html = gzip.decompress((folder / rec["html_path"]).read_bytes()).decode("utf-8", "replace")
    return html, rec["gold_text"]


def data_path() -> Path:
    return DATA


def events(n: int) -> list[dict[str, dict[str, Any]]]:
    """The first `n` BASIL events, each as {source: record}."""
    by_event: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in shared_articles("basil_stories"):
        by_event[r["cluster_id"]][r["source"]] = r
    return [e for e in by_event.values() if set(e) == set(OUTLETS)][:n]


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n' for n in range(1, 10)
    )
    + ']>\n<rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
)

OUTLETS = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}
