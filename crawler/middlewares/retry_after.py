"""Honour Retry-After on 429 and 503 answers: wait as the server asks (up to a cap), then retry.

Scrapy's retry middleware retries 503 at once, which is exactly what an overloaded server asked us not to do.
The wait is an asyncio sleep inside this request's download slot, so other sites keep crawling meanwhile.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from crawler.clock import clock_from

RETRY_AFTER_STATUSES = {429, 503}


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """'120' -> 120.0; an HTTP date -> seconds from `now` (default: the real clock); None when absent or
    unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("CRAWLER_RETRY_AFTER_MAX", 120)
        self.max_retries = crawler.settings.getint("RETRY_TIMES", 2)
        self.clock = clock_from(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        if not crawler.settings.getbool("RETRY_ENABLED", True):
            raise NotConfigured
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in RETRY_AFTER_STATUSES:
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After", b"").decode("latin-1") or None, self.clock())
        retries = request.meta.get("retry_times", 0)
        if wait is None or wait > self.max_wait or retries >= self.max_retries:
            return response  # no usable header, too long a wait, or out of retries: the retry middleware decides
        self.crawler.stats.inc_value("retry_after/count")
        self.crawler.stats.inc_value("retry_after/seconds_waited", int(round(wait)))
        await asyncio.sleep(wait)
        return request.replace(dont_filter=True, meta={**request.meta, "retry_times": retries + 1})
