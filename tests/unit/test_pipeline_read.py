"""ReadPagePipeline: a fetched page (plain data, as the item worker receives it) becomes the item `read_page`
makes of the response, and what the reading met is counted; a page without an article is dropped at DEBUG."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable

import pytest
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse

from crawler.extraction import read_page
from crawler.items import ArticleItem, FetchedPage
from crawler.logs import ReadableLogFormatter
from crawler.sites import SITES
from pipelines.read import NotAnArticlePage, ReadPagePipeline
from tests.unit.conftest import FROZEN

BASE = SITES["thanhxuan"].base_url.rstrip("/")
PARAGRAPH = "Chiều 3/10, Ban Chấp hành Đảng bộ quận tổ chức hội nghị để đánh giá tình hình thực hiện nhiệm vụ năm."


def response(url: str, html: str) -> HtmlResponse:
    """A synthetic page (written here, not recorded)."""
    return HtmlResponse(url, body=html.encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"v2"'})


def article_page() -> HtmlResponse:
    paragraphs = "".join(f"<p>{PARAGRAPH} {n}</p>" for n in range(6))
    return response(f"{BASE}/tin-tuc/hoi-nghi", f"<html><head><title>Hội nghị</title></head><body><article>"
                    f"<h1>Hội nghị Ban Chấp hành</h1>{paragraphs}</article></body></html>")


def shipped(page: FetchedPage) -> FetchedPage:
    """The page as the item worker gets it: pickled, so without the response it came from."""
    copy = pickle.loads(pickle.dumps(page))
    assert "_response" not in copy.__dict__
    return copy


def test_a_shipped_page_reads_as_the_response_itself(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler()
    pipeline = ReadPagePipeline.from_crawler(crawler)
    page = shipped(FetchedPage.from_response(article_page(), "thanhxuan", FROZEN.isoformat()))
    item = pipeline.process_item(page)
    assert isinstance(item, ArticleItem)
    assert item == read_page(article_page(), SITES["thanhxuan"], FROZEN)
    assert item.http_etag == '"v2"' and item.crawled_at == "2024-10-05T10:00:00+07:00"
    assert crawler.stats.get_value(f"extraction/{item.extraction}") == 1


def test_a_listing_is_dropped_quietly_and_counted(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler()
    pipeline = ReadPagePipeline.from_crawler(crawler)
    links = "".join(f'<a href="/tin-tuc/{n}">Bài {n}</a>' for n in range(12))
    page = shipped(FetchedPage.from_response(response(f"{BASE}/tin-tuc", f"<html><body>{links}</body></html>"), "thanhxuan", FROZEN.isoformat()))
    with pytest.raises(NotAnArticlePage) as raised:
        pipeline.process_item(page)
    assert crawler.stats.get_value("pages/skipped/non_article") == 1
    logged = ReadableLogFormatter().dropped(page, raised.value, None, crawler.spider)
    assert logged["level"] == logging.DEBUG  # not a fault: no line at INFO


def test_an_item_already_read_passes_through(make_crawler: Callable[..., Crawler]) -> None:
    item = ArticleItem(url=f"{BASE}/a", site="thanhxuan", title="Tiêu đề")
    assert ReadPagePipeline.from_crawler(make_crawler()).process_item(item) is item
