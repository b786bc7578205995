"""SqliteStorePipeline, built by Scrapy: the crawl's batch size, the store's verdicts counted, the batch committed
when the spider closes (seen from another connection, as an export would see it)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from scrapy.crawler import Crawler

from crawler.store import Store
from pipelines.store import SqliteStorePipeline
from tests.unit.conftest import article


def other_connection_count(store: Store) -> int:
    conn = sqlite3.connect(store.path)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def test_verdicts_counted_and_batch_committed_at_close(make_crawler: Callable[..., Crawler], store: Store) -> None:
    crawler = make_crawler(CRAWLER_COMMIT_EVERY=50)
    pipeline = SqliteStorePipeline.from_crawler(crawler)
    assert pipeline.store is store and pipeline.commit_every == 50
    item = article("https://a.vn/1", views=5)
    pipeline.process_item(item)
    pipeline.process_item(item)
    item.view_count = 9
    pipeline.process_item(item)
    pipeline.process_item(article("https://a.vn/2"))
    stats = crawler.stats.get_stats()
    assert (stats["store/new"], stats["store/unchanged"], stats["store/updated"]) == (2, 1, 1)
    assert other_connection_count(store) == 0  # within a batch (the second-based commit aside, never reached here)
    pipeline.close_spider()
    assert other_connection_count(store) == 2


def test_ingest_build_commits_each_article(crawler_settings: dict[str, object], tmp_path: Path) -> None:
    from scrapy.settings import Settings

    from pipelines.base import CountingStats

    pipeline = SqliteStorePipeline.build(CountingStats(), Settings(crawler_settings))
    pipeline.process_item(article("https://a.vn/1"))
    assert pipeline.commit_every == 1 and other_connection_count(pipeline.store) == 1
    pipeline.store.close()
