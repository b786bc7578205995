"""Scrapy settings (`scrapy.cfg` and the CLI point at this module): the base profile (`crawler/settings/base.py`),
or the distributed worker profile (`crawler/settings/distributed.py`) when `REDIS_URL` is set.

Every tunable, from environment variables:

    CRAWLER_DB                   SQLite file to store into (default output/crawl.db) -> the CRAWLER_DB_PATH setting
    CRAWLER_REPLICA_URL          crawl the bundled replica server instead of the live sites, e.g. http://127.0.0.1:8800
    CRAWLER_BASE_URL_<SITE>      point one site elsewhere (e.g. CRAWLER_BASE_URL_KINHTEDOTHI)
    CRAWLER_MAX_LISTING_PAGES    how deep to follow listing pagination (default 50)
    CRAWLER_CONCURRENCY          requests in flight per site (default 4 live, 16 replica)
    CRAWLER_DOWNLOAD_DELAY       seconds between requests to one site (default 0.5 live, 0 replica)
    CRAWLER_DOWNLOAD_TIMEOUT     seconds before a request times out (default 30)
    CRAWLER_DOWNLOAD_MAXSIZE     largest response in bytes; larger ones are cancelled and counted (default 10 MiB)
    CRAWLER_LOG_LEVEL            Scrapy log level (default INFO)
    CRAWLER_COMMIT_EVERY         articles per SQLite commit in a crawl (default 500; a commit also happens every second)
    CRAWLER_INCREMENTAL          0 re-fetches everything (default 1; `crawler crawl --full`)
    CRAWLER_REFRESH_DAYS         re-check view counts of articles published within this many days (default 7)
    CRAWLER_SITEMAP_EVERY_HOURS  fetch sitemaps at most this often (default 24)
    CRAWLER_ROBOTS_CACHE_HOURS   keep a host's robots.txt this long (default 24)
    CRAWLER_ROBOTS_ERROR_CACHE_MINUTES  keep a robots.txt that answered 5xx (disallow all) this long (default 10)
    CRAWLER_RETRY_AFTER_MAX      longest Retry-After wait honoured, in seconds (default 120)
    CRAWLER_CHROMIUM_PATH        the Chromium for JavaScript-rendered sites (default: found on PATH)
    CRAWLER_BROWSER_TIMEOUT_MS   browser navigation timeout (default 20000)
    REDIS_URL                    distributed mode: the Redis the workers share
    CRAWLER_IDLE_CLOSE_SECONDS   distributed mode: idle time before a worker closes (default 10)

`CRAWLER_CLOCK` (no environment variable) may hold a callable giving "now" (tests freeze time with it).

Settings are read here, once, from the environment, after `crawler/config_validation.py` has checked every one
of them (a bad value is one line naming it, exit 2 from the CLI); no component writes `os.environ`. `crawler crawl`'s
options (`--db`, `--replica`, `--full`) are set on the settings object at command-line priority instead.
"""

from __future__ import annotations

import os

if os.environ.get("REDIS_URL"):
    from crawler.settings.distributed import *  # noqa: F403
else:
    from crawler.settings.base import *  # noqa: F403
