"""The process `crawler crawl` runs its crawlers in: Scrapy's CrawlerProcess that remembers the shutdown signals
it received.

The first SIGINT/SIGTERM stops the crawl gracefully (every spider closes, its run is recorded); a second one makes
Scrapy stop the reactor at once, and no spider_closed ever fires. Knowing the signals, `crawler crawl` records
those runs itself as interrupted (`crawler.extensions.run_recorder.record_cut_short`) and exits 128 + the signal number (130 for
SIGINT, 143 for SIGTERM), as shells expect of a process stopped by a signal.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import CrawlerProcess


class CrawlProcess(CrawlerProcess):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signals_received: list[int] = []

    # Scrapy installs these two as the handlers of the first and the second shutdown signal.
    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.signals_received.append(signum)
        super()._signal_shutdown(signum, frame)

    def _signal_kill(self, signum: int, frame: Any) -> None:
        self.signals_received.append(signum)
        super()._signal_kill(signum, frame)

    @property
    def exit_status(self) -> int | None:
        """128 + the last shutdown signal received, or None when the crawl was not stopped by a signal."""
        return 128 + self.signals_received[-1] if self.signals_received else None
