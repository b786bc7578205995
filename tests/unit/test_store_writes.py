"""The store's write policy on real SQLite files: a non-SQLite file refused before SQLite touches it, a database
from a newer crawler warned about, a relink given a change number, a failed commit rolled back and reported,
articles counted only once committed."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from crawler.store import Store, StoreWriteFailed
from crawler.store.database_file import DatabaseUnusable, check_database_file
from crawler.store.writes import failure_reason, retry_locked
from tests.unit.conftest import article


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("không phải cơ sở dữ liệu\n", encoding="utf-8")
    with pytest.raises(DatabaseUnusable, match="not an SQLite database"):
        Store(notes)
    assert notes.read_text(encoding="utf-8") == "không phải cơ sở dữ liệu\n"
    check_database_file(tmp_path / "absent.db")  # a new database is fine
    with pytest.raises(DatabaseUnusable, match="directory"):
        check_database_file(tmp_path)


def test_newer_schema_is_used_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO _migrations (version, applied_at, name) VALUES (99, datetime('now'), 'from_the_future')")
    conn.close()
    with caplog.at_level(logging.WARNING):
        Store(path).close()
    assert "newer version" in caplog.text and "from_the_future" in caplog.text


def test_relinking_an_article_gives_it_a_new_change_number(store: Store) -> None:
    body = "Chiều 3/10, hội nghị lần thứ 22 của Ban Chấp hành Đảng bộ quận. " * 6
    store.save(article("https://tx.vn/b", body=body, published="2024-10-04T09:30:00+07:00"))
    before = store.articles.get("https://tx.vn/b")["change_seq"]
    store.save(article("https://kdt.vn/a", body=body, published="2024-10-03T20:05:00+07:00", site="kinhtedothi"),
               copy_of="https://tx.vn/b")
    relinked = store.articles.get("https://tx.vn/b")
    assert relinked["duplicate_of"] == "https://kdt.vn/a" and relinked["change_seq"] > before


def test_failed_commit_rolls_back_and_tells_listeners(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    heard: list[str | None] = []
    store.add_commit_listener(heard.append)
    store.db.conn.execute("PRAGMA max_page_count = " + str(store.db.conn.execute("PRAGMA page_count").fetchone()[0]))
    with pytest.raises(StoreWriteFailed) as caught:  # the file may not grow: SQLite says "database or disk is full"
        for n in range(200):
            store.save(article(f"https://a.vn/{n}", body=f"Bài {n}. " * 400), commit_every=1000)
        store.commit()
    assert caught.value.reason == "disk_full" and heard == ["disk_full"]
    assert not store.db.conn.in_transaction and store.articles.count() == 0  # the whole batch rolled back
    store.db.conn.execute("PRAGMA max_page_count = 1073741823")
    store.close()


def test_failure_reasons_and_locked_retries() -> None:
    assert failure_reason(sqlite3.OperationalError("database or disk is full")) == "disk_full"
    assert failure_reason(sqlite3.DatabaseError("disk I/O error")) == "db_error"
    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")
        return "done"

    assert retry_locked(flaky) == "done" and len(calls) == 3
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        retry_locked(lambda: (_ for _ in ()).throw(sqlite3.OperationalError("no such table: x")))
