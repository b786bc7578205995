"""State, run and watermark writes during a crawl join its open batch instead of committing it early; outside a
batch they are committed at once."""

from __future__ import annotations

import sqlite3

from crawler.store import Store
from tests.unit.conftest import article


def visible(store: Store, sql: str) -> int:
    conn = sqlite3.connect(store.path)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def test_state_write_does_not_commit_a_pending_batch(store: Store) -> None:
    store.save(article("https://a.vn/1"), commit_every=50)
    store.state.set("thanhxuan", "sitemap_fetched_at", "2024-10-05T03:00:00+00:00")
    store.articles.mark_checked("https://a.vn/1", "2024-10-05T10:00:00+07:00")
    assert visible(store, "SELECT count(*) FROM articles") == 0
    assert visible(store, "SELECT count(*) FROM crawl_state") == 0
    store.commit()
    assert visible(store, "SELECT count(*) FROM articles") == 1 and visible(store, "SELECT count(*) FROM crawl_state") == 1


def test_state_write_outside_a_batch_commits_at_once(store: Store) -> None:
    store.state.set("robots.txt", "a.vn", "{}")
    store.watermarks.set("newsroom", 7, 3, "2024-10-05T03:00:00+00:00")
    assert visible(store, "SELECT count(*) FROM crawl_state") == 1
    assert store.watermarks.get("newsroom") == 7 and store.watermarks.get("other") == 0
