"""CachedRobotsTxtMiddleware: a host's robots.txt kept in the store's state, reused while fresh (frozen clock)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import timedelta

from scrapy.crawler import Crawler
from scrapy.http import Request, TextResponse
from twisted.internet.defer import Deferred

from crawler.middlewares.robots import CachedRobotsTxtMiddleware
from crawler.store import Store
from tests.unit.conftest import FROZEN

HOST = "thanhxuan.hanoi.gov.vn"
ROBOTS = "User-agent: *\nDisallow: /admin\n"


def test_fresh_cached_robots_is_used_without_a_download(make_crawler: Callable[..., Crawler], store: Store) -> None:
    entry = {"fetched_at": (FROZEN - timedelta(hours=23)).isoformat(), "body": ROBOTS}
    store.state.set("robots.txt", HOST, json.dumps(entry))
    crawler = make_crawler(ROBOTSTXT_OBEY=True)  # no engine: a download would fail the test
    middleware = CachedRobotsTxtMiddleware(crawler)
    parser = asyncio.run(middleware.robot_parser(Request(f"https://{HOST}/tin-tuc")))
    assert parser is not None
    assert not parser.allowed(f"https://{HOST}/admin", "*") and parser.allowed(f"https://{HOST}/tin-tuc", "*")
    assert crawler.stats.get_value("robotstxt/cached") == 1


def test_fetched_robots_is_stored_with_the_clock_time(make_crawler: Callable[..., Crawler], store: Store) -> None:
    middleware = CachedRobotsTxtMiddleware(make_crawler(ROBOTSTXT_OBEY=True))
    request = Request(f"https://{HOST}/tin-tuc")
    middleware._parsers[HOST] = Deferred()  # what Scrapy's own robot_parser leaves while the download runs
    response = TextResponse(f"https://{HOST}/robots.txt", body=ROBOTS.encode(), encoding="utf-8", request=request)
    asyncio.run(middleware._parse_robots(response, HOST, request))
    stored = json.loads(store.state.get("robots.txt", HOST) or "{}")
    assert stored == {"fetched_at": FROZEN.isoformat(timespec="seconds"), "body": ROBOTS}
