"""Run records, health checks and the per-site lock, as one Scrapy extension (works for `scrapy crawl` too).

At spider open it takes the site's lock (a second run of the same site closes at once with reason "locked").
At spider close it writes one `runs` row: counts, drops by reason, errors by reason, field coverage, and a
health verdict. A run fails its health check when a listing yields no article links, when a site yields no
article at all, or when date / body / view-count coverage of the articles it read falls under 90%.

Nothing here fails silently: a lock that cannot be created (a read-only directory, `.locks` being a file)
stops the run with reason "lock_failed" before anything is fetched, and a run row that cannot be written is
reported in the stats (`run/record_failed`); `crawler crawl` exits non-zero for both.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import timezone
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from crawler import stats as keys
from crawler.clock import clock_from
from crawler.stats import by_reason, code_failures, parser_hits, write_failures
from crawler.store import Store, StoreWriteFailed, open_store, store_path

COVERAGE_FLOOR = 0.9
#: Finish reasons of runs stopped by a signal: "shutdown" (Scrapy's graceful stop), "forced_shutdown" (a second signal).
INTERRUPTED_REASONS = ("shutdown", "forced_shutdown")
logger = logging.getLogger(__name__)
#: Coverage is a verdict on the site's selectors only over enough articles: one dateless page among the three
#: a resumed or incremental run reads is that page's fact, not a redesign (it is still reported in `coverage`).
COVERAGE_MIN_ARTICLES = 10


def health(site: Any, stats: dict[str, Any]) -> tuple[str, list[str], dict[str, float]]:
    """('ok' | 'failing' | 'error', reasons, coverage) for one finished run."""
    reasons: list[str] = [stats[keys.NETWORK_DIAGNOSIS]] if stats.get(keys.NETWORK_DIAGNOSIS) else []
    read = keys.articles_read(stats)
    seen = read + keys.count(stats, keys.INCREMENTAL_SKIPPED_STORED) + keys.count(stats, keys.INCREMENTAL_NOT_MODIFIED)
    if stats.get(keys.LISTING_EMPTY):
        reasons.append(f"{stats[keys.LISTING_EMPTY]} listing page(s) had no article links (selectors outdated?)")
    if seen == 0:
        reasons.append("the site yielded no article")
    coverage: dict[str, float] = {}
    if read:
        coverage["date"] = 1 - keys.count(stats, keys.DATES_MISSING) / read
        coverage["body"] = 1 - keys.count(stats, keys.NO_BODY_DROPPED) / read
        if site.shows_view_counts:
            coverage["views"] = keys.count(stats, keys.VIEWS_PARSED) / read
        for name, share in coverage.items():
            if share < COVERAGE_FLOOR and read >= COVERAGE_MIN_ARTICLES:
                reasons.append(f"{name} coverage {share:.0%} is under {COVERAGE_FLOOR:.0%}")
    lost = write_failures(stats)
    if lost:
        detail = ", ".join(f"{r}: {n}" for r, n in lost.items())
        reasons.append(f"commits to the database failed ({detail} article(s) not stored; the next run fetches them)")
    if code_failures(stats) or lost:
        if code_failures(stats):
            reasons.append(f"{code_failures(stats)} exception(s) in callbacks or pipelines")
        return "error", reasons, coverage
    return ("failing" if reasons else "ok"), reasons, coverage


class RunRecorder:
    def __init__(self, crawler: Any, store: Store) -> None:
        self.crawler = crawler
        self.store = store
        self.clock = clock_from(crawler.settings)
        self.started = self._now()
        self.lock: FileLock | None = None
        self.recorded = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunRecorder:
        return cls(crawler, open_store(crawler.settings))

    def _now(self) -> str:
        return self.clock().astimezone(timezone.utc).isoformat(timespec="seconds")

    def _lock_path(self, site: str) -> Path:
        path = store_path(self.crawler.settings).parent / ".locks" / f"{site}.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def spider_opened(self, spider: Any) -> None:
        self.crawler.stats.set_value(keys.RUN_RECORDING, 1)
        try:
            path = self._lock_path(spider.name)
            lock = FileLock(path, blocking=False)
            lock.acquire()
        except Timeout:
            spider.logger.error("another crawl of %s is running (lock %s); this one stops", spider.name, path)
            self.crawler.stats.set_value(keys.RUN_LOCKED, 1)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="locked"))
            return
        except OSError as exc:
            problem = f"cannot create the lock file for {spider.name} under {store_path(self.crawler.settings).parent}: {exc}"
            spider.logger.error("%s; this run stops", problem)
            self.crawler.stats.set_value(keys.RUN_LOCK_FAILED, problem)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="lock_failed"))
            return
        self.lock = lock

    def spider_closed(self, spider: Any, reason: str) -> None:
        if reason == "locked" or self.recorded:
            return
        self.record(spider, reason)
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def record(self, spider: Any, reason: str) -> None:
        """Write this run's row (once); a failure to write it is logged and put in the stats, never lost."""
        self.recorded = True
        try:
            self.store.commit()  # the crawl's last batch, then the run that stored it (a failure is counted first)
        except (sqlite3.Error, StoreWriteFailed):
            pass  # counted by the store pipeline as disk_full / db_error, which the health check sees
        stats = self.crawler.stats.get_stats()
        status, reasons, coverage = health(spider.site, stats)
        if stats.get(keys.RUN_LOCK_FAILED):
            status, reasons = "error", [str(stats[keys.RUN_LOCK_FAILED])]
        elif reason != "finished" and (status == "ok" or (status == "failing" and reason in INTERRUPTED_REASONS)):
            status = "interrupted"  # a run stopped by a signal is judged incomplete, not unhealthy
        run = {
            "site": spider.name,
            "base_url": getattr(spider, "base_url", None),
            "started_at": self.started,
            "finished_at": self._now(),
            "status": status,
            "finish_reason": reason,
            "requests": keys.count(stats, keys.REQUESTS),
            "new": keys.count(stats, keys.STORE_NEW),
            "updated": keys.count(stats, keys.STORE_UPDATED),
            "unchanged": keys.count(stats, keys.STORE_UNCHANGED),
            "not_modified": keys.count(stats, keys.INCREMENTAL_NOT_MODIFIED),
            "skipped_stored": keys.count(stats, keys.INCREMENTAL_SKIPPED_STORED),
            "dropped": {k: v for p in keys.DROPPED_PREFIXES for k, v in by_reason(stats, p).items()},
            "not_articles": by_reason(stats, keys.SKIPPED_PREFIX),
            "errors": {k: v for p in keys.ERROR_PREFIXES for k, v in by_reason(stats, p).items()},
            "warnings": by_reason(stats, keys.WARNINGS_PREFIX),
            "fallbacks": keys.count(stats, keys.EXTRACTION_FALLBACK),
            "versions": parser_hits(stats),
            "coverage": {k: round(v, 3) for k, v in coverage.items()},
            "health": reasons,
        }
        try:
            self.crawler.stats.set_value(keys.RUN_ID, self.store.runs.record(run))
            self.store.commit()  # recorded only once committed (the row may have joined another crawl's batch)
        except (sqlite3.Error, OSError, StoreWriteFailed) as exc:
            logger.error("the run of %s could not be recorded in %s: %s", spider.name, self.store.path, exc)
            self.crawler.stats.set_value(keys.RUN_RECORD_FAILED, f"{type(exc).__name__}: {exc}")
        self.crawler.stats.set_value(keys.RUN_STATUS, status)
        for line in reasons:
            if line != stats.get(keys.NETWORK_DIAGNOSIS):  # already said in one line when it happened
                spider.logger.warning("health: %s", line)


def record_cut_short(crawler: Any) -> bool:
    """Record the run of a crawler whose spider never closed (a forced shutdown stopped the reactor first):
    its pending store commits are written, then its run row with reason "forced_shutdown". True if recorded here."""
    recorder = next((m for m in crawler.extensions.middlewares if isinstance(m, RunRecorder)), None)
    spider = getattr(crawler, "spider", None)
    if recorder is None or recorder.recorded or recorder.lock is None or spider is None:
        return False
    recorder.spider_closed(spider, "forced_shutdown")  # commits the pending batch, then records
    return True
