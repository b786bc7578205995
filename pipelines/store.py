"""Store: write each item to SQLite (one savepoint per article) and count new / updated / unchanged rows."""

from __future__ import annotations

from typing import Any

from scrapy.settings import BaseSettings

from itemadapter import ItemAdapter

from crawler.items import as_article
from crawler.stats import STORE_STATUS
from crawler.store import Store, open_store
from pipelines.base import ItemPipeline, Stats


class SqliteStorePipeline(ItemPipeline):
    """Commits one article at a time by default (`crawler ingest` acknowledges each stored item to Redis);
    a crawl batches commits (`CRAWLER_COMMIT_EVERY`, default 50 articles or a second), which is safe because an
    uncommitted article is not stored yet and the next run fetches it again."""

    def __init__(self, stats: Stats, settings: BaseSettings, store: Store, commit_every: int = 1) -> None:
        super().__init__(stats, settings)
        self.store = store
        self.commit_every = max(1, commit_every)

    @classmethod
    def build(cls, stats: Stats, settings: BaseSettings) -> SqliteStorePipeline:
        """Outside a crawl (ingest): commit each article."""
        return cls(stats, settings, open_store(settings))

    @classmethod
    def from_crawler(cls, crawler: Any) -> SqliteStorePipeline:
        """In a crawl: commits batched (`CRAWLER_COMMIT_EVERY`)."""
        settings = crawler.settings
        return cls(crawler.stats, settings, open_store(settings), settings.getint("CRAWLER_COMMIT_EVERY", 50))

    def close_spider(self) -> None:
        self.store.commit()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        status = self.store.save(
            as_article(item), copy_of=adapter.get("copy_of"), minhash=adapter.get("minhash"), commit_every=self.commit_every
        )
        self.stats.inc_value(STORE_STATUS % status)
        return item
