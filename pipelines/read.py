"""Read: the first stage, a fetched page (`FetchedPage`) becomes an `ArticleItem` through `read_page`, and what
the reading found is counted: the extraction (`extraction/site|fallback`), the parser version that read it
(`parser/<site>/<version>`), the fields the generic reader filled, and the warnings met. A page that is not
an article (a listing reached through an article link, a page with no article structure) is dropped as
`NotAnArticlePage`, counted under `pages/skipped/<reason>` and logged at DEBUG only: it is not a fault.

The stage runs wherever the other pipelines run: in the crawl's process, or in the item worker
(crawler/item_worker/), which is why the page arrives as plain data rather than as the Scrapy response.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings

from crawler.extraction import Skipped, read_page
from crawler.items import ArticleItem, FetchedPage
from crawler.sites import SITES, SiteDefinition, register_sites_file
from crawler.stats import SKIPPED_PREFIX, WARNINGS_PREFIX
from pipelines.base import ItemPipeline, Stats

logger = logging.getLogger(__name__)


class NotAnArticlePage(DropItem):
    """A fetched page that holds no article: not an error, so it is logged at DEBUG."""

    def __init__(self, url: str, skipped: Skipped) -> None:
        super().__init__(f"not an article ({skipped.reason}): {url}", log_level="DEBUG")
        self.skipped = skipped


class ReadPagePipeline(ItemPipeline):
    def __init__(self, stats: Stats, settings: BaseSettings) -> None:
        super().__init__(stats, settings)
        #: Sites the crawl's spiders were made from (a code spider's own definition wins over the registry).
        self.sites: dict[str, SiteDefinition] = {}
        sites_file = settings.get("CRAWLER_SITES_FILE")
        if sites_file:
            register_sites_file(sites_file)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ReadPagePipeline:
        from scrapy import signals

        pipeline = cls.build(crawler.stats, crawler.settings)
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        return pipeline

    def spider_opened(self, spider: Any) -> None:
        self.register(getattr(spider, "site", None))

    def register(self, site: SiteDefinition | None) -> None:
        if site is not None:
            self.sites[site.name] = site

    def site(self, name: str) -> SiteDefinition | None:
        return self.sites.get(name) or SITES.get(name)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item  # already read (an item from another producer)
        result = read_page(item.response(), self.site(item.site), datetime.fromisoformat(item.fetched_at), item.site)
        if isinstance(result, Skipped):
            self.stats.inc_value(f"{SKIPPED_PREFIX}{result.reason}")
            logger.debug("skipped %s: %s (%s)", item.url, result.reason, result.detail)
            raise NotAnArticlePage(item.url, result)
        self._count(result, item.url)
        return result

    def _count(self, result: ArticleItem, url: str) -> None:
        self.stats.inc_value(f"extraction/{result.extraction}")
        for warning in result.warnings:
            self.stats.inc_value(WARNINGS_PREFIX + warning)
        if result.parser_version:
            self.stats.inc_value(f"parser/{result.parser_version}")
        if result.extraction == "fallback":
            site = self.site(result.site)
            if site is not None and site.versions:  # a site without parser versions is read by the generic reader by design
                logger.warning("site selectors found no body on %s; used the generic reader", url)
        elif result.fallback_fields:
            for name in result.fallback_fields:
                self.stats.inc_value(f"extraction/fallback_field/{name}")
            logger.info("site selectors missed %s on %s; the generic reader filled them", ", ".join(result.fallback_fields), url)
