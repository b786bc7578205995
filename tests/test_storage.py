"""The SQLite store on a real file: one row per URL, updates, copy linking independent of crawl order."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from crawler.items import ArticleItem
from crawler.parsing.text import content_hash
from crawler.store import Store


def article(url: str, body: str, published: str | None, views: int | None = None, site: str = "s") -> ArticleItem:
    return ArticleItem(
        url=url, site=site, title="Tiêu đề", body=body, published_at=published, view_count=views,
        crawled_at="2024-10-05T10:00:00+07:00", content_hash=content_hash(body), conference={"is_conference": False},
    )


def test_insert_then_unchanged_then_updated(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    item = article("https://a.vn/1", "Nội dung bài viết.", "2024-10-04T09:30:00+07:00", 66)
    assert store.save(item) == "new"
    assert store.save(item) == "unchanged"
    item.view_count = 70
    assert store.save(item) == "updated"
    assert store.articles.count() == 1
    assert store.articles.get("https://a.vn/1")["view_count"] == 70
    assert store.articles.get("https://a.vn/1")["first_seen_at"] == "2024-10-05T10:00:00+07:00"


def test_copies_link_to_earliest_whatever_the_order(tmp_path: Path) -> None:
    body = "Kinhtedothi - Chiều 3/10, hội nghị.\n\nĐoạn hai."
    original = article("https://kdt.vn/a.html", body, "2024-10-03T20:05:00+07:00", site="kinhtedothi")
    copy = article("https://tx.vn/a", "Chiều 3/10, hội nghị.\n\nĐoạn hai.", "2024-10-04T09:30:00+07:00", site="thanhxuan")
    for order, name in (((original, copy), "ab.db"), ((copy, original), "ba.db")):
        store = Store(tmp_path / name)
        first, second = order
        store.save(first)
        store.save(second, copy_of=first.url)  # the dedup stage names the stored copy it found
        assert store.articles.get("https://tx.vn/a")["duplicate_of"] == "https://kdt.vn/a.html"
        assert store.articles.get("https://kdt.vn/a.html")["duplicate_of"] is None


def test_reopen_is_idempotent_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    Store(path).save(article("https://a.vn/1", "x" * 300, None))
    store = Store(path)
    assert store.articles.count() == 1
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    from crawler.store.schema import MIGRATIONS

    assert conn.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)


def test_committed_rows_survive_without_close(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    store = Store(path)
    store.save(article("https://a.vn/1", "Một bài viết.", None))
    # Another connection sees the row at once: each save is committed, nothing waits for a clean shutdown.
    assert sqlite3.connect(path).execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_failed_save_leaves_no_partial_rows(tmp_path: Path, monkeypatch: object) -> None:
    store = Store(tmp_path / "c.db")
    store.save(article("https://a.vn/ok", "Bài viết đầu tiên về hội nghị.", None, 5), commit_every=50)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    import pytest

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store.conferences, "assign", broken)
        with pytest.raises(RuntimeError):
            store.save(article("https://a.vn/broken", "Bài viết hỏng giữa chừng.", None, 7), commit_every=50)
    store.commit()
    conn = sqlite3.connect(tmp_path / "c.db")
    assert [r[0] for r in conn.execute("SELECT url FROM articles")] == ["https://a.vn/ok"]
    assert [r[0] for r in conn.execute("SELECT url FROM view_counts")] == ["https://a.vn/ok"]  # none of the broken item


def test_batched_commits_become_visible_at_commit(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    store = Store(path)
    for n in range(10):
        store.save(article(f"https://a.vn/{n}", f"Bài viết số {n} về hội nghị.", None), commit_every=50)
    other = sqlite3.connect(path)
    assert other.execute("SELECT count(*) FROM articles").fetchone()[0] == 0  # a reader sees whole batches only
    store.commit()
    assert other.execute("SELECT count(*) FROM articles").fetchone()[0] == 10
