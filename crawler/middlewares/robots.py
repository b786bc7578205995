"""robots.txt, fetched once a day per host rather than once per run.

A crawl scheduled every 30 minutes would otherwise fetch every host's robots.txt 48 times a day. Major crawlers
cache it for up to 24 hours; so do we (`CRAWLER_ROBOTS_CACHE_HOURS`), in the store's per-site state table.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

from crawler.clock import clock_from
from crawler.store import open_store

_STATE_SITE = "robots.txt"


class CachedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.store = open_store(crawler.settings)
        self.clock = clock_from(crawler.settings)
        self.max_age = timedelta(hours=crawler.settings.getfloat("CRAWLER_ROBOTS_CACHE_HOURS", 24))

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            cached = self.store.state.get(_STATE_SITE, netloc)
            if cached:
                entry = json.loads(cached)
                if self.clock() - datetime.fromisoformat(entry["fetched_at"]) < self.max_age:
                    self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, entry["body"].encode("utf-8"))
                    self._stats.inc_value("robotstxt/cached")
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        body = response.body.decode("utf-8", "replace") if response.status == 200 else ""
        entry = {"fetched_at": self.clock().astimezone(timezone.utc).isoformat(timespec="seconds"), "body": body}
        self.store.state.set(_STATE_SITE, netloc, json.dumps(entry))
        await super()._parse_robots(response, netloc, request)
