"""Scrapy's duplicate filter, made to count redirects it drops: the stock filter drops a redirect to a URL already
requested silently, so a page that only ever redirects would vanish without a trace."""

from __future__ import annotations

from typing import Any

from scrapy.dupefilters import RFPDupeFilter
from scrapy.http import Request
from w3lib.url import canonicalize_url

from crawler.stats import REQUESTS_DROPPED


class RedirectLoopCounting:
    """Mixin for any dupefilter with `request_seen`: a redirect back into its own chain (a -> b -> a) is a loop,
    counted as an error; an ordinary redirect to a page already requested (an old URL moved to a new one that is
    linked too) is a counted skip, `requests/dropped/redirect_to_seen`."""

    stats: Any = None

    def request_seen(self, request: Request) -> bool:
        seen = super().request_seen(request)  # type: ignore[misc]
        chain = request.meta.get("redirect_urls")
        if seen and chain and self.stats is not None:
            target = canonicalize_url(request.url)
            if any(canonicalize_url(url) == target for url in chain):
                self.stats.inc_value("crawl/errors")
                self.stats.inc_value("crawl/errors/redirect_loop")
            else:
                self.stats.inc_value(f"{REQUESTS_DROPPED}redirect_to_seen")
        return seen


class LoopCountingDupeFilter(RedirectLoopCounting, RFPDupeFilter):
    @classmethod
    def from_crawler(cls, crawler: Any) -> LoopCountingDupeFilter:
        dupefilter = super().from_crawler(crawler)
        dupefilter.stats = crawler.stats
        return dupefilter
