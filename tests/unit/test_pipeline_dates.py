"""PublishDatePipeline: the first candidate that parses wins, in order of trust; a miss is counted, never invented."""

from __future__ import annotations

from scrapy.settings import Settings

from crawler.items import ArticleItem
from pipelines.base import CountingStats
from pipelines.dates import PublishDatePipeline


def run(candidates: list[tuple[str, str]]) -> tuple[ArticleItem, CountingStats]:
    stats = CountingStats()
    item = ArticleItem(url="https://a.vn/1", site="thanhxuan", date_candidates=candidates)
    return PublishDatePipeline.build(stats, Settings()).process_item(item), stats


def test_first_parsable_candidate_wins() -> None:
    item, stats = run([("json-ld", "không rõ"), ("page label", "09:30 | 04/10/2024"), ("url", "https://a.vn/2023/01/01/x")])
    assert item.published_at == "2024-10-04T09:30:00+07:00"
    assert (item.published_at_source, item.published_at_text) == ("page label", "09:30 | 04/10/2024")
    assert stats.get_value("dates/unparsed") == 1 and stats.get_value("dates/source/page label") == 1


def test_url_date_keeps_no_text() -> None:
    item, _ = run([("url", "https://a.vn/tin/2024/10/04/hoi-nghi.html")])
    assert item.published_at is not None and item.published_at.startswith("2024-10-04")
    assert item.published_at_text is None


def test_no_date_is_null_and_counted() -> None:
    item, stats = run([("page label", "Thứ Sáu")])
    assert item.published_at is None and item.published_at_source is None
    assert stats.get_value("dates/missing") == 1 and stats.get_value("dates/missing/thanhxuan") == 1
