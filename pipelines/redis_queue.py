"""A distributed worker's last pipeline: append each item as JSON to `<spider>:items` for `crawler ingest`."""

from __future__ import annotations

from typing import Any

from scrapy_redis.connection import get_redis_from_settings

from crawler.distributed import ITEMS_KEY, item_to_json


class RedisItemPipeline:
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
