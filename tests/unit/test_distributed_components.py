"""The worker-side components of distributed mode, built by Scrapy: the fetch counter and the idle-close rule."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Request

from crawler.distributed import FetchCountingMiddleware, IdleCloseExtension


def test_fetches_counted_by_kind(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler()
    middleware = FetchCountingMiddleware.from_crawler(crawler)
    for request in (Request("https://a.vn/1", meta={"kind": "article"}), Request("https://a.vn/robots.txt")):
        assert middleware.process_request(request) is None
    assert crawler.stats.get_value("distributed/fetched/article") == 1
    assert crawler.stats.get_value("distributed/fetched/other") == 1


def test_idle_close_only_in_distributed_mode(make_crawler: Callable[..., Crawler]) -> None:
    with pytest.raises(NotConfigured):
        IdleCloseExtension.from_crawler(make_crawler())


def test_idle_worker_waits_then_closes(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler(REDIS_URL="redis://127.0.0.1:1/0", CRAWLER_IDLE_CLOSE_SECONDS=3600)
    extension = IdleCloseExtension.from_crawler(crawler)
    with pytest.raises(DontCloseSpider):
        extension.spider_idle(crawler.spider)  # the queue may refill from another worker's listing
    assert extension.idle_since is not None
    extension.active()
    assert extension.idle_since is None  # any activity of its own restarts the wait
    extension.seconds = 0
    extension.spider_idle(crawler.spider)  # waited long enough: no DontCloseSpider, the spider closes
