"""LoopCountingDupeFilter: a redirect back to a URL already requested is counted as a loop, not lost silently."""

from __future__ import annotations

from collections.abc import Callable

from scrapy.crawler import Crawler
from scrapy.http import Request

from crawler.dupefilters import LoopCountingDupeFilter


def test_redirect_loop_counted_plain_duplicate_not(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler()
    dupefilter = LoopCountingDupeFilter.from_crawler(crawler)
    assert not dupefilter.request_seen(Request("https://a.vn/1"))
    assert dupefilter.request_seen(Request("https://a.vn/1"))  # a link found twice: not an error
    assert crawler.stats.get_value("crawl/errors") is None
    assert dupefilter.request_seen(Request("https://a.vn/1", meta={"redirect_urls": ["https://a.vn/2"]}))
    assert crawler.stats.get_value("crawl/errors") == 1 and crawler.stats.get_value("crawl/errors/redirect_loop") == 1
