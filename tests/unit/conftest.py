"""The unit layer's fixtures: a real temporary SQLite file per test, Scrapy crawlers from `get_crawler` with that
file and a frozen clock in their settings, and small article items."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.clock import Clock, fixed_clock
from crawler.items import ArticleItem
from crawler.parsing.text import content_hash
from crawler.sites import SITES
from crawler.spiders.base import spider_class_for
from crawler.store import Store, open_store

#: The frozen "now" of every unit test (a Saturday morning in Hanoi).
FROZEN = datetime(2024, 10, 5, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> Clock:
    return fixed_clock(FROZEN)


@pytest.fixture
def crawler_settings(tmp_path: Path, clock: Clock) -> dict[str, Any]:
    return {"CRAWLER_DB_PATH": str(tmp_path / "crawl.db"), "CRAWLER_CLOCK": clock}


@pytest.fixture
def store(crawler_settings: dict[str, Any]) -> Iterator[Store]:
    """The store every component built from `make_crawler` shares (the same `open_store` instance)."""
    store = open_store(Settings(crawler_settings))
    yield store
    store.close()


@pytest.fixture
def make_crawler(crawler_settings: dict[str, Any]) -> Callable[..., Crawler]:
    """A crawler for a spider (Thanh Xuân's by default) with the test's store and clock; its spider is built."""

    def make(spidercls: type | None = None, **overrides: Any) -> Crawler:
        spidercls = spidercls or spider_class_for(SITES["thanhxuan"])
        crawler = get_crawler(spidercls, {**crawler_settings, **overrides})
        crawler.spider = spidercls.from_crawler(crawler)
        return crawler

    return make


def article(
    url: str,
    body: str = "Nội dung bài viết về hội nghị của quận. " * 8,
    published: str | None = "2024-10-04T09:30:00+07:00",
    views: int | None = None,
    site: str = "thanhxuan",
    **fields: Any,
) -> ArticleItem:
    return ArticleItem(
        url=url, site=site, title=fields.pop("title", "Tiêu đề"), body=body, published_at=published, view_count=views,
        crawled_at="2024-10-05T10:00:00+07:00", content_hash=content_hash(body),
        conference=fields.pop("conference", {"is_conference": False}), **fields,
    )
