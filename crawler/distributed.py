"""Distributed crawling across processes and machines (scrapy-redis), and `crawler ingest`.

When `REDIS_URL` is set, `crawler.settings` is the distributed profile (`crawler/settings/distributed.py`):

- scrapy-redis's scheduler and dupefilter (`RedisScheduler`, `RedisDupeFilter`), keyed per spider (`<spider>:requests`, `<spider>:dupefilter`), so
  every worker crawling a site shares one request queue and one set of seen requests: no page is fetched twice;
- `SCHEDULER_PERSIST`: a worker that finishes leaves the shared queue and fingerprints to the workers still
  running (the stock behaviour, flushing them at close, would let the others fetch everything again);
- the item pipelines up to and including `validate`, then `pipelines.redis_queue.RedisItemPipeline`, which appends each item as JSON to
  the list `<spider>:items`. Workers never open SQLite: the run recorder and its lock, the incremental
  middlewares, the robots.txt cache and the project's dupefilter (all backed by the SQLite store) are turned off,
  and Scrapy's own RobotsTxtMiddleware is back;
- `IdleCloseExtension`: a worker waits `CRAWLER_IDLE_CLOSE_SECONDS` (default 10) of idleness before it closes,
  because another worker may still be parsing a page that will fill the shared queue again.

`ingest` (the `crawler ingest` command) drains `<site>:items` into the SQLite store through the storage part of the
crawl's own pipeline chain (`crawler.pipeline_chain.storage_chain`: dedup, store), the part workers leave out.
Each item is moved atomically to `<site>:items:processing`, stored,
and only then removed; an ingest that is killed leaves at most its in-flight items there, and the next ingest
stores those first. The store upserts by URL and an item whose exact reading (URL and `crawled_at`) is already
stored is skipped, so a replay stores nothing twice and no item is lost. Items that raise are parked in
`<site>:items:failed` rather than blocking the queue.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, DropItem, NotConfigured
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.serialize import ScrapyJSONEncoder
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from crawler.dupefilters import RedirectLoopCounting
from crawler.items import ArticleItem, as_article

logger = logging.getLogger(__name__)

ITEMS_KEY = "%(spider)s:items"
PROCESSING_SUFFIX = ":processing"
FAILED_SUFFIX = ":failed"

#: Transient fields that only feed the pipelines a worker already ran (or that dedup recomputes at ingest).
#: The HTTP validators and the fetched link are transient too, but the store keeps them: they travel.
_NOT_SENT = {"date_candidates", "canonical_url", "site_context", "copy_of", "minhash"}


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
    """scrapy-redis's shared dupefilter, counting redirect loops as `crawler.dupefilters` does in one process."""

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


def ingest(
    redis_url: str, sites: Iterable[str], db_path: str | Path, settings: BaseSettings | None = None
) -> dict[str, dict[str, int]]:
    """Drain `<site>:items` into the SQLite store at db_path through the storage pipelines (dedup, store).

    Returns per site: new / updated / unchanged (the store's verdicts), already_stored (a replayed reading),
    dropped (by dedup), failed (parked in `<site>:items:failed`), replayed (found in the processing list).
    """
    import redis

    from crawler.pipeline_chain import storage_chain
    from crawler.stats import STORE_NEW, STORE_UNCHANGED, STORE_UPDATED
    from crawler.store import open_store

    path = Path(db_path).resolve()
    server = redis.Redis.from_url(redis_url, decode_responses=True)
    server.ping()
    if settings is None:
        settings = Settings()
        settings.setmodule("crawler.settings.base", priority="project")
    settings = settings.copy()
    settings.set("CRAWLER_DB_PATH", str(path), priority="cmdline")
    results: dict[str, dict[str, int]] = {}
    with _ingest_lock(path):
        store = open_store(settings)
        for site in sites:
            chain = storage_chain(settings)
            chain.open()
            key = ITEMS_KEY % {"spider": site}
            processing, failed = key + PROCESSING_SUFFIX, key + FAILED_SUFFIX
            counts = {"replayed": 0, "already_stored": 0, "dropped": 0, "failed": 0}

            def handle(raw: str) -> None:
                try:
                    item = item_from_json(raw)
                    stored = store.articles.get(item.url)
                    if stored is not None and stored.get("crawled_at") == item.crawled_at:
                        counts["already_stored"] += 1  # stored before a crash, not yet removed from the list
                    else:
                        chain.process(item)
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
            chain.close()
            results[site] = {
                "new": int(chain.stats.get_value(STORE_NEW, 0)),
                "updated": int(chain.stats.get_value(STORE_UPDATED, 0)),
                "unchanged": int(chain.stats.get_value(STORE_UNCHANGED, 0)),
                **counts,
            }
    return results
