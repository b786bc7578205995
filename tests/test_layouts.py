"""The generic reader on page layouts of Vietnamese news and government portals (`tests/fixtures/layouts/`).

Each fixture is a hand-written page (synthetic, not recorded) modelled on one layout family's markup, with its
expected title, publish date, view count and body beside it, written by hand. The pages go through the same
path as `crawler extract` on a site the project does not know: the generic reader, then every pipeline.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings

from crawler.extraction import Skipped
from crawler.items import ArticleItem
from crawler.pipeline_chain import item_for_page
from crawler.sites import host_of

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
CASES = sorted(p.relative_to(LAYOUTS).with_suffix("").as_posix() for p in LAYOUTS.glob("*/*.json"))


def read_layout(case: str) -> tuple[dict[str, Any], ArticleItem | Skipped]:
    spec = json.loads((LAYOUTS / f"{case}.json").read_text(encoding="utf-8"))
    response = HtmlResponse(url=spec["url"], body=(LAYOUTS / f"{case}.html").read_bytes())
    fetched_at = datetime.fromisoformat(spec["fetched_at"])
    result = item_for_page(response, None, fetched_at, get_project_settings(), site_name=host_of(spec["url"]))
    return spec, result


def test_corpus_covers_the_layout_families() -> None:
    families = {case.split("/")[0] for case in CASES}
    assert len(families) >= 10
    assert {"tag_page", "listing", "two_teasers"} <= families
    for case in CASES:
        spec = json.loads((LAYOUTS / f"{case}.json").read_text(encoding="utf-8"))
        assert spec["synthetic"].startswith("Hand-written"), case


@pytest.mark.parametrize("case", CASES)
def test_layout(case: str) -> None:
    spec, result = read_layout(case)
    expected = spec["expected"]
    if not expected["article"]:
        assert isinstance(result, Skipped) and result.reason == "non_article", result
        return
    assert isinstance(result, ArticleItem), result
    assert result.title == expected["title"]
    assert result.published_at == expected["published_at"]
    assert result.view_count == expected["view_count"]
    assert (result.body or "").split("\n\n") == expected["body"]
    if "author" in expected:
        assert result.author == expected["author"]
    if "image_captions" in expected:
        assert [image["caption"] for image in result.images if image["caption"]] == expected["image_captions"]
    if "published_at_source" in expected:
        assert result.published_at_source == expected["published_at_source"]
    assert result.extraction == "fallback"
    assert "body" in result.fallback_fields and "title" in result.fallback_fields
