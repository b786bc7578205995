"""Store: write each item to SQLite in its own transaction and count new / updated / unchanged rows."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from itemadapter import ItemAdapter

from crawler.items import as_article
from crawler.storage import Store
from pipelines.base import ItemPipeline

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
    a crawl batches commits (`CRAWLER_COMMIT_EVERY`, default 50 articles or a second), which is safe because an
    uncommitted article is not stored yet and the next run fetches it again."""

    commit_every = 1

    @classmethod
    def from_crawler(cls, crawler: Any) -> SqliteStorePipeline:
        pipeline = cls(crawler.stats, crawler.settings)
        pipeline.commit_every = max(1, crawler.settings.getint("CRAWLER_COMMIT_EVERY", 50))
        return pipeline

    def open_spider(self) -> None:
        shared_store(self.settings)

    def close_spider(self) -> None:
        shared_store(self.settings).commit()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        status = shared_store(self.settings).save(
            as_article(item), copy_of=adapter.get("copy_of"), minhash=adapter.get("minhash"), commit_every=self.commit_every
        )
        self.stats.inc_value(f"store/{status}")
        return item
