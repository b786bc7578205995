"""Named migrations: a fresh store has them all, each once; a database made by the schema as it was before
migrations had names (recorded from commit 2ab4779's `crawler/storage.py`: tests/fixtures/store/) upgrades in
place and keeps its rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
