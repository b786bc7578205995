"""robots.txt, fetched once a day per host rather than once per run, and read as RFC 9309 says.

A crawl scheduled every 30 minutes would otherwise fetch every host's robots.txt 48 times a day. Major crawlers
cache it for up to 24 hours; so do we (`CRAWLER_ROBOTS_CACHE_HOURS`), in the store's per-site state table.

What the answer means (RFC 9309, section 2.3.1):
- 2xx: the rules it holds;
- 4xx (404, 403, 410, ...): no rules, everything allowed;
- 5xx: unavailable, so complete disallow. Nothing of the host is fetched this run, the host is counted under
  `crawl/errors/robots_txt_unavailable`, and the verdict is cached only briefly
  (`CRAWLER_ROBOTS_ERROR_CACHE_MINUTES`, default 10) so a later run asks again.

No answer at all (a host that does not resolve or refuses connections) is left to Scrapy (no rules): the site's
own requests then fail the same way, and crawler/middlewares/unreachable.py reports the host in one line.
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
DISALLOW_ALL = "User-agent: *\nDisallow: /\n"


def robots_rules(status: int, body: bytes) -> str:
    """The rules an answer stands for, as robots.txt text (RFC 9309: 4xx allows all, 5xx disallows all)."""
    if 500 <= status < 600:
        return DISALLOW_ALL
    if 200 <= status < 300:
        return body.decode("utf-8", "replace")
    return ""


class CachedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.store = open_store(crawler.settings)
        self.clock = clock_from(crawler.settings)
        self.max_age = timedelta(hours=crawler.settings.getfloat("CRAWLER_ROBOTS_CACHE_HOURS", 24))
        self.error_max_age = timedelta(minutes=crawler.settings.getfloat("CRAWLER_ROBOTS_ERROR_CACHE_MINUTES", 10))

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            cached = self.store.state.get(_STATE_SITE, netloc)
            if cached:
                entry = json.loads(cached)
                unavailable = int(entry.get("status", 200)) >= 500
                max_age = self.error_max_age if unavailable else self.max_age
                if self.clock() - datetime.fromisoformat(entry["fetched_at"]) < max_age:
                    self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, entry["body"].encode("utf-8"))
                    self._stats.inc_value("robotstxt/cached")
                    if unavailable:
                        self._count_unavailable(netloc, f"HTTP {entry['status']} (cached)")
        return await super().robot_parser(request)

    def _count_unavailable(self, netloc: str, why: str) -> None:
        self._stats.inc_value("crawl/errors")
        self._stats.inc_value("crawl/errors/robots_txt_unavailable")
        self.crawler.spider.logger.error(
            "robots.txt of %s is unavailable (%s): nothing of this host is fetched this run (RFC 9309)", netloc, why
        )

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        rules = robots_rules(response.status, response.body)
        entry = {"fetched_at": self.clock().astimezone(timezone.utc).isoformat(timespec="seconds"), "body": rules,
                 "status": response.status}
        self.store.state.set(_STATE_SITE, netloc, json.dumps(entry))
        if response.status >= 500:
            self._count_unavailable(netloc, f"HTTP {response.status}")
        await super()._parse_robots(response.replace(body=rules.encode("utf-8")), netloc, request)
