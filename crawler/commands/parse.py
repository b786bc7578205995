"""`scrapy parse URL`: inspect what a site's spider makes of one page, without side effects on the store.

Without `-c`, the spider's `parse` picks the callback from the URL (listing, feed, sitemap or article). A parse
is not a crawl: no run is recorded, no lock is taken, no progress is drawn, and a stored article is fetched like
any other.
"""

from __future__ import annotations

import argparse

from scrapy.commands.parse import Command as ScrapyParseCommand

NOT_FOR_PARSE = ("crawler.extensions.run_recorder.RunRecorder", "crawler.extensions.progress.ProgressDisplay")


class Command(ScrapyParseCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        extensions = {**self.settings.getdict("EXTENSIONS"), **dict.fromkeys(NOT_FOR_PARSE)}
        self.settings.set("EXTENSIONS", extensions, priority="cmdline")
        self.settings.set("CRAWLER_INCREMENTAL", False, priority="cmdline")
