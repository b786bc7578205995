"""Store: write each item to SQLite in its own transaction and count new / updated / unchanged rows."""

from __future__ import annotations

import os
from pathlib import Path

from scrapy.settings import BaseSettings

from crawler.items import ArticleItem
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
    def open_spider(self) -> None:
        shared_store(self.settings)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        status = shared_store(self.settings).save(item, copy_of=item.copy_of, minhash=item.minhash)
        self.stats.inc_value(f"store/{status}")
        return item
