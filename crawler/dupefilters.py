"""Scrapy's duplicate filter, made to count redirect loops: a redirect back to a URL already requested is
dropped silently by the stock filter, so a page that only ever redirects would vanish without a trace."""

from __future__ import annotations

from typing import Any

from scrapy.dupefilters import RFPDupeFilter
from scrapy.http import Request


class RedirectLoopCounting:
    """Mixin for any dupefilter with `request_seen`: a redirected request already seen is a loop, counted."""

    stats: Any = None

    def request_seen(self, request: Request) -> bool:
        seen = super().request_seen(request)  # type: ignore[misc]
        if seen and request.meta.get("redirect_urls") and self.stats is not None:
            self.stats.inc_value("crawl/errors")
            self.stats.inc_value("crawl/errors/redirect_loop")
        return seen


class LoopCountingDupeFilter(RedirectLoopCounting, RFPDupeFilter):
    @classmethod
    def from_crawler(cls, crawler: Any) -> LoopCountingDupeFilter:
        dupefilter = super().from_crawler(crawler)
        dupefilter.stats = crawler.stats
        return dupefilter
