"""RedisItemPipeline, built by Scrapy: each item appended as JSON to `<spider>:items` on a real redis-server."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from scrapy.crawler import Crawler

from crawler.distributed import item_from_json
from pipelines.redis_queue import RedisItemPipeline
from tests.unit.conftest import article

redis = pytest.importorskip("redis")


def test_items_pushed_in_order(make_crawler: Callable[..., Crawler], redis_server: str) -> None:
    url = f"{redis_server}/5"
    client = redis.Redis.from_url(url, decode_responses=True)
    client.flushdb()
    crawler = make_crawler(REDIS_URL=url)
    pipeline = RedisItemPipeline.from_crawler(crawler)
    first, second = article("https://a.vn/1", views=3), article("https://a.vn/2")
    assert pipeline.process_item(first) is first
    pipeline.process_item(second)
    assert [item_from_json(raw).url for raw in client.lrange("thanhxuan:items", 0, -1)] == ["https://a.vn/1", "https://a.vn/2"]
    assert item_from_json(client.lindex("thanhxuan:items", 0)).view_count == 3
    assert crawler.stats.get_value("distributed/items_pushed") == 2
