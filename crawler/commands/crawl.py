"""`scrapy crawl SITE`, exiting non-zero when the run did not succeed (Scrapy's own exits 0 after any run).

Exit 1 when the site could not be reached, the run failed its health check or our code raised; exit 3 when
another crawl of the site holds its lock. The run record (`crawler runs`) says why.
"""

from __future__ import annotations

import argparse
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from crawler.logs import quiet_boilerplate
from crawler import stats as keys
from crawler.stats import code_failures


def exit_code(stats: dict[str, Any]) -> int:
    """0, 1 or 3 for one finished crawl, from its stats (shared with `crawler crawl`)."""
    if stats.get(keys.RUN_LOCKED):
        return 3
    if stats.get("finish_reason") not in ("finished", None) or code_failures(stats):
        return 1
    return 0 if stats.get(keys.RUN_STATUS) in ("ok", None) else 1


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        if self.settings.get("LOG_LEVEL") != "DEBUG":
            quiet_boilerplate()  # before Scrapy logs its versions and settings

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        self._run_crawler = crawler
        return crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        crawler = getattr(self, "_run_crawler", None)
        if crawler is not None and crawler.stats is not None and not self.exitcode:
            self.exitcode = exit_code(crawler.stats.get_stats())
