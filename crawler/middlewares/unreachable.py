"""Readable network failures: one line per site that says what is wrong, and an early stop when a site cannot
be reached at all.

Scrapy reports a host that does not resolve or a port that refuses connections as a retried download error per
request, each with a traceback (robots.txt's included), and a crawl of an unreachable site still "finishes".
This downloader middleware sees each failed download (before the retry middleware) and:

- names the failure once per host in words a person can act on: "cannot resolve kinhtedothi.vn: check the
  network or the base URL";
- when the host has never answered in this run, closes the spider with reason `unreachable` (retrying every
  listing, feed and sitemap for a minute changes nothing), so the run is recorded as failing and the command
  exits non-zero;
- quiets the duplicate reports of the same failure (Scrapy's give-up line, robots.txt's traceback).

`error_name` maps exception class names, Scrapy's current ones and Twisted's older ones, to the readable names
that run records use (`dns_error`, `connection_refused`, `timeout`, ...).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro

from crawler import stats as keys

#: Readable reasons for download failures, as they appear in run records and the summary.
ERROR_NAMES = {
    # Scrapy >= 2.14 wraps the handler's errors in its own classes:
    "CannotResolveHostError": "dns_error",
    "DownloadConnectionRefusedError": "connection_refused",
    "DownloadTimeoutError": "timeout",
    "DownloadCancelledError": "cancelled_too_large",
    "ResponseDataLossError": "truncated_body",
    "DownloadFailedError": "download_failed",
    # Twisted's own classes (older Scrapy, other download handlers):
    "DNSLookupError": "dns_error",
    "ConnectionRefusedError": "connection_refused",
    "TCPTimedOutError": "timeout",
    "TimeoutError": "timeout",
    "ResponseNeverReceived": "no_response",
    "_DataLoss": "truncated_body",
    "CancelledError": "too_large_or_cancelled",
    # scrapy-playwright (the browser):
    "TargetClosedError": "browser_crashed",
    "Error": "browser_error",
}

#: Failures that mean the host cannot be reached at all (as opposed to one slow or broken page).
UNREACHABLE = ("dns_error", "connection_refused")


def error_name(exc_type: type[BaseException] | None) -> str:
    """The readable name of a download failure: its own class's, or the nearest base class's that has one."""
    if exc_type is None:
        return "error"
    for cls in exc_type.__mro__:
        if cls.__name__ in ERROR_NAMES:
            return ERROR_NAMES[cls.__name__]
    return exc_type.__name__


def describe(reason: str, url: str) -> str | None:
    """One line a person can act on, for a failure that makes a whole host unreachable; None for other failures."""
    parts = urlsplit(url)
    host = parts.hostname or url
    if reason == "dns_error":
        return f"cannot resolve {host}: check the network or the base URL"
    if reason == "connection_refused":
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return f"{host}:{port} refused the connection: is the server running? check the base URL"
    return None


class _NetworkNoiseFilter(logging.Filter):
    """Drops the repeat reports of a network failure that this module has already put in one line: robots.txt's
    'Error downloading' traceback for a host that cannot be reached."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, dict) else {}
        exc = args.get("f_exception")
        if isinstance(exc, BaseException) and error_name(type(exc)) in UNREACHABLE:
            return False
        return True


_FILTER = _NetworkNoiseFilter()


class UnreachableSiteMiddleware:
    def __init__(self, crawler: Any) -> None:
        if not crawler.settings.getbool("CRAWLER_DIAGNOSE_UNREACHABLE", True):
            raise NotConfigured
        self.crawler = crawler
        self.answered: set[str] = set()
        self.diagnosed: set[str] = set()
        #: Hosts that failed before ever answering, with the failure: their other requests fail at once.
        self.unreachable: dict[str, type[BaseException]] = {}
        logging.getLogger("scrapy.downloadermiddlewares.robotstxt").addFilter(_FILTER)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> UnreachableSiteMiddleware:
        return cls(crawler)

    def spider_closed(self) -> None:
        logging.getLogger("scrapy.downloadermiddlewares.robotstxt").removeFilter(_FILTER)

    def process_request(self, request: Request, spider: Any = None) -> None:
        failure = self.unreachable.get(urlsplit(request.url).netloc)
        if failure is not None:
            raise failure(f"not tried: {urlsplit(request.url).netloc} could not be reached earlier in this run")

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        self.answered.add(urlsplit(request.url).netloc)
        return response

    def process_exception(self, request: Request, exception: BaseException, spider: Any = None) -> None:
        reason = error_name(type(exception))
        line = describe(reason, request.url)
        netloc = urlsplit(request.url).netloc
        if line is None:
            return None
        if netloc not in self.answered:
            request.meta["dont_retry"] = True  # a host that never answered: retrying only delays the diagnosis
            self.unreachable[netloc] = type(exception)
        if netloc in self.diagnosed:
            return None
        self.diagnosed.add(netloc)
        spider = self.crawler.spider
        stats = self.crawler.stats
        spider.logger.error(line)
        stats.set_value(keys.NETWORK_DIAGNOSIS, line)
        if netloc not in self.answered and self.crawler.engine is not None and not stats.get_value(keys.NETWORK_UNREACHABLE):
            stats.set_value(keys.NETWORK_UNREACHABLE, 1)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="unreachable"))
        return None
