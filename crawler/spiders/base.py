"""The spider every site uses: listings (paginated, HTML or JSON), RSS feeds and sitemaps lead to article pages.

Everything site-specific comes from the site's `SiteDefinition`; this class only follows links and hands
pages on, as fetched, to the item pipelines (their first stage reads them: pipelines/read.py). `spider_class_for(site)` makes the spider of one site (the spider loader does this for
every definition). Failures are counted by reason in the stats and never stop the crawl.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from scrapy_playwright.page import PageMethod

from crawler.browser import playwright_settings
from crawler.clock import Clock, clock_from
from crawler.extraction.listing import listing_links, next_listing_page
from crawler.items import FetchedPage
from crawler.middlewares.unreachable import UNREACHABLE, error_name
from crawler.parsing.urls import followable_url, strip_session_params
from crawler.sites import SiteDefinition, host_of, resolve_base_url
from crawler.stats import NETWORK_DIAGNOSIS


class SiteSpider(scrapy.Spider):
    site: ClassVar[SiteDefinition]
    base_url: str
    max_listing_pages: int
    clock: Clock

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """A site whose listings need JavaScript gets the Playwright download handler; the others never start
        a browser."""
        super().update_settings(settings)
        if getattr(cls, "site", None) is not None and cls.site.render == "js":
            settings.setdict(playwright_settings(), priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.base_url = resolve_base_url(cls.site, crawler.settings)
        spider.allowed_domains = [host_of(spider.base_url)]
        spider.max_listing_pages = crawler.settings.getint("CRAWLER_MAX_LISTING_PAGES", 50)
        spider.clock = clock_from(crawler.settings)
        crawler.signals.connect(spider.on_item_error, signal=signals.item_error)
        crawler.signals.connect(spider.on_opened, signal=signals.spider_opened)
        return spider

    def on_opened(self, spider: Any) -> None:
        """Every parser version starts the run at zero, so a redesign shows as a version's 0 in the summary."""
        for version in self.site.versions:
            self.crawler.stats.set_value(f"parser/{version.name}", 0)

    @classmethod
    def handles_request(cls, request: Request) -> bool:
        """`scrapy parse URL` picks the site whose base URL the URL is under (replica sites share one host)."""
        site = getattr(cls, "site", None)
        return site is not None and (request.url.split("?")[0] + "/").startswith(resolve_base_url(site) + "/")

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """The default callback (`scrapy parse URL` without `-c`): the site's listing, feed or sitemap is followed
        as a crawl follows it; any other page is read as an article."""
        path = response.url.split("?")[0][len(self.base_url):] if response.url.startswith(self.base_url) else ""
        if path in self.site.listing_paths:
            yield from self.parse_listing(response, page=1)
        elif path in self.site.feed_paths:
            yield from self.parse_feed(response)
        elif path in self.site.sitemap_paths:
            yield from self.parse_sitemap(response)
        else:
            yield from self.parse_article(response)

    def on_item_error(self, item: Any, response: Any, spider: Any, failure: Failure) -> None:
        """A pipeline raised (a bug, not a site fault): count it so the run reports failure; the crawl goes on."""
        self.crawler.stats.inc_value("crawl/item_errors")
        self.crawler.stats.inc_value(f"crawl/item_errors/{failure.type.__name__ if failure.type else 'error'}")

    def _request(self, url: str, callback: Any, kind: str, **kwargs: Any) -> Request:
        """Every request says what it is for (`kind`), so middlewares such as the incremental one can act on it.
        On a JavaScript-rendered site, listing pages are rendered in the browser until their list is built."""
        meta: dict[str, Any] = {"kind": kind}
        if kind == "listing" and self.site.render == "js":
            meta.update(
                playwright=True,
                playwright_page_methods=[PageMethod("wait_for_selector", self._rendered_listing_selector())],
            )
        return Request(url, callback=callback, errback=self.on_error, meta=meta, **kwargs)

    def _follow(self, response: Response, href: str | None, callback: Any, kind: str, **kwargs: Any) -> Iterator[Request]:
        """A request for a link found on a page, or nothing (counted `bad_link`) when no browser would fetch it:
        one `javascript:void(0)` or malformed href must not cost the page's other links. Session ids and
        tracking parameters are dropped first, so 250 session-stamped links to one article are one request."""
        url = followable_url(response.url, href)
        if url is not None:
            url = strip_session_params(url, self.site.strip_query_params)
            try:
                yield self._request(url, callback, kind, **kwargs)
                return
            except ValueError:
                pass
        self.crawler.stats.inc_value("pages/skipped/bad_link")
        self.logger.debug("bad link on %s: %r", response.url, (href or "")[:200])

    def _rendered_listing_selector(self) -> str:
        """Any version's listing-link selector (a CSS selector list): the page is ready when one matches."""
        css = [q.split("::")[0] for q in self.site.listing_link_selectors() if not q.startswith("xpath:")]
        return ", ".join(css) or "a[href]"

    async def start(self) -> AsyncIterator[Request]:
        for path in self.site.listing_paths:
            yield self._request(self.base_url + path, self.parse_listing, "listing", cb_kwargs={"page": 1})
        for listing in self.site.json_listings:
            url = self.base_url + listing.path.format(page=listing.first_page)
            yield self._request(url, self.parse_json_listing, "listing", cb_kwargs={"listing": listing, "page": listing.first_page})
        for path in self.site.feed_paths:
            yield self._request(self.base_url + path, self.parse_feed, "feed")
        for path in self.site.sitemap_paths:
            yield self._request(self.base_url + path, self.parse_sitemap, "sitemap")

    def parse_listing(self, response: Response, page: int) -> Iterator[Request]:
        self.crawler.stats.inc_value("pages/listing")
        links, _ = listing_links(response.selector, self.site, response.urljoin)
        if not links:
            self.crawler.stats.inc_value("pages/listing_empty")
            self.logger.warning("listing %s has no article links (selectors outdated?)", response.url)
        for href in links:
            yield from self._follow(response, href, self.parse_article, "article")
        next_href = next_listing_page(response.selector, self.site)
        if next_href and page < self.max_listing_pages:
            yield from self._follow(response, next_href, self.parse_listing, "listing", cb_kwargs={"page": page + 1})

    def parse_json_listing(self, response: Response, listing: Any, page: int) -> Iterator[Request]:
        """One page of a JSON listing ("Xem thêm"): article addresses under `url_key`; the next page is asked
        for until a page comes back empty."""
        self.crawler.stats.inc_value("pages/listing")
        try:
            data = json.loads(response.text)
        except (ValueError, AttributeError):
            self._count_error("bad_json_listing", response.url)
            return
        entries = data.get(listing.items_key, []) if listing.items_key and isinstance(data, dict) else data
        urls = [e.get(listing.url_key) for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
        urls = [u for u in urls if isinstance(u, str) and u]
        for url in urls:
            yield from self._follow(response, url, self.parse_article, "article")
        if urls and page < self.max_listing_pages:
            next_url = self.base_url + listing.path.format(page=page + 1)
            yield self._request(next_url, self.parse_json_listing, "listing", cb_kwargs={"listing": listing, "page": page + 1})

    def parse_feed(self, response: Response) -> Iterator[Request]:
        self.crawler.stats.inc_value("pages/feed")
        response.selector.remove_namespaces()
        for link in response.xpath("//item/link/text() | //entry/link/@href").getall():
            yield from self._follow(response, link, self.parse_article, "article")

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        self.crawler.stats.inc_value("pages/sitemap")
        sitemap = Sitemap(response.body)
        index = sitemap.type == "sitemapindex"
        for entry in sitemap:
            callback = self.parse_sitemap if index else self.parse_article
            yield from self._follow(response, entry.get("loc"), callback, "sitemap" if index else "article")

    def parse_article(self, response: Response) -> list[FetchedPage]:
        """The page, as fetched, for the item pipelines (their first stage reads it: pipelines/read.py).
        A list, not a generator: Scrapy parses a generator callback's source on every call to look for a
        `return` with a value (WARN_ON_GENERATOR_RETURN_VALUE), which cost 15% of a crawl's CPU."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("pages/skipped/not_text")
            return []
        fetched_at = self.clock().isoformat()
        return [FetchedPage.from_response(response, self.site.name, fetched_at)]

    def on_error(self, failure: Failure) -> None:
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            message = str(failure.value)
            if "not modified" in message or "Forbidden by robots.txt" in message:
                return  # a deliberate skip (a 304 check, or robots.txt), counted where it was decided
            reason = "redirect_loop" if "redirect" in message else "ignored"
            self._count_error(reason, failure.request.url)
            return
        if failure.check(HttpError):
            response = failure.value.response
            reason = f"http_{response.status}"
            url = response.url
        else:
            reason = error_name(failure.type)
            url = failure.request.url if hasattr(failure, "request") else "?"
        self._count_error(reason, url)

    def _count_error(self, reason: str, url: str) -> None:
        self.crawler.stats.inc_value("crawl/errors")
        self.crawler.stats.inc_value(f"crawl/errors/{reason}")
        # An unreachable host was already named in one line (crawler/middlewares/unreachable.py): its pages only count.
        diagnosed = reason in UNREACHABLE and self.crawler.stats.get_value(NETWORK_DIAGNOSIS)
        self.logger.log(logging.DEBUG if diagnosed else logging.WARNING, "failed %s: %s", url, reason)


def spider_class_for(site: SiteDefinition) -> type[SiteSpider]:
    """The spider of one site definition: `SiteSpider` with the site's name and definition, nothing else."""
    class_name = "".join(part.capitalize() for part in re.split(r"[^a-z0-9]+", site.name)) + "Spider"
    doc = f"Spider for the `{site.name}` site ({site.source}); everything it knows is the site's definition."
    return type(class_name, (SiteSpider,), {"name": site.name, "site": site, "__doc__": doc, "__module__": __name__})
