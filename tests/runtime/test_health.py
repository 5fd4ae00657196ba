"""The opt-in health and metrics endpoint: real HTTP requests to it on 127.0.0.1."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from bot.config import HealthSettings, load_settings
from bot.news import PollReport
from bot.news.models import FeedPollResult
from bot.runtime.health import PROMETHEUS_TYPE, HealthServer, Metrics, Snapshot, render_metrics


def _snapshot(connected: bool) -> Snapshot:
    return Snapshot(
        drop_folder_articles=7,
        drop_folder_rejections=2,
        articles_stored=40,
        stories_stored=9,
        connected=connected,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_it_is_off_unless_asked_for(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(str(tmp_path))
    health = load_settings().health
    assert health.enabled is False and health.host == "127.0.0.1"


async def test_healthz_and_metrics_over_http() -> None:
    metrics = Metrics()
    metrics.record_poll(
        PollReport(
            [
                FeedPollResult(1, "https://a.example/rss", None, "ok", new=3),
                FeedPollResult(2, "https://b.example/rss", None, "error", error="HTTP 500"),
            ]
        )
    )
    metrics.digests_posted += 1
    metrics.command_started(11, now=100.0)
    metrics.command_finished(11, "stories", now=100.3)
    metrics.command_started(12, now=200.0)
    metrics.command_finished(12, "stories", now=207.0)
    state = {"connected": False}

    async def snapshot() -> Snapshot:
        return _snapshot(state["connected"])

    port = _free_port()
    server = HealthServer(HealthSettings(enabled=True, host="127.0.0.1", port=port), metrics, snapshot)
    await server.start()
    try:
        assert server.port == port
        base = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/healthz") as r:
                assert r.status == 503
            state["connected"] = True
            async with http.get(f"{base}/healthz") as r:
                assert r.status == 200 and (await r.text()).strip() == "ok"
            async with http.get(f"{base}/metrics") as r:
                assert r.status == 200 and r.headers["Content-Type"] == PROMETHEUS_TYPE
                text = await r.text()
            async with http.get(f"{base}/nothing") as r:
                assert r.status == 404
    finally:
        await server.stop()
    lines = set(text.splitlines())
    assert 'storydesk_articles_ingested_total{source="drop_folder"} 7' in lines
    assert 'storydesk_articles_ingested_total{source="feeds"} 3' in lines
    assert "storydesk_rejections_total 2" in lines
    assert "storydesk_feed_failures_total 1" in lines
    assert "storydesk_digests_posted_total 1" in lines
    assert "storydesk_up 1" in lines and "storydesk_articles_stored 40" in lines
    assert "storydesk_scheduler_leader 1" in lines  # unsharded: the one process leads
    assert 'storydesk_command_latency_seconds_bucket{command="stories",le="0.5"} 1' in lines
    assert 'storydesk_command_latency_seconds_bucket{command="stories",le="+Inf"} 2' in lines
    assert 'storydesk_command_latency_seconds_count{command="stories"} 2' in lines
    # Every sample belongs to a declared metric.
    declared = {line.split()[2] for line in lines if line.startswith("# TYPE")}
    for line in lines:
        if line and not line.startswith("#"):
            name = line.split("{")[0].split()[0]
            assert any(name == d or name.startswith(d + "_") for d in declared), line


def test_latency_of_unfinished_commands_is_bounded() -> None:
    metrics = Metrics()
    for n in range(5000):  # commands that failed never complete: their start is forgotten
        metrics.command_started(n, now=float(n))
    assert len(metrics._started) <= 1000
    assert render_metrics(metrics, _snapshot(False)).count("storydesk_command_latency_seconds_count") == 0


async def test_a_scheduler_that_cannot_start_makes_healthz_fail() -> None:
    # Connected and answering, but posting no digest: a supervisor should hear of it.
    snap = _snapshot(True)
    snap.scheduling = False

    async def snapshot() -> Snapshot:
        return snap

    server = HealthServer(
        HealthSettings(enabled=True, host="127.0.0.1", port=_free_port()), Metrics(), snapshot
    )
    await server.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/healthz") as r:
                assert r.status == 503 and "scheduler could not start" in await r.text()
            snap.scheduling = True
            async with http.get(f"{base}/healthz") as r:
                assert r.status == 200
            async with http.get(f"{base}/metrics") as r:
                assert "storydesk_scheduler_up 1" in (await r.text()).splitlines()
    finally:
        await server.stop()
    snap.scheduling = False
    assert "storydesk_scheduler_up 0" in render_metrics(Metrics(), snap).splitlines()


def test_a_follower_process_says_it_does_not_lead() -> None:
    snap = _snapshot(True)
    snap.leading = False
    assert "storydesk_scheduler_leader 0" in render_metrics(Metrics(), snap).splitlines()
