"""The distributed worker profile (docs/distributed.md): the base settings with scrapy-redis's shared queue and
dupefilter, items pushed to Redis by `pipelines.redis_queue.RedisItemPipeline`, and no component that uses the
SQLite store (a worker never opens one; `crawler ingest` stores what the workers push).

`crawler.settings` switches to this profile when `REDIS_URL` is set; `distributed_settings` is the profile as a
pure function of any base mapping.

    REDIS_URL                    the Redis the workers share (required)
    CRAWLER_IDLE_CLOSE_SECONDS   how long a worker waits on an empty shared queue before closing (default 10)
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from typing import Any

from crawler.settings import base
from crawler.settings.base import *  # noqa: F403  (the profile is the base plus the overrides below)

#: Components that read or write the SQLite store; workers in distributed mode run without them.
SQLITE_EXTENSIONS = ("crawler.extensions.run_recorder.RunRecorder",)
SQLITE_SPIDER_MIDDLEWARES = ("crawler.middlewares.incremental.IncrementalSpiderMiddleware",)
SQLITE_DOWNLOADER_MIDDLEWARES = (
    "crawler.middlewares.incremental.NotModifiedMiddleware",
    "crawler.middlewares.robots.CachedRobotsTxtMiddleware",
)
STOCK_ROBOTS = "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"


def distributed_settings(settings: Mapping[str, Any], redis_url: str, idle_close_seconds: float = 10.0) -> dict[str, Any]:
    """The settings a distributed worker overrides in `settings` (which stays untouched)."""
    storage = set(settings.get("STORAGE_PIPELINES", ()))
    chain = settings.get("CRAWLER_ITEM_CHAIN") or settings.get("ITEM_PIPELINES", {})
    pipelines = {path: order for path, order in chain.items() if path not in storage}
    pipelines["pipelines.redis_queue.RedisItemPipeline"] = 800
    extensions = {**settings.get("EXTENSIONS", {}), **dict.fromkeys(SQLITE_EXTENSIONS)}
    extensions["crawler.distributed.IdleCloseExtension"] = 500
    downloader = {**settings.get("DOWNLOADER_MIDDLEWARES", {}), **dict.fromkeys(SQLITE_DOWNLOADER_MIDDLEWARES)}
    downloader[STOCK_ROBOTS] = 100
    downloader["crawler.distributed.FetchCountingMiddleware"] = 1000
    return {
        "REDIS_URL": redis_url,
        "SCHEDULER": "crawler.distributed.RedisScheduler",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": "%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": "%(spider)s:dupefilter",
        "DUPEFILTER_CLASS": "crawler.distributed.RedisDupeFilter",
        "SCHEDULER_PERSIST": True,
        "CRAWLER_IDLE_CLOSE_SECONDS": idle_close_seconds,
        "CRAWLER_INCREMENTAL": False,
        # A worker takes from the shared queue only what it can download now, leaving the rest to the others.
        "CONCURRENT_REQUESTS": settings.get("CONCURRENT_REQUESTS_PER_DOMAIN", settings.get("CONCURRENT_REQUESTS", 16)),
        "ITEM_PIPELINES": pipelines,
        # A worker pushes items to Redis as it reads them: its chain runs in its own process (no store to feed).
        "CRAWLER_ITEM_WORKER": "inline",
        "SCRAPER_SLOT_MAX_ACTIVE_SIZE": 5_000_000,  # Scrapy's default: no item worker to wait for
        "EXTENSIONS": extensions,
        "SPIDER_MIDDLEWARES": {**settings.get("SPIDER_MIDDLEWARES", {}), **dict.fromkeys(SQLITE_SPIDER_MIDDLEWARES)},
        "DOWNLOADER_MIDDLEWARES": downloader,
    }


def apply_distributed_settings(settings: MutableMapping[str, Any], redis_url: str) -> None:
    """Apply the profile to a mutable settings mapping (a test's copy of the base)."""
    settings.update(distributed_settings(settings, redis_url))


_PROFILE = distributed_settings(
    {name: getattr(base, name) for name in dir(base) if name.isupper()},
    os.environ.get("REDIS_URL", ""),
    float(os.environ.get("CRAWLER_IDLE_CLOSE_SECONDS", "10")),
)
REDIS_URL = _PROFILE["REDIS_URL"]
SCHEDULER = _PROFILE["SCHEDULER"]
SCHEDULER_QUEUE_CLASS = _PROFILE["SCHEDULER_QUEUE_CLASS"]
SCHEDULER_QUEUE_KEY = _PROFILE["SCHEDULER_QUEUE_KEY"]
SCHEDULER_DUPEFILTER_KEY = _PROFILE["SCHEDULER_DUPEFILTER_KEY"]
DUPEFILTER_CLASS = _PROFILE["DUPEFILTER_CLASS"]
SCHEDULER_PERSIST = _PROFILE["SCHEDULER_PERSIST"]
CRAWLER_IDLE_CLOSE_SECONDS = _PROFILE["CRAWLER_IDLE_CLOSE_SECONDS"]
CRAWLER_INCREMENTAL = _PROFILE["CRAWLER_INCREMENTAL"]
CONCURRENT_REQUESTS = _PROFILE["CONCURRENT_REQUESTS"]
ITEM_PIPELINES = _PROFILE["ITEM_PIPELINES"]
CRAWLER_ITEM_WORKER = _PROFILE["CRAWLER_ITEM_WORKER"]
SCRAPER_SLOT_MAX_ACTIVE_SIZE = _PROFILE["SCRAPER_SLOT_MAX_ACTIVE_SIZE"]
EXTENSIONS = _PROFILE["EXTENSIONS"]
SPIDER_MIDDLEWARES = _PROFILE["SPIDER_MIDDLEWARES"]
DOWNLOADER_MIDDLEWARES = _PROFILE["DOWNLOADER_MIDDLEWARES"]
