"""Outlets of multi-tenant hosts, and markdown front matter read as YAML."""

from __future__ import annotations

from bot.news.cleaning import extract_article, finish_record
from bot.news.cleaning._markdown import markdown_to_text
from bot.news.cleaning._outlets import registered_domain

BODY = (
    "The city council voted on Tuesday to extend the ferry contract for another year, officials said.\n\n"
    "Residents told reporters they expected the new schedule to start within weeks."
)


def _outlet(url: str) -> str | None:
    return finish_record(text=BODY, title=None, outlet=None, published=None, url=url, byline=None).outlet


def test_a_sub_domain_of_a_multi_tenant_host_is_its_own_outlet() -> None:
    assert _outlet("https://abcnews.go.com/Politics/story?id=1") == "ABC News"
    one = _outlet("https://harborwatch.substack.com/p/ferry-contract")
    two = _outlet("https://cityhallnotes.substack.com/p/ferry-contract")
    assert one and two and one != two  # two publishers, not one "substack.com"
    assert one.startswith("harborwatch") and two.startswith("cityhallnotes")
    # Ordinary hosts keep their registrable domain; www is no publisher.
    assert registered_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert registered_domain("www.abcnews.go.com") == "abcnews.go.com"
    assert registered_domain("www.substack.com") == "substack.com"


FRONT = (
    """---
title: "Ferry: the contract"
authors:
  - Jane Doe
  - John Roe
summary: >
  The council extended
  the ferry contract.
date: 2025-02-12
outlet: Harbor Watch
---
# Council extends ferry contract

"""
    + BODY
)


def test_yaml_front_matter_lists_and_folded_text() -> None:
    doc = markdown_to_text(FRONT)
    assert doc.front_matter["summary"] == "The council extended the ferry contract."
    assert doc.front_matter["title"] == "Ferry: the contract"
    article = extract_article(FRONT, "markdown")
    assert article.byline == ["Jane Doe", "John Roe"]
    assert article.outlet == "Harbor Watch"
    assert article.published is not None and article.published.date().isoformat() == "2025-02-12"
    assert "Jane Doe" not in article.text and "summary" not in article.text


def test_front_matter_that_is_not_valid_yaml_is_still_read_line_by_line() -> None:
    doc = markdown_to_text("---\ntitle: A: B\nauthor: Jane Doe\n---\n" + BODY)
    assert doc.front_matter == {"title": "A: B", "author": "Jane Doe"}
    assert doc.text.strip().startswith("The city council")
