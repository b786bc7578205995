"""Run records, health checks and the per-site lock, as one Scrapy extension (works for `scrapy crawl` too).

At spider open it takes the site's lock (a second run of the same site closes at once with reason "locked").
At spider close it writes one `runs` row: counts, drops by reason, errors by reason, field coverage, and a
health verdict. A run fails its health check when a listing yields no article links, when a site yields no
article at all, or when date / body / view-count coverage of the articles it read falls under 90%.
"""

from __future__ import annotations

from datetime import timezone
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from crawler import stats as keys
from crawler.clock import clock_from
from crawler.stats import by_reason, code_failures, parser_hits
from crawler.store import Store, open_store, store_path

COVERAGE_FLOOR = 0.9
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
    if code_failures(stats):
        return "error", [*reasons, f"{code_failures(stats)} exception(s) in callbacks or pipelines"], coverage
    return ("failing" if reasons else "ok"), reasons, coverage


class RunRecorder:
    def __init__(self, crawler: Any, store: Store) -> None:
        self.crawler = crawler
        self.store = store
        self.clock = clock_from(crawler.settings)
        self.started = self._now()
        self.lock: FileLock | None = None
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
        path = self._lock_path(spider.name)
        lock = FileLock(path, blocking=False)
        try:
            lock.acquire()
        except Timeout:
            spider.logger.error("another crawl of %s is running (lock %s); this one stops", spider.name, path)
            self.crawler.stats.set_value(keys.RUN_LOCKED, 1)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="locked"))
            return
        self.lock = lock

    def spider_closed(self, spider: Any, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        if reason == "locked" or self.lock is None:
            return
        status, reasons, coverage = health(spider.site, stats)
        if reason != "finished" and status == "ok":
            status = "interrupted"
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
        self.store.commit()  # the crawl's last batch, then the run that stored it
        self.crawler.stats.set_value(keys.RUN_ID, self.store.runs.record(run))
        self.crawler.stats.set_value(keys.RUN_STATUS, status)
        for line in reasons:
            if line != stats.get(keys.NETWORK_DIAGNOSIS):  # already said in one line when it happened
                spider.logger.warning("health: %s", line)
        self.lock.release()
