"""Store: write each item to SQLite (one savepoint per article) and count new / updated / unchanged rows once
they are committed, never before."""

from __future__ import annotations

import logging
import os
from collections import Counter
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from crawler.items import ArticleItem
from crawler.storage import COMMIT_SECONDS, Store, StoreWriteFailed
from pipelines.base import ItemPipeline

logger = logging.getLogger(__name__)
_STORES: dict[Path, Store] = {}


def db_path(settings: BaseSettings) -> Path:
    return Path(os.environ.get("CRAWLER_DB") or settings.get("CRAWLER_DB_PATH") or "output/crawl.db").resolve()


def shared_store(settings: BaseSettings) -> Store:
    """One connection per database file per process: several spiders in one process share it."""
    path = db_path(settings)
    if path not in _STORES:
        _STORES[path] = Store(path)
    return _STORES[path]


class SqliteStorePipeline(ItemPipeline):
    """Commits one article at a time by default (`crawler ingest` acknowledges each stored item to Redis);
    a crawl batches commits (`CRAWLER_COMMIT_EVERY`, default 50 articles, and on a timer every COMMIT_SECONDS
    even while no article arrives, so a crawl waiting on a slow page never holds the database's write lock).

    `store/new`, `store/updated` and `store/unchanged` count articles whose commit succeeded. A failed commit
    (a full disk, an I/O error) counts its articles under `crawl/errors/disk_full` or `crawl/errors/db_error`,
    which fails the run; nothing of that batch is stored, so the next run fetches it again."""

    commit_every = 1

    def __init__(self, stats: Any, settings: BaseSettings) -> None:
        super().__init__(stats, settings)
        self.uncommitted: Counter[str] = Counter()
        self._timer: Any = None
        self._listening = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> SqliteStorePipeline:
        pipeline = cls(crawler.stats, crawler.settings)
        pipeline.commit_every = max(1, crawler.settings.getint("CRAWLER_COMMIT_EVERY", 50))
        return pipeline

    @property
    def store(self) -> Store:
        store = shared_store(self.settings)
        if not self._listening:
            store.add_commit_listener(self._committed)
            self._listening = True
        return store

    def _committed(self, failure: str | None) -> None:
        """The store committed (failure None) or lost (failure 'disk_full' / 'db_error') every open batch."""
        if failure is None:
            for status, count in self.uncommitted.items():
                self.stats.inc_value(f"store/{status}", count)
        else:
            lost = sum(self.uncommitted.values())
            self.stats.inc_value("crawl/errors", max(lost, 1))
            self.stats.inc_value(f"crawl/errors/{failure}", max(lost, 1))
            logger.error("a commit failed (%s): %d article(s) not stored; the next run fetches them again", failure, lost)
        self.uncommitted.clear()

    def open_spider(self) -> None:
        self.store  # noqa: B018 - opens the database and starts listening to its commits
        if self.commit_every > 1:
            from twisted.internet import task

            self._timer = task.LoopingCall(self._commit_due)
            self._timer.start(COMMIT_SECONDS, now=False)

    def _commit_due(self) -> None:
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

    def process_item(self, item: ArticleItem) -> ArticleItem:
        try:
            self.store.save(item, copy_of=item.copy_of, minhash=item.minhash, commit_every=self.commit_every,
                            on_saved=self._saved)
        except StoreWriteFailed:
            pass  # the listener counted this article with the rest of its batch
        return item

    def _saved(self, status: str) -> None:
        self.uncommitted[status] += 1
