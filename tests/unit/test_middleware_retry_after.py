"""RetryAfterMiddleware: a 429/503 with a usable Retry-After is waited out and retried; otherwise left alone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from email.utils import format_datetime

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from crawler.middlewares.retry_after import RetryAfterMiddleware, retry_after_seconds
from tests.unit.conftest import FROZEN


def test_seconds_and_http_dates_against_an_injected_now() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(format_datetime(FROZEN + timedelta(seconds=90), usegmt=True), now=FROZEN) == 90.0
    assert retry_after_seconds(format_datetime(FROZEN - timedelta(seconds=5), usegmt=True), now=FROZEN) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def answer(status: int, retry_after: str | None, **meta: object) -> tuple[Request, Response]:
    request = Request("https://a.vn/1", meta=dict(meta))
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return request, Response(request.url, status=status, headers=headers, request=request)


def test_waits_and_retries(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler()
    middleware = RetryAfterMiddleware.from_crawler(crawler)
    request, response = answer(503, "0")
    retried = asyncio.run(middleware.process_response(request, response))
    assert isinstance(retried, Request) and retried.dont_filter and retried.meta["retry_times"] == 1
    assert crawler.stats.get_value("retry_after/count") == 1


@pytest.mark.parametrize(("status", "header", "meta"), [(200, "0", {}), (503, None, {}), (503, "3600", {}), (429, "0", {"retry_times": 2})])
def test_left_to_the_retry_middleware(make_crawler: Callable[..., Crawler], status: int, header: str | None, meta: dict[str, int]) -> None:
    middleware = RetryAfterMiddleware.from_crawler(make_crawler())
    request, response = answer(status, header, **meta)
    assert asyncio.run(middleware.process_response(request, response)) is response


def test_off_when_retries_are_off(make_crawler: Callable[..., Crawler]) -> None:
    with pytest.raises(NotConfigured):
        RetryAfterMiddleware.from_crawler(make_crawler(RETRY_ENABLED=False))
