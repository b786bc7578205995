"""LoopCountingDupeFilter: a redirect back into its own chain is counted as a loop; an ordinary redirect to a
page already requested is a counted skip (issue 10 item 22), not an error; a plain duplicate is neither."""

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
    # 1 -> 2 -> 1: back into its own chain, a loop.
    assert dupefilter.request_seen(Request("https://a.vn/1", meta={"redirect_urls": ["https://a.vn/1", "https://a.vn/2"]}))
    assert crawler.stats.get_value("crawl/errors") == 1 and crawler.stats.get_value("crawl/errors/redirect_loop") == 1


def test_redirect_to_a_page_already_requested_is_a_counted_skip(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler()
    dupefilter = LoopCountingDupeFilter.from_crawler(crawler)
    assert not dupefilter.request_seen(Request("https://a.vn/moi"))
    # An old URL answering 301 with the new URL, which was also linked and requested already.
    assert dupefilter.request_seen(Request("https://a.vn/moi", meta={"redirect_urls": ["https://a.vn/cu"]}))
    assert crawler.stats.get_value("crawl/errors") is None
    assert crawler.stats.get_value("requests/dropped/redirect_to_seen") == 1
