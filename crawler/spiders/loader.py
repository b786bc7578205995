"""The spider loader: every site definition is a spider, so `scrapy list` and `scrapy crawl NAME` see the
bundled sites and a user's TOML sites (the `CRAWLER_SITES_FILE` setting) without a spider file.

Spiders written as code in `SPIDER_MODULES` still load as Scrapy's own loader loads them, and win over a
definition of the same name.
"""

from __future__ import annotations

from typing import Any

from scrapy.spiderloader import SpiderLoader

from crawler.sites import SITES, register_sites_file
from crawler.spiders.base import spider_class_for


class SiteSpiderLoader(SpiderLoader):
    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        sites_file = settings.get("CRAWLER_SITES_FILE")
        if sites_file:
            register_sites_file(sites_file)
        for name, site in SITES.items():
            if name not in self._spiders:
                self._spiders[name] = spider_class_for(site)
