"""A live per-site progress display while a crawl runs (a Scrapy extension; `scrapy crawl` shows it too).

On a terminal (stderr is a TTY), one line per site, redrawn in place by rich, with log lines scrolling above it:

    kinhtedothi  running   84 pages   25 new   0 updated   1 error   31.2 pages/s   0:03

Elsewhere (cron, a pipe, `make run` with output captured) a plain INFO line per site every
`CRAWLER_PROGRESS_INTERVAL` seconds (default 15), and one when the site finishes.

`CRAWLER_PROGRESS`: `auto` (default: live on a TTY, plain otherwise), `live`, `plain` or `off`.
Counts come from the crawl's own stats: pages fetched (responses received), articles new and updated in the
store, errors (failed pages and exceptions in our code).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.logs import quiet_boilerplate
from crawler import stats as keys
from crawler.stats import code_failures

logger = logging.getLogger("crawler.progress")

MODES = ("auto", "live", "plain", "off")


def _errors(count: float) -> str:
    return f"{count} error" + ("" if count == 1 else "s")


@dataclass
class SiteProgress:
    site: str
    stats: Any
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    reason: str | None = None

    def counts(self) -> dict[str, float]:
        get = self.stats.get_value
        pages = int(get("downloader/response_count", 0) or 0)  # responses received (requests are keys.REQUESTS)
        elapsed = (self.finished or time.monotonic()) - self.started
        errors = int(get(keys.CRAWL_ERRORS, 0) or 0) + code_failures(self.stats.get_stats())
        return {
            "pages": pages,
            "new": int(get(keys.STORE_NEW, 0) or 0),
            "updated": int(get(keys.STORE_UPDATED, 0) or 0),
            "errors": errors,
            "rate": pages / elapsed if elapsed > 0 else 0.0,
            "elapsed": elapsed,
        }

    def state(self) -> str:
        if self.finished is None:
            return "running"
        return "done" if self.reason == "finished" else self.reason or "stopped"

    def line(self) -> str:
        c = self.counts()
        minutes, seconds = divmod(int(c["elapsed"]), 60)
        return (
            f"{self.site}: {self.state()}, {c['pages']} pages fetched, {c['new']} new, {c['updated']} updated, "
            f"{_errors(c['errors'])}, {c['rate']:.1f} pages/s, {minutes}:{seconds:02d}"
        )


class _LiveBoard:
    """One rich Live display per process, one row per site (several crawlers share it in `crawler crawl`)."""

    def __init__(self) -> None:
        self.sites: list[SiteProgress] = []
        self.live: Any = None
        self.lock = threading.Lock()
        self._streams: list[tuple[logging.StreamHandler[Any], Any]] = []

    def render(self) -> Any:
        from rich.table import Table

        table = Table.grid(padding=(0, 2))
        table.add_column()
        for _ in range(7):
            table.add_column(justify="right")
        with self.lock:
            sites = list(self.sites)
        for site in sites:
            c = site.counts()
            state = site.state()
            colour = {"running": "cyan", "done": "green"}.get(state, "red")
            minutes, seconds = divmod(int(c["elapsed"]), 60)
            table.add_row(
                f"[bold]{site.site}[/]", f"[{colour}]{state}[/]", f"{c['pages']} pages", f"{c['new']} new",
                f"{c['updated']} updated", f"[{'red' if c['errors'] else 'default'}]{_errors(c['errors'])}[/]",
                f"{c['rate']:.1f} pages/s", f"{minutes}:{seconds:02d}",
            )
        return table

    def add(self, site: SiteProgress) -> None:
        from rich.console import Console
        from rich.live import Live

        with self.lock:
            self.sites.append(site)
        if self.live is None:
            console = Console(file=sys.stderr)
            self.live = Live(get_renderable=self.render, console=console, refresh_per_second=4,
                             redirect_stdout=False, redirect_stderr=True, transient=False)
            self.live.start()
            # Log lines go above the live rows: point stderr handlers at rich's proxy while it runs.
            for handler in logging.root.handlers:
                if isinstance(handler, logging.StreamHandler) and handler.stream in (sys.__stderr__, console.file):
                    self._streams.append((handler, handler.setStream(sys.stderr)))

    def finish(self) -> None:
        with self.lock:
            running = [s for s in self.sites if s.finished is None]
        if running or self.live is None:
            return
        self.live.refresh()
        self.live.stop()
        for handler, stream in self._streams:
            handler.setStream(stream)
        self.live, self._streams, self.sites = None, [], []


_BOARD = _LiveBoard()


class ProgressDisplay:
    def __init__(self, crawler: Any, mode: str, interval: float) -> None:
        self.crawler = crawler
        self.mode = mode
        self.interval = interval
        self.site: SiteProgress | None = None
        self.loop: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressDisplay:
        mode = (crawler.settings.get("CRAWLER_PROGRESS") or "auto").lower()
        if mode not in MODES:
            raise ValueError(f"CRAWLER_PROGRESS must be one of {', '.join(MODES)}, not {mode!r}")
        interval = crawler.settings.getfloat("CRAWLER_PROGRESS_INTERVAL", 15.0)
        if interval <= 0:
            raise ValueError(f"CRAWLER_PROGRESS_INTERVAL must be a positive number of seconds, not {interval}")
        if crawler.settings.get("LOG_LEVEL", "INFO") != "DEBUG":
            quiet_boilerplate()
        if mode == "off":
            raise NotConfigured
        if mode == "auto":
            mode = "live" if sys.stderr.isatty() else "plain"
        return cls(crawler, mode, interval)

    def spider_opened(self, spider: Any) -> None:
        self.site = SiteProgress(spider.name, self.crawler.stats)
        if self.mode == "live":
            _BOARD.add(self.site)
        else:
            logger.info("%s: crawling %s", spider.name, getattr(spider, "base_url", ""))
            self.loop = task.LoopingCall(self.log_line)
            self.loop.start(self.interval, now=False)

    def log_line(self) -> None:
        if self.site is not None:
            logger.info("%s", self.site.line())

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.site is None:
            return
        self.site.finished, self.site.reason = time.monotonic(), reason
        if self.mode == "live":
            _BOARD.finish()
            return
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.log_line()
