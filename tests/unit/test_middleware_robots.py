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
    assert stored == {"fetched_at": FROZEN.isoformat(timespec="seconds"), "body": ROBOTS, "status": 200}


def test_robots_rules_follow_rfc_9309() -> None:
    from crawler.middlewares.robots import DISALLOW_ALL, robots_rules

    assert robots_rules(200, b"User-agent: *\nDisallow: /admin\n") == "User-agent: *\nDisallow: /admin\n"
    assert robots_rules(404, b"<html>not found</html>") == "" and robots_rules(403, b"") == ""  # 4xx: allow all
    assert robots_rules(503, b"<html>busy</html>") == DISALLOW_ALL and robots_rules(500, b"") == DISALLOW_ALL


def test_a_recent_5xx_verdict_is_reused_and_counted(make_crawler: Callable[..., Crawler], store: Store) -> None:
    entry = {"fetched_at": (FROZEN - timedelta(minutes=5)).isoformat(), "body": "User-agent: *\nDisallow: /\n", "status": 503}
    store.state.set("robots.txt", HOST, json.dumps(entry))
    crawler = make_crawler(ROBOTSTXT_OBEY=True)  # no engine: a download would fail the test
    middleware = CachedRobotsTxtMiddleware(crawler)
    parser = asyncio.run(middleware.robot_parser(Request(f"https://{HOST}/tin-tuc")))
    assert not parser.allowed(f"https://{HOST}/tin-tuc", "*")
    assert crawler.stats.get_value("crawl/errors/robots_txt_unavailable") == 1
    assert middleware.error_max_age == timedelta(minutes=10) < middleware.max_age
