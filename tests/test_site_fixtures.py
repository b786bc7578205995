"""Every site's saved pages against hand-written expectations, through the same path `crawler extract` uses."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings

from crawler.extraction import Skipped
from crawler.items import ArticleItem
from crawler.pipeline_chain import item_for_page
from crawler.sites import host_of, site_for_url

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.relative_to(FIXTURES).with_suffix("").as_posix() for p in FIXTURES.glob("*/*.json"))
#: When the pages are read: a fixed clock, so an item never depends on the day the test runs. After every
#: fixture's publish date, as a real fetch is (a publish date after the day after the fetch is implausible).
FETCHED_AT = datetime(2024, 10, 20, 3, 0, tzinfo=timezone.utc)


def load(case: str) -> tuple[dict[str, Any], ArticleItem | Skipped]:
    expected = json.loads((FIXTURES / f"{case}.json").read_text(encoding="utf-8"))
    html = (FIXTURES / f"{case}.html").read_bytes()
    url = expected["url"]
    settings = get_project_settings()
    response = HtmlResponse(url=url, body=html)
    return expected, item_for_page(response, site_for_url(url, settings), FETCHED_AT, settings, site_name=host_of(url))


def test_every_site_has_a_fixture() -> None:
    from crawler.sites import SITES

    assert set(SITES) <= {case.split("/")[0] for case in CASES}


@pytest.mark.parametrize("case", CASES)
def test_fixture(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRAWLER_REPLICA_URL", raising=False)
    expected, result = load(case)
    if "skipped" in expected:
        assert isinstance(result, Skipped) and result.reason == expected["skipped"]
        return
    assert isinstance(result, ArticleItem), result
    for name, value in expected.get("fields", {}).items():
        assert getattr(result, name) == value, name
    paragraphs = (result.body or "").split("\n\n")
    body = expected.get("body", {})
    if "paragraphs" in body:
        assert len(paragraphs) == body["paragraphs"]
    if "first" in body:
        assert paragraphs[0] == body["first"]
    if "second" in body:
        assert paragraphs[1] == body["second"]
    if "last_startswith" in body:
        assert paragraphs[-1].startswith(body["last_startswith"])
    for noise in body.get("excludes", []):
        assert noise not in (result.body or "") + "\n", noise
    if "image_captions" in expected:
        assert [image["caption"] for image in result.images] == expected["image_captions"]
    for name, value in expected.get("conference", {}).items():
        assert result.conference is not None and result.conference[name] == value, name
    if "same_content_hash_as" in expected:
        _, other = load(expected["same_content_hash_as"])
        assert isinstance(other, ArticleItem) and other.content_hash == result.content_hash
    for required in ("title", "body", "content_hash", "crawled_at", "conference"):
        assert getattr(result, required), required


def test_fallback_gives_the_same_item_every_time() -> None:
    """A long crawl reads many pages in one process: extracting a page again must not lose text."""
    _, first = load("thanhxuan/legacy-layout")
    for _ in range(3):
        _, again = load("thanhxuan/legacy-layout")
        assert isinstance(again, ArticleItem) and isinstance(first, ArticleItem)
        assert again.body == first.body
