"""Store: write each item to SQLite (one savepoint per article) and count new / updated / unchanged rows once
they are committed, never before."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from scrapy.settings import BaseSettings

from itemadapter import ItemAdapter

from crawler.items import as_article
from crawler.stats import CRAWL_ERRORS, STORE_STATUS
from crawler.store import COMMIT_SECONDS, Store, StoreWriteFailed, open_store
from pipelines.base import ItemPipeline, Stats

logger = logging.getLogger(__name__)


class SqliteStorePipeline(ItemPipeline):
    """Commits one article at a time by default (`crawler ingest` acknowledges each stored item to Redis, and a
    failed commit raises so the item stays queued); a crawl batches commits (`CRAWLER_COMMIT_EVERY`, default 500
    articles, and on a timer every COMMIT_SECONDS even while no article arrives, so a crawl waiting on a slow
    page never holds the database's write lock), which is safe because an uncommitted article is not stored
    yet and the next run fetches it again.

    `store/new`, `store/updated` and `store/unchanged` count articles whose commit succeeded. A failed commit
    (a full disk, an I/O error) counts its articles under `crawl/errors/disk_full` or `crawl/errors/db_error`,
    which fails the run."""

    def __init__(self, stats: Stats, settings: BaseSettings, store: Store, commit_every: int = 1) -> None:
        super().__init__(stats, settings)
        self.store = store
        self.commit_every = max(1, commit_every)
        self.uncommitted: Counter[str] = Counter()
        self._timer: Any = None
        self.on_reactor = False
        store.add_commit_listener(self._committed)

    @classmethod
    def build(cls, stats: Stats, settings: BaseSettings) -> SqliteStorePipeline:
        """Outside a crawl (ingest): commit each article."""
        return cls(stats, settings, open_store(settings))

    @classmethod
    def build_in_crawl(cls, stats: Stats, settings: BaseSettings) -> SqliteStorePipeline:
        """In a crawl: commits batched (`CRAWLER_COMMIT_EVERY`); whoever runs the chain calls `commit_due` on a
        timer (the item worker does, between pages)."""
        return cls(stats, settings, open_store(settings), settings.getint("CRAWLER_COMMIT_EVERY", 500))

    @classmethod
    def from_crawler(cls, crawler: Any) -> SqliteStorePipeline:
        """In a crawl's own process: batched, with the timer on the reactor."""
        pipeline = cls.build_in_crawl(crawler.stats, crawler.settings)
        pipeline.on_reactor = True
        return pipeline

    def _committed(self, failure: str | None) -> None:
        """The store committed (failure None) or lost (failure 'disk_full' / 'db_error') the open batch."""
        if failure is None:
            for status, count in self.uncommitted.items():
                self.stats.inc_value(STORE_STATUS % status, count)
        elif self.uncommitted:
            lost = sum(self.uncommitted.values())
            self.stats.inc_value(CRAWL_ERRORS, lost)
            self.stats.inc_value(f"{CRAWL_ERRORS}/{failure}", lost)
            logger.error("a commit failed (%s): %d article(s) not stored; the next run fetches them again", failure, lost)
        self.uncommitted.clear()

    def open_spider(self) -> None:
        if self.commit_every > 1 and self.on_reactor:
            from twisted.internet import task

            self._timer = task.LoopingCall(self.commit_due)
            self._timer.start(COMMIT_SECONDS, now=False)

    def commit_now(self) -> None:
        """Commit the open batch now (the item worker does before it may wait on its pipe; a failure is counted
        by the listener)."""
        try:
            self.store.commit()
        except StoreWriteFailed:
            pass

    def commit_due(self) -> None:
        """Commit the open batch if it is COMMIT_SECONDS old (a failure is counted by the listener)."""
        try:
            self.store.commit_if_due()
        except StoreWriteFailed:
            pass  # counted by the listener

    def close_spider(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        try:
            self.store.commit()
        except StoreWriteFailed:
            pass  # counted by the listener

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        try:
            self.store.save(
                as_article(item), copy_of=adapter.get("copy_of"), minhash=adapter.get("minhash"),
                commit_every=self.commit_every, on_saved=self._saved,
            )
        except StoreWriteFailed:
            if self.commit_every == 1:
                raise  # one article per commit: the caller must know this one is not stored
            # otherwise the listener counted this article with the rest of its batch
        return item

    def _saved(self, status: str) -> None:
        self.uncommitted[status] += 1
