"""Named migrations: a fresh store has them all, each once; a database made by the schema as it was before
migrations had names (recorded from commit 2ab4779's `crawler/storage.py`: tests/fixtures/store/) upgrades in
place and keeps its rows."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from crawler.store import Store
from crawler.store.schema import MIGRATIONS, applied, migrate
from tests.unit.conftest import article

RECORDED = Path(__file__).resolve().parent.parent / "fixtures" / "store" / "schema-2ab4779.sql"


def test_fresh_store_applies_every_migration_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    assert applied(store.db) == [m.name for m in MIGRATIONS]
    assert migrate(store.db) == []  # a second run applies nothing
    assert len({m.name for m in MIGRATIONS}) == len(MIGRATIONS)


def test_upgrade_from_the_recorded_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(RECORDED.read_text(encoding="utf-8"))
    conn.close()
    store = Store(path)
    assert applied(store.db) == [m.name for m in MIGRATIONS]
    assert [r[0] for r in store.db.execute("SELECT version FROM _migrations ORDER BY version")] == list(range(1, len(MIGRATIONS) + 1))
    old = store.articles.get("https://example.vn/a.html")
    assert old is not None and old["view_count"] == 12 and old["link_url"] is None
    assert store.state.get("thanhxuan", "sitemap_fetched_at") == "2024-10-05T03:00:00+00:00"
    assert [c["id"] for c in store.conferences] == ["quan-thanh-xuan-hn22-2024"]
    # The upgraded store takes new writes, full-text search and the band table included.
    item = article("https://example.vn/b.html", "Bài viết mới sau khi nâng cấp về hội nghị. " * 6, link_url="https://example.vn/?p=2")
    assert store.save(item) == "new"
    assert store.articles.known_urls("thanhxuan") == {"https://example.vn/a.html", "https://example.vn/b.html", "https://example.vn/?p=2"}
    assert store.db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'nang cap'").fetchone()[0] == 1


def _open_when_told(path: Path, go: Any, answers: Any) -> None:
    go.wait(10)
    try:
        Store(path).close()
        answers.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        answers.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.slow
def test_processes_opening_a_new_database_at_once_all_get_a_migrated_store(tmp_path: Path) -> None:
    """A crawl, its item worker and a reader may open a new database at the same moment. Without the migration
    lock most rounds of this test lose a process to the other's half-applied migration ("table articles_fts
    already exists", "duplicate column name: minhash")."""
    context = multiprocessing.get_context("fork")
    for round_ in range(5):
        path = tmp_path / f"new{round_}.db"
        go, answers = context.Event(), context.Queue()
        openers = [context.Process(target=_open_when_told, args=(path, go, answers)) for _ in range(3)]
        for opener in openers:
            opener.start()
        time.sleep(0.2)  # every opener waiting at the event
        go.set()
        for opener in openers:
            opener.join(30)
        assert sorted(answers.get(timeout=5) for _ in openers) == ["ok"] * 3, f"round {round_}"
        conn = sqlite3.connect(path)
        names = [row[0] for row in conn.execute("SELECT name FROM _migrations ORDER BY version")]
        conn.close()
        assert names == [m.name for m in MIGRATIONS]  # each applied once
