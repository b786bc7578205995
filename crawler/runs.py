"""Run records, health checks and the per-site lock, as one Scrapy extension (works for `scrapy crawl` too).

At spider open it takes the site's lock (a second run of the same site closes at once with reason "locked").
At spider close it writes one `runs` row: counts, drops by reason, errors by reason, field coverage, and a
health verdict. A run fails its health check when a listing yields no article links, when a site yields no
article at all, or when date / body / view-count coverage of the articles it read falls under 90%.
"""

from __future__ import annotations

import fcntl
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from crawler.summary import code_failures, parser_hits
from pipelines.store import db_path, shared_store

COVERAGE_FLOOR = 0.9


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _by_prefix(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k[len(prefix) :]: int(v) for k, v in stats.items() if k.startswith(prefix) and "/" not in k[len(prefix) :]}


def health(site: Any, stats: dict[str, Any]) -> tuple[str, list[str], dict[str, float]]:
    """('ok' | 'failing' | 'error', reasons, coverage) for one finished run."""
    reasons: list[str] = []
    read = int(stats.get("extraction/site", 0)) + int(stats.get("extraction/fallback", 0))
    seen = read + int(stats.get("incremental/skipped_stored", 0)) + int(stats.get("incremental/not_modified", 0))
    if stats.get("pages/listing_empty"):
        reasons.append(f"{stats['pages/listing_empty']} listing page(s) had no article links (selectors outdated?)")
    if seen == 0:
        reasons.append("the site yielded no article")
    coverage: dict[str, float] = {}
    if read:
        coverage["date"] = 1 - int(stats.get("dates/missing", 0)) / read
        coverage["body"] = 1 - int(stats.get("validate/dropped/no_body", 0)) / read
        if site.shows_view_counts:
            coverage["views"] = int(stats.get("views/parsed", 0)) / read
        for name, share in coverage.items():
            if share < COVERAGE_FLOOR:
                reasons.append(f"{name} coverage {share:.0%} is under {COVERAGE_FLOOR:.0%}")
    if code_failures(stats):
        return "error", [*reasons, f"{code_failures(stats)} exception(s) in callbacks or pipelines"], coverage
    return ("failing" if reasons else "ok"), reasons, coverage


class RunRecorder:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.started = _now()
        self.lock: TextIO | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunRecorder:
        return cls(crawler)

    def _lock_path(self, site: str) -> Path:
        path = db_path(self.crawler.settings).parent / ".locks" / f"{site}.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def spider_opened(self, spider: Any) -> None:
        path = self._lock_path(spider.name)
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            spider.logger.error("another crawl of %s is running (lock %s); this one stops", spider.name, path)
            self.crawler.stats.set_value("run/locked", 1)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="locked"))
            return
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self.lock = handle

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
            "finished_at": _now(),
            "status": status,
            "finish_reason": reason,
            "requests": int(stats.get("downloader/request_count", 0)),
            "new": int(stats.get("store/new", 0)),
            "updated": int(stats.get("store/updated", 0)),
            "unchanged": int(stats.get("store/unchanged", 0)),
            "not_modified": int(stats.get("incremental/not_modified", 0)),
            "skipped_stored": int(stats.get("incremental/skipped_stored", 0)),
            "dropped": {**_by_prefix(stats, "validate/dropped/"), **_by_prefix(stats, "dedup/dropped/"), **_by_prefix(stats, "pages/skipped/")},
            "errors": {**_by_prefix(stats, "crawl/errors/"), **_by_prefix(stats, "crawl/item_errors/")},
            "fallbacks": int(stats.get("extraction/fallback", 0)),
            "versions": parser_hits(stats),
            "coverage": {k: round(v, 3) for k, v in coverage.items()},
            "health": reasons,
        }
        self.crawler.stats.set_value("run/id", shared_store(self.crawler.settings).record_run(run))
        self.crawler.stats.set_value("run/status", status)
        for line in reasons:
            spider.logger.warning("health: %s", line)
        fcntl.flock(self.lock, fcntl.LOCK_UN)
        self.lock.close()
