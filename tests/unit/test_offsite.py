"""SiteOffsiteMiddleware: on site means the site's host (or a subdomain) on the site's port; drops are counted
with their reason (a link, or a redirect)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from crawler.middlewares.offsite import SiteOffsiteMiddleware, same_port


@pytest.mark.parametrize(
    ("url", "base", "same"),
    [
        ("http://127.0.0.1:8800/a", "http://127.0.0.1:8800", True),
        ("http://127.0.0.1:8801/a", "http://127.0.0.1:8800", False),
        ("https://thanhxuan.hanoi.gov.vn/a", "http://thanhxuan.hanoi.gov.vn", True),  # http -> https, default ports
        ("https://thanhxuan.hanoi.gov.vn:8443/a", "https://thanhxuan.hanoi.gov.vn", False),
        ("http://thanhxuan.hanoi.gov.vn:80/a", "http://thanhxuan.hanoi.gov.vn", True),
    ],
)
def test_same_port(url: str, base: str, same: bool) -> None:
    assert same_port(urlsplit(url), urlsplit(base)) is same


def test_drops_are_counted_by_reason(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler()
    crawler.spider.base_url = "http://127.0.0.1:8800/thanhxuan"
    crawler.spider.allowed_domains = ["127.0.0.1"]
    middleware = SiteOffsiteMiddleware.from_crawler(crawler)
    middleware.spider_opened(crawler.spider)
    middleware.process_request(Request("http://127.0.0.1:8800/thanhxuan/tin.html"))  # on site: passes
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("http://127.0.0.1:9900/thanhxuan/tin.html"))
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("http://other.vn/tin.html", meta={"redirect_urls": ["http://127.0.0.1:8800/x"]}))
    stats = crawler.stats.get_stats()
    assert stats["requests/dropped/offsite_link"] == 1 and stats["requests/dropped/offsite_redirect"] == 1
