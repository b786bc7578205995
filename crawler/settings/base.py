"""Scrapy settings. Tunables come from environment variables so one install serves live and replica crawls.

    CRAWLER_DB                 SQLite file to store into (default output/crawl.db)
    CRAWLER_REPLICA_URL        crawl the bundled replica server instead of the live sites, e.g. http://127.0.0.1:8800
    CRAWLER_BASE_URL_<SITE>    point one site elsewhere (e.g. CRAWLER_BASE_URL_KINHTEDOTHI)
    CRAWLER_MAX_LISTING_PAGES  how deep to follow listing pagination (default 50)
    CRAWLER_CONCURRENCY        requests in flight per site (default 4 live, 16 replica)
    CRAWLER_DOWNLOAD_DELAY     seconds between requests to one site (default 0.5 live, 0 replica)
    CRAWLER_LOG_LEVEL          Scrapy log level (default INFO)
    ... and the others listed in crawler/settings/__init__.py (this is the base profile of that package).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from scrapy.settings import default_settings as scrapy_defaults

from crawler.config_validation import SettingError, validate_environment
from crawler.items import record_fields
from crawler.settings.replica import replica_speed



def _validate_or_exit() -> None:
    """One clear line per bad value, before any of them is read below. Under Scrapy's own command line
    (`scrapy crawl`, `python -m scrapy ...`), which would print the import's traceback, say it and exit 2, as
    `crawler` does; imported anywhere else, the SettingError is raised for the caller to report."""
    try:
        validate_environment(os.environ)
    except SettingError as exc:
        argv0 = Path(sys.argv[0] if sys.argv else "")
        if argv0.name == "scrapy" or (argv0.name == "__main__.py" and argv0.parent.name == "scrapy"):
            print("\n".join(f"scrapy: {line}" for line in str(exc).splitlines()), file=sys.stderr)
            raise SystemExit(2) from None
        raise


_validate_or_exit()
_REPLICA = bool(os.environ.get("CRAWLER_REPLICA_URL"))

BOT_NAME = "conference_crawler"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
#: One spider per site definition (bundled sites.toml + CRAWLER_SITES_FILE), no spider file per site.
SPIDER_LOADER_CLASS = "crawler.spiders.loader.SiteSpiderLoader"
#: A user's TOML file of extra sites (docs/adding-a-site.md); `crawler crawl --sites FILE` sets it too.
CRAWLER_SITES_FILE = os.environ.get("CRAWLER_SITES_FILE")
#: `scrapy crawl` with exit codes (crawler/commands/crawl.py).
COMMANDS_MODULE = "crawler.commands"

USER_AGENT = "vn-conference-crawler/0.1 (research crawler; party-committee conference reports)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
#: A response yields one article or a dozen links: Scrapy's default of 100 parallel output tasks per response
#: costs CPU for nothing (measured by bench/crawl_throughput.py --profile).
CONCURRENT_ITEMS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = replica_speed(_REPLICA)["CONCURRENT_REQUESTS_PER_DOMAIN"]
DOWNLOAD_DELAY = replica_speed(_REPLICA)["DOWNLOAD_DELAY"]
AUTOTHROTTLE_ENABLED = replica_speed(_REPLICA)["AUTOTHROTTLE_ENABLED"]
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = float(os.environ.get("CRAWLER_DOWNLOAD_TIMEOUT", "30"))
#: Larger pages are not articles (a 20 MB "page" is a fault): cancelled and counted.
DOWNLOAD_MAXSIZE = int(os.environ.get("CRAWLER_DOWNLOAD_MAXSIZE", str(10 * 1024 * 1024)))
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
#: The spider's errback logs each failed page with its reason (crawler/middlewares/unreachable.py names unreachable hosts).
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy >= 2.19 would open an HTTP control port for every crawl
LOG_LEVEL = os.environ.get("CRAWLER_LOG_LEVEL", "INFO").strip().upper()
#: A dropped item is logged as its reason and URL, not its whole body (crawler/logs.py).
LOG_FORMATTER = "crawler.logs.ReadableLogFormatter"
#: The live per-site progress line (crawler/extensions/progress.py): auto (live on a terminal, else a plain line every
#: CRAWLER_PROGRESS_INTERVAL seconds), live, plain or off.
CRAWLER_PROGRESS = os.environ.get("CRAWLER_PROGRESS", "auto")
CRAWLER_PROGRESS_INTERVAL = float(os.environ.get("CRAWLER_PROGRESS_INTERVAL", "15"))
FEED_EXPORT_ENCODING = "utf-8"
#: `scrapy crawl SITE -O items.jsonl` exports the stored fields only, in the item's order (from the item schema).
FEED_EXPORT_FIELDS = record_fields()

CRAWLER_DB_PATH = os.environ.get("CRAWLER_DB", "output/crawl.db")
CRAWLER_REPLICA_URL = os.environ.get("CRAWLER_REPLICA_URL")
CRAWLER_MAX_LISTING_PAGES = int(os.environ.get("CRAWLER_MAX_LISTING_PAGES", "50"))
#: Articles per SQLite commit in a crawl (1 = commit each article); a commit also happens at least every second,
#: which bounds what a kill costs (one second of fetching, fetched again by the next run) whatever this is. 500
#: rather than 50: fewer full-text segment flushes and index page rewrites, 6% more pages/s on
#: bench.crawl_throughput (its crawl reaches ~550 articles per second, so the time limit still commits ~every second).
CRAWLER_COMMIT_EVERY = int(os.environ.get("CRAWLER_COMMIT_EVERY", "500"))

#: Incremental crawling (crawler/middlewares/incremental.py); `CRAWLER_INCREMENTAL=0` or `crawler crawl --full` turns it off.
CRAWLER_INCREMENTAL = os.environ.get("CRAWLER_INCREMENTAL", "1").strip().lower() not in ("0", "false", "no", "off")
CRAWLER_REFRESH_DAYS = int(os.environ.get("CRAWLER_REFRESH_DAYS", "7"))
CRAWLER_SITEMAP_EVERY_HOURS = float(os.environ.get("CRAWLER_SITEMAP_EVERY_HOURS", "24"))
DUPEFILTER_CLASS = "crawler.dupefilters.LoopCountingDupeFilter"
EXTENSIONS = {"crawler.extensions.run_recorder.RunRecorder": 500, "crawler.extensions.progress.ProgressDisplay": 600}
#: Scrapy's own extensions without the telnet console and the remote control, both off above. Scrapy imports
#: every listed extension, a `None` entry in EXTENSIONS included, to name it: the remote control's aiohttp web
#: server alone cost every crawl 85 ms of start-up and ~10 MB.
EXTENSIONS_BASE = {
    path: order
    for path, order in scrapy_defaults.EXTENSIONS_BASE.items()
    if path not in ("scrapy.extensions.telnet.TelnetConsole", "scrapy.extensions.remote_control.RemoteControl")
}
SPIDER_MIDDLEWARES = {"crawler.middlewares.incremental.IncrementalSpiderMiddleware": 950}
CRAWLER_ROBOTS_CACHE_HOURS = float(os.environ.get("CRAWLER_ROBOTS_CACHE_HOURS", "24"))
#: A robots.txt answering 5xx means "disallow everything" (RFC 9309), remembered only this long.
CRAWLER_ROBOTS_ERROR_CACHE_MINUTES = float(os.environ.get("CRAWLER_ROBOTS_ERROR_CACHE_MINUTES", "10"))
CRAWLER_RETRY_AFTER_MAX = float(os.environ.get("CRAWLER_RETRY_AFTER_MAX", "120"))
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 560,
    "crawler.middlewares.incremental.NotModifiedMiddleware": 590,
    "crawler.middlewares.unreachable.UnreachableSiteMiddleware": 580,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.CachedRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.offsite.SiteOffsiteMiddleware": 50,
}

#: The item chain, in its documented order (see pipelines/__init__.py): a fetched page is read, then checked and
#: stored. `crawler extract` runs it without the storage stages (STORAGE_PIPELINES).
CRAWLER_ITEM_CHAIN = {
    "pipelines.read.ReadPagePipeline": 50,
    "pipelines.normalise.NormaliseTextPipeline": 100,
    "pipelines.dates.PublishDatePipeline": 200,
    "pipelines.views.ViewCountPipeline": 300,
    "pipelines.conference.ConferenceFactsPipeline": 400,
    "pipelines.validate.ValidatePipeline": 500,
    "pipelines.dedup.DedupPipeline": 600,
    "pipelines.store.SqliteStorePipeline": 700,
}
#: Where the item chain runs: "process" (default) in the item worker, a second process fed in order with
#: back-pressure, so reading and storing use the second core while Scrapy's reactor keeps the first
#: (crawler/item_worker/); "inline" in the crawl's own process, as Scrapy's ITEM_PIPELINES.
CRAWLER_ITEM_WORKER = os.environ.get("CRAWLER_ITEM_WORKER", "process").strip().lower()
#: Most pages in the item worker at once; beyond it the crawl waits (back-pressure), so memory stays bounded.
CRAWLER_ITEM_WORKER_MAX_PENDING = int(os.environ.get("CRAWLER_ITEM_WORKER_MAX_PENDING", "64"))
#: When the worker's queue is full, the crawl's process runs the stages before storage itself (work sharing).
#: Off by default: on the throughput bench it gained nothing with the asyncio reactor and lost up to 30% with
#: epoll (the crawl's process, busy reading pages, left the worker idle).
CRAWLER_ITEM_WORKER_SHARE = os.environ.get("CRAWLER_ITEM_WORKER_SHARE", "0").strip().lower() in ("1", "true", "yes", "on")
ITEM_PIPELINES = (
    {"pipelines.item_worker.ItemWorkerPipeline": 50} if CRAWLER_ITEM_WORKER == "process" else dict(CRAWLER_ITEM_CHAIN)
)
#: Bytes of responses Scrapy's scraper holds before it pauses downloads (Scrapy's default is 5 MB). With the item
#: worker, pages wait for it here: the worker's own queue (CRAWLER_ITEM_WORKER_MAX_PENDING) keeps it busy, so a
#: longer backlog only costs memory (28 MiB of peak RSS on the 5,500-page bench).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000 if CRAWLER_ITEM_WORKER == "process" else 5_000_000
#: Scrapy parses every generator callback's source on each call to warn about `return value` in generators:
#: 15% of a crawl's CPU. The project's callbacks are checked once, by tests/unit/test_spider_callbacks.py.
WARN_ON_GENERATOR_RETURN_VALUE = False
STORAGE_PIPELINES = ("pipelines.dedup.DedupPipeline", "pipelines.store.SqliteStorePipeline")
