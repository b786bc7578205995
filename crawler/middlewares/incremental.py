"""Incremental crawling: each scheduled run fetches what is new, and little else.

Opt-in middlewares (on by default; `CRAWLER_INCREMENTAL=0` or `crawler crawl --full` turns them off), keyed per
request by the `kind` the spider puts in `request.meta`:

- article requests for stored URLs are dropped before download, except recent articles (published within
  `CRAWLER_REFRESH_DAYS`) whose view counts still move; those are re-fetched with If-None-Match /
  If-Modified-Since, and a 304 answer is recorded as a check;
- a listing page whose article links were all stored *before this run* ends pagination there, unless the
  site's previous run did not finish (killed, crashed): then this run walks every page, so a resumed crawl
  loses nothing. Articles read earlier in the same run (from the sitemap, a feed, another listing) are skipped
  as links but never stop pagination: whether they were read before the listing page arrived is a matter of
  timing, and a first run that stopped on them would miss the pages behind (and so would every later run);
- sitemaps (large, for backfill) are fetched at most every `CRAWLER_SITEMAP_EVERY_HOURS`; feeds and the first
  listing page are fetched every run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response

from crawler.clock import clock_from
from crawler.parsing.dates import VN_TZ
from crawler.sites import article_url
from crawler.stats import write_failures
from crawler.stats import INCREMENTAL_NOT_MODIFIED, INCREMENTAL_SKIPPED_STORED
from crawler.store import Store, open_store


def _enabled(crawler: Any) -> bool:
    return crawler.settings.getbool("CRAWLER_INCREMENTAL", True)


class IncrementalSpiderMiddleware:
    def __init__(self, crawler: Any, store: Store) -> None:
        self.crawler = crawler
        self.store = store
        self.clock = clock_from(crawler.settings)
        self.stats = crawler.stats
        self.refresh_days = crawler.settings.getint("CRAWLER_REFRESH_DAYS", 7)
        self.sitemap_every = timedelta(hours=crawler.settings.getfloat("CRAWLER_SITEMAP_EVERY_HOURS", 24))
        #: Articles stored before this run opened: the only ones that may end a listing's pagination.
        self.stored_before: frozenset[str] = frozenset()
        #: Those, plus the articles read in this run: a link to any of them is not fetched again.
        self.known: set[str] = set()
        self.refresh: dict[str, tuple[str | None, str | None]] = {}
        self.stop_at_known_pages = True
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

    @classmethod
    def from_crawler(cls, crawler: Any) -> IncrementalSpiderMiddleware:
        if not _enabled(crawler):
            raise NotConfigured("incremental crawling is off")
        return cls(crawler, open_store(crawler.settings))

    @property
    def site(self) -> Any:
        return self.crawler.spider.site

    @property
    def base_url(self) -> str:
        return str(getattr(self.crawler.spider, "base_url", "") or self.site.base_url)

    @property
    def scope(self) -> str:
        """State is kept per site *and* base URL actually crawled: a replica run (`make run`) sets no timer and
        marks nothing known for a later live crawl of the same site."""
        return f"{self.site.name} {self.base_url}"

    def spider_opened(self, spider: Any) -> None:
        state = self.store.state
        if state.get(self.scope, "incomplete_since"):
            # The last run was killed or crashed mid-way: its stored first pages say nothing about the rest.
            self.stop_at_known_pages = False
            self.stats.set_value("incremental/resuming_interrupted_run", 1)
        state.set(self.scope, "incomplete_since", self._now().isoformat(timespec="seconds"))
        under_base = self.base_url.rstrip("/") + "/"
        self.stored_before = frozenset(url for url in self.store.articles.known_urls(self.site.name) if url.startswith(under_base))
        self.known = set(self.stored_before)
        since = (self._now().astimezone(VN_TZ) - timedelta(days=self.refresh_days)).isoformat(timespec="seconds")
        self.refresh = {
            url: validators for url, validators in self.store.articles.refresh_candidates(self.site.name, since).items()
            if url.startswith(under_base)
        }
        self.stats.set_value("incremental/known_articles", len(self.known))
        self.stats.set_value("incremental/refresh_candidates", len(self.refresh))

    def spider_closed(self, spider: Any, reason: str) -> None:
        # A run whose commits failed (disk full) lost pages it had read: like a killed run, it is not complete.
        if reason == "finished" and not write_failures(self.stats.get_stats()):
            self.store.state.set(self.scope, "incomplete_since", "")

    def item_scraped(self, item: Any, response: Response, spider: Any) -> None:
        self.known.update(url for url in (item.url, getattr(item, "link_url", None)) if url)

    def _now(self) -> datetime:
        return self.clock().astimezone(timezone.utc)

    def _canonical(self, url: str) -> str:
        return article_url(url, self.site)

    def _sitemap_due(self) -> bool:
        last = self.store.state.get(self.scope, "sitemap_fetched_at")
        return last is None or self._now() - datetime.fromisoformat(last) >= self.sitemap_every

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        due = self._sitemap_due()
        async for request in start:
            if isinstance(request, Request) and request.meta.get("kind") == "sitemap" and not due:
                self.stats.inc_value("incremental/sitemap_not_due")
                continue
            yield request

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        # Collect what the callback produced before any failure: an exception half-way through a page must not
        # take the articles already found on it along (it is re-raised afterwards, and counted as usual).
        collected: list[Any] = []
        failure: Exception | None = None
        try:
            for entry in result:
                collected.append(entry)
        except Exception as exc:  # noqa: BLE001 - re-raised below, after the page's output is passed on
            failure = exc
        yield from self._filter(response, collected)
        if failure is not None:
            raise failure

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        collected: list[Any] = []
        failure: Exception | None = None
        try:
            async for entry in result:
                collected.append(entry)
        except Exception as exc:  # noqa: BLE001 - as in process_spider_output
            failure = exc
        for entry in self._filter(response, collected):
            yield entry
        if failure is not None:
            raise failure

    def _filter(self, response: Response, output: list[Any]) -> Iterator[Any]:
        """The page's output with stored articles dropped (or turned into conditional refreshes) and pagination
        stopped at a page whose articles were all stored before this run (never on what this run read: that
        would make the pages walked depend on which response arrived first)."""
        kind = response.meta.get("kind")
        if kind == "sitemap":
            self.store.state.set(self.scope, "sitemap_fetched_at", self._now().isoformat(timespec="seconds"))
        articles = [r for r in output if isinstance(r, Request) and r.meta.get("kind") == "article"]
        nothing_new = (
            self.stop_at_known_pages and bool(articles) and all(self._canonical(r.url) in self.stored_before for r in articles)
        )
        for entry in output:
            if not isinstance(entry, Request):
                yield entry
            elif entry.meta.get("kind") == "article":
                request = self._article_request(entry)
                if request is not None:
                    yield request
            elif entry.meta.get("kind") == "listing" and kind == "listing" and nothing_new:
                self.stats.inc_value("incremental/listing_stopped")
            else:
                yield entry

    def _article_request(self, request: Request) -> Request | None:
        url = self._canonical(request.url)
        if url not in self.known:
            return request
        if url not in self.refresh:
            self.stats.inc_value(INCREMENTAL_SKIPPED_STORED)
            return None
        etag, last_modified = self.refresh.pop(url)
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self.stats.inc_value("incremental/refreshed")
        meta = {**request.meta, "refresh": True, "handle_httpstatus_list": [304]}
        return request.replace(headers={**request.headers.to_unicode_dict(), **headers}, meta=meta)


class NotModifiedMiddleware:
    """Downloader middleware: a 304 answer to a refresh is a check (recorded), not an error or a page."""

    def __init__(self, crawler: Any, store: Store) -> None:
        self.crawler = crawler
        self.store = store
        self.clock = clock_from(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> NotModifiedMiddleware:
        if not _enabled(crawler):
            raise NotConfigured("incremental crawling is off")
        return cls(crawler, open_store(crawler.settings))

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304 and request.meta.get("refresh"):
            self.crawler.stats.inc_value(INCREMENTAL_NOT_MODIFIED)
            url = article_url(request.url, self.crawler.spider.site)
            self.store.articles.mark_checked(url, self.clock().astimezone(VN_TZ).isoformat(timespec="seconds"))
            raise IgnoreRequest("not modified")
        return response
