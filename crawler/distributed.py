"""Distributed crawling across processes and machines (scrapy-redis), and `crawler ingest`.

When `REDIS_URL` is set, `crawler/settings.py` calls `apply_distributed_settings`:

- scrapy-redis's scheduler and dupefilter (`RedisScheduler`, `RedisDupeFilter`), keyed per spider (`<spider>:requests`, `<spider>:dupefilter`), so
  every worker crawling a site shares one request queue and one set of seen requests: no page is fetched twice;
- `SCHEDULER_PERSIST`: a worker that finishes leaves the shared queue and fingerprints to the workers still
  running (the stock behaviour, flushing them at close, would let the others fetch everything again);
- the item pipelines up to and including `validate`, then `RedisItemPipeline`, which appends each item as JSON to
  the list `<spider>:items`. Workers never open SQLite: the run recorder and its lock, the incremental
  middlewares, the robots.txt cache and the project's dupefilter (all backed by the SQLite store) are turned off,
  and Scrapy's own RobotsTxtMiddleware is back;
- `IdleCloseExtension`: a worker waits `CRAWLER_IDLE_CLOSE_SECONDS` (default 10) of idleness before it closes,
  because another worker may still be parsing a page that will fill the shared queue again.

`ingest` (the `crawler ingest` command) drains `<site>:items` into the SQLite store through the same dedup and
store pipelines as a single-process crawl. Each item is moved atomically to `<site>:items:processing`, stored,
and only then removed; an ingest that is killed leaves at most its in-flight items there, and the next ingest
stores those first. The store upserts by URL and an item whose exact reading (URL and `crawled_at`) is already
stored is skipped, so a replay stores nothing twice and no item is lost. Items that raise are parked in
`<site>:items:failed` rather than blocking the queue.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, DropItem, NotConfigured
from scrapy.utils.serialize import ScrapyJSONEncoder
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from crawler.dupefilter import RedirectLoopCounting
from crawler.items import ArticleItem, as_article

logger = logging.getLogger(__name__)

ITEMS_KEY = "%(spider)s:items"
PROCESSING_SUFFIX = ":processing"
FAILED_SUFFIX = ":failed"

#: Transient fields that only feed the pipelines a worker already ran (or that dedup recomputes at ingest).
#: The HTTP validators are transient too, but the store keeps them for conditional requests: they travel.
_NOT_SENT = {"date_candidates", "canonical_url", "copy_of", "minhash"}

#: Components that read or write the SQLite store; workers in distributed mode run without them.
_SQLITE_EXTENSIONS = ("crawler.runs.RunRecorder",)
_SQLITE_SPIDER_MIDDLEWARES = ("crawler.incremental.IncrementalSpiderMiddleware",)
_SQLITE_DOWNLOADER_MIDDLEWARES = ("crawler.incremental.NotModifiedMiddleware", "crawler.robots.CachedRobotsTxtMiddleware")
_STOCK_ROBOTS = "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"


def apply_distributed_settings(settings: MutableMapping[str, Any], redis_url: str | None = None) -> None:
    """Turn a settings mapping (the `crawler.settings` module's globals) into a distributed worker's settings."""
    settings["REDIS_URL"] = redis_url or os.environ["REDIS_URL"]
    settings["SCHEDULER"] = "crawler.distributed.RedisScheduler"
    settings["SCHEDULER_QUEUE_CLASS"] = "scrapy_redis.queue.PriorityQueue"
    settings["SCHEDULER_QUEUE_KEY"] = "%(spider)s:requests"
    settings["SCHEDULER_DUPEFILTER_KEY"] = "%(spider)s:dupefilter"
    settings["DUPEFILTER_CLASS"] = "crawler.distributed.RedisDupeFilter"
    settings["SCHEDULER_PERSIST"] = True
    settings["CRAWLER_IDLE_CLOSE_SECONDS"] = float(os.environ.get("CRAWLER_IDLE_CLOSE_SECONDS", "10"))
    settings["CRAWLER_INCREMENTAL"] = False
    # A worker takes from the shared queue only what it can download now, leaving the rest to the others.
    settings["CONCURRENT_REQUESTS"] = settings.get("CONCURRENT_REQUESTS_PER_DOMAIN", settings.get("CONCURRENT_REQUESTS", 16))

    storage = set(settings.get("STORAGE_PIPELINES", ()))
    pipelines = {path: order for path, order in settings.get("ITEM_PIPELINES", {}).items() if path not in storage}
    pipelines["crawler.distributed.RedisItemPipeline"] = 800
    settings["ITEM_PIPELINES"] = pipelines

    extensions = dict(settings.get("EXTENSIONS", {}))
    extensions.update({path: None for path in _SQLITE_EXTENSIONS})
    extensions["crawler.distributed.IdleCloseExtension"] = 500
    settings["EXTENSIONS"] = extensions
    spider_mws = dict(settings.get("SPIDER_MIDDLEWARES", {}))
    spider_mws.update({path: None for path in _SQLITE_SPIDER_MIDDLEWARES})
    settings["SPIDER_MIDDLEWARES"] = spider_mws
    downloader_mws = dict(settings.get("DOWNLOADER_MIDDLEWARES", {}))
    downloader_mws.update({path: None for path in _SQLITE_DOWNLOADER_MIDDLEWARES})
    downloader_mws[_STOCK_ROBOTS] = 100
    downloader_mws["crawler.distributed.FetchCountingMiddleware"] = 1000
    settings["DOWNLOADER_MIDDLEWARES"] = downloader_mws


# --- worker side --------------------------------------------------------------------------------------------


class RedisScheduler(Scheduler):
    """scrapy-redis's scheduler, without the `spider` argument to the stats that Scrapy 2.13+ deprecates."""

    def enqueue_request(self, request: Any) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Any:
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


class RedisDupeFilter(RedirectLoopCounting, RFPDupeFilter):
    """scrapy-redis's shared dupefilter, counting redirect loops as `crawler.dupefilter` does in one process."""

    @classmethod
    def from_spider(cls, spider: Any) -> RedisDupeFilter:
        dupefilter = super().from_spider(spider)
        dupefilter.stats = spider.crawler.stats
        return dupefilter


class FetchCountingMiddleware:
    """Counts what this worker sends to the sites, by the request's `kind` (`distributed/fetched/article`, ...;
    robots.txt and other requests without a kind count as `other`)."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> FetchCountingMiddleware:
        return cls(crawler.stats)

    def process_request(self, request: Any) -> None:
        self.stats.inc_value(f"distributed/fetched/{request.meta.get('kind', 'other')}")
        return None


def item_to_json(item: Any) -> str:
    """Any item type (through itemadapter) as the JSON a worker pushes: the ArticleItem fields that travel."""
    adapter = ItemAdapter(item)
    data = {f.name: adapter.get(f.name) for f in fields(ArticleItem) if f.name not in _NOT_SENT}
    return json.dumps(data, cls=ScrapyJSONEncoder, ensure_ascii=False)


def item_from_json(raw: str | bytes) -> ArticleItem:
    data = json.loads(raw)
    return as_article({name: value for name, value in data.items() if name not in _NOT_SENT})


class RedisItemPipeline:
    """The last pipeline of a worker: append the item to `<spider>:items`, for `crawler ingest`."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        self.key_format = crawler.settings.get("CRAWLER_ITEMS_KEY", ITEMS_KEY)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisItemPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        self.server.rpush(self.key_format % {"spider": self.crawler.spider.name}, item_to_json(item))
        self.crawler.stats.inc_value("distributed/items_pushed")
        return item


class IdleCloseExtension:
    """Close the spider only after it has been idle for `CRAWLER_IDLE_CLOSE_SECONDS`.

    Idle means the shared queue is empty and this worker has nothing in flight. Another worker may still be
    parsing a listing that will refill the queue, so an idle worker keeps polling (Scrapy re-checks an idle
    spider every 5 seconds) until the idle time has passed without any activity of its own.
    """

    def __init__(self, crawler: Any, seconds: float) -> None:
        self.crawler = crawler
        self.seconds = seconds
        self.idle_since: float | None = None
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        for signal in (signals.request_scheduled, signals.response_received, signals.item_scraped):
            crawler.signals.connect(self.active, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Any) -> IdleCloseExtension:
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured("only in distributed mode (REDIS_URL)")
        return cls(crawler, crawler.settings.getfloat("CRAWLER_IDLE_CLOSE_SECONDS", 10))

    def active(self, *args: Any, **kwargs: Any) -> None:
        self.idle_since = None

    def spider_idle(self, spider: Any) -> None:
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.seconds:
            raise DontCloseSpider
        spider.logger.info("idle for %.0f s with the shared queue empty: closing", now - self.idle_since)


# --- ingest side --------------------------------------------------------------------------------------------


class IngestLocked(RuntimeError):
    """Another `crawler ingest` into the same database is running."""


@contextmanager
def _ingest_lock(db_path: Path) -> Iterator[None]:
    """One ingest per database at a time: a second one would replay the first one's in-flight items."""
    path = db_path.parent / ".locks" / "ingest.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        lock = FileLock(path, blocking=False).acquire()
    except Timeout:
        raise IngestLocked(f"another ingest into {db_path} is running (lock {path})") from None
    with lock:
        yield


@contextmanager
def _crawler_db(db_path: Path) -> Iterator[None]:
    """The store pipelines find the database through $CRAWLER_DB first; point it at db_path meanwhile."""
    previous = os.environ.get("CRAWLER_DB")
    os.environ["CRAWLER_DB"] = str(db_path)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("CRAWLER_DB", None)
        else:
            os.environ["CRAWLER_DB"] = previous


def ingest(redis_url: str, sites: Iterable[str], db_path: str | Path) -> dict[str, dict[str, int]]:
    """Drain `<site>:items` into the SQLite store at db_path through the dedup and store pipelines.

    Returns per site: new / updated / unchanged (the store's verdicts), already_stored (a replayed reading),
    dropped (by dedup), failed (parked in `<site>:items:failed`), replayed (found in the processing list).
    """
    import redis
    from scrapy.settings import Settings

    from pipelines.base import CountingStats
    from pipelines.dedup import DedupPipeline
    from pipelines.store import SqliteStorePipeline, shared_store

    path = Path(db_path).resolve()
    server = redis.Redis.from_url(redis_url, decode_responses=True)
    server.ping()
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("CRAWLER_DB_PATH", str(path), priority="cmdline")
    results: dict[str, dict[str, int]] = {}
    with _ingest_lock(path), _crawler_db(path):
        store = shared_store(settings)
        for site in sites:
            stats = CountingStats()
            dedup, storer = DedupPipeline(stats, settings), SqliteStorePipeline(stats, settings)
            storer.open_spider()
            key = ITEMS_KEY % {"spider": site}
            processing, failed = key + PROCESSING_SUFFIX, key + FAILED_SUFFIX
            counts = {"replayed": 0, "already_stored": 0, "dropped": 0, "failed": 0}

            def handle(raw: str) -> None:
                try:
                    item = item_from_json(raw)
                    stored = store.get(item.url)
                    if stored is not None and stored.get("crawled_at") == item.crawled_at:
                        counts["already_stored"] += 1  # stored before a crash, not yet removed from the list
                    else:
                        storer.process_item(dedup.process_item(item))
                except DropItem as exc:
                    counts["dropped"] += 1
                    logger.info("ingest %s: dropped: %s", site, exc)
                except Exception:
                    logger.exception("ingest %s: item failed; parked in %s", site, failed)
                    counts["failed"] += 1
                    with server.pipeline(transaction=True) as pipe:
                        pipe.rpush(failed, raw)
                        pipe.lrem(processing, 1, raw)
                        pipe.execute()
                    return
                server.lrem(processing, 1, raw)

            for raw in server.lrange(processing, 0, -1):  # left over by an ingest that was killed
                counts["replayed"] += 1
                handle(raw)
            while (raw := server.lmove(key, processing, "LEFT", "RIGHT")) is not None:
                handle(raw)
            results[site] = {
                "new": int(stats.get_value("store/new", 0)),
                "updated": int(stats.get_value("store/updated", 0)),
                "unchanged": int(stats.get_value("store/unchanged", 0)),
                **counts,
            }
    return results
