"""`scrapy parse URL`: inspect what a site's spider makes of one page, without side effects on the store.

Without `-c`, the spider's `parse` picks the callback from the URL (listing, feed, sitemap or article). A parse
is not a crawl: no run is recorded, no lock is taken, no progress is drawn, and a stored article is fetched like
any other. An article page is shown read, as the item the chain's first stage makes of it (the spider itself
hands pages on as fetched: `FetchedPage`).
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from scrapy.commands.parse import Command as ScrapyParseCommand
from scrapy.exceptions import DropItem

from crawler.items import FetchedPage
from pipelines.base import CountingStats
from pipelines.read import ReadPagePipeline

logger = logging.getLogger(__name__)

NOT_FOR_PARSE = ("crawler.extensions.run_recorder.RunRecorder", "crawler.extensions.progress.ProgressDisplay")


class Command(ScrapyParseCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        extensions = {**self.settings.getdict("EXTENSIONS"), **dict.fromkeys(NOT_FOR_PARSE)}
        self.settings.set("EXTENSIONS", extensions, priority="cmdline")
        self.settings.set("CRAWLER_INCREMENTAL", False, priority="cmdline")

    def scraped_data(self, args: tuple[Any, ...]) -> list[Any]:
        items, *rest = args
        spider = rest[3]
        reader = ReadPagePipeline(CountingStats(), spider.settings)
        reader.register(getattr(spider, "site", None))
        read = []
        for item in items:
            if isinstance(item, FetchedPage):
                try:
                    item = reader.process_item(item)
                except DropItem as exc:
                    logger.info("%s", exc)
                    continue
            read.append(item)
        return super().scraped_data((read, *rest))
