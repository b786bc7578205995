"""ValidatePipeline: each unusable item dropped with its reason counted; a usable one passes unchanged."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.settings import Settings

from pipelines.base import CountingStats
from pipelines.validate import ValidatePipeline
from tests.unit.conftest import article

GOOD_BODY = "Nội dung đầy đủ của bài viết về hội nghị. " * 6


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"url": "ftp://a.vn/1"}, "bad_url"),
        ({"title": None}, "no_title"),
        ({"body": None}, "no_body"),
        ({"view_count": -1}, "negative_view_count"),
        ({"body": GOOD_BODY + "\ufffd"}, "encoding_errors"),
    ],
)
def test_drops_with_reason(changes: dict[str, object], reason: str) -> None:
    stats = CountingStats()
    item = article("https://a.vn/1", GOOD_BODY)
    for name, value in changes.items():
        setattr(item, name, value)
    with pytest.raises(DropItem, match=reason):
        ValidatePipeline.build(stats, Settings()).process_item(item)
    assert stats.values == {f"validate/dropped/{reason}": 1, "validate/dropped_by_site/thanhxuan": 1}


def test_usable_item_passes() -> None:
    stats = CountingStats()
    item = article("https://a.vn/1", GOOD_BODY)
    assert ValidatePipeline.build(stats, Settings()).process_item(item) is item
    assert stats.values == {}


def test_short_brief_passes() -> None:
    """No minimum length (issue 13): a one-sentence brief is an article; the extractor decides what is one."""
    stats = CountingStats()
    item = article("https://a.vn/1", "Chiều 21/6, Đảng ủy xã họp phiên thường kỳ tháng 6.")
    assert ValidatePipeline.build(stats, Settings()).process_item(item) is item
    assert stats.values == {}
