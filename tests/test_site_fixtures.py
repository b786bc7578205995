"""Every site's saved pages against hand-written expectations, through the same path `crawler extract` uses.

Fixtures live at `tests/fixtures/<site>/<version>/<case>.html` (the parser version that reads the page, or
`generic`) with `<case>.json` beside: the URL, the crawl date, the provenance (`recorded` from the live site by
`tests/fixtures/record.py`, or `synthetic`: rendered by the replica or written by hand) and the expected values.
A fixture whose expectations leave a required field empty fails: a freshly recorded skeleton cannot pass.
"""

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
#: `<site>/<version>/<case>`; `layouts/` is the generic reader's own corpus (tests/unit/test_generic_reader.py).
CASES = sorted(
    p.relative_to(FIXTURES).with_suffix("").as_posix() for p in FIXTURES.glob("*/*/*.json") if p.parts[-3] != "layouts"
)
#: Expected values every article fixture must state, non-empty (None is allowed only where the page has none).
REQUIRED_EXPECTED = ("site", "title", "extraction")
#: When the pages are read: a fixed clock, so an item never depends on the day the test runs. After every
#: fixture's publish date, as a real fetch is (a publish date after the day after the fetch is implausible).
FETCHED_AT = datetime(2025, 11, 1, 3, 0, tzinfo=timezone.utc)


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


def test_every_parser_version_has_a_fixture() -> None:
    """A redesign adds a version and a fixture of it; old versions keep theirs (Fundus-style)."""
    from crawler.sites import SITES

    for site in SITES.values():
        covered = {case.split("/")[1] for case in CASES if case.startswith(f"{site.name}/")}
        for version in site.versions:
            name = version.name.partition("/")[2]
            sites_on_platform = [s for s in SITES.values() if version in s.versions]
            assert any(
                name in {c.split("/")[1] for c in CASES if c.startswith(f"{s.name}/")} for s in sites_on_platform
            ), f"no fixture read by {version.name}"


@pytest.mark.parametrize("case", CASES)
def test_fixture_is_labelled_and_complete(case: str) -> None:
    expected = json.loads((FIXTURES / f"{case}.json").read_text(encoding="utf-8"))
    assert expected.get("provenance") in ("recorded", "synthetic"), "label the fixture: recorded or synthetic"
    assert expected.get("url", "").startswith(("http://", "https://")) and expected.get("crawled_at"), "url and crawl date"
    if "skipped" in expected:
        return
    fields = expected.get("fields", {})
    empty = [name for name in REQUIRED_EXPECTED if fields.get(name) in (None, "", [])]
    assert not empty, f"expected values left empty: {', '.join(empty)}"
    assert expected.get("body", {}).get("first"), "expected body.first left empty"
    version_dir = case.split("/")[1]
    if version_dir == "generic":
        assert fields.get("extraction") == "fallback" and fields.get("parser_version") in (None, ""), version_dir
    else:
        assert fields.get("parser_version", "").endswith(f"/{version_dir}"), "fixture filed under the version that reads it"


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
    _, first = load("thanhxuan/generic/legacy-layout")
    for _ in range(3):
        _, again = load("thanhxuan/generic/legacy-layout")
        assert isinstance(again, ArticleItem) and isinstance(first, ArticleItem)
        assert again.body == first.body
