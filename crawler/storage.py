"""The SQLite store: schema, migrations, and the writes and reads the pipelines and the CLI need.

WAL mode lets exports read while a crawl writes. Every write is one transaction, committed before the next item
is taken, so a killed crawl keeps everything stored before the kill. Lists and records are JSON text columns
(sqlite-utils stores them as such), with the fields people filter on kept as plain columns.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from crawler.items import ArticleItem, record_fields, to_record

ARTICLE_COLUMNS: dict[str, type] = {
    "url": str,
    "site": str,
    "title": str,
    "summary": str,
    "body": str,
    "images": str,
    "author": str,
    "category": str,
    "tags": str,
    "published_at": str,
    "published_at_source": str,
    "published_at_text": str,
    "view_count": int,
    "view_count_text": str,
    "source_url": str,
    "crawled_at": str,
    "first_seen_at": str,
    "content_hash": str,
    "extraction": str,
    "duplicate_of": str,
    "is_conference": int,
    "conference": str,
}
JSON_COLUMNS = ("images", "tags", "conference")


def _migration_1(db: sqlite_utils.Database) -> None:
    db["articles"].create(ARTICLE_COLUMNS, pk="url", not_null={"site"})
    for columns in (["site"], ["content_hash"], ["published_at"], ["duplicate_of"], ["is_conference"]):
        db["articles"].create_index(columns)


#: Schema changes in order; a database records how many it has applied.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migration_1]


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.enable_wal()
        self.migrate()

    def migrate(self) -> None:
        with self.db.conn:
            self.db.execute("CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
            done = {row[0] for row in self.db.execute("SELECT version FROM _migrations").fetchall()}
            for version, migration in enumerate(MIGRATIONS, start=1):
                if version not in done:
                    migration(self.db)
                    self.db.execute(
                        "INSERT INTO _migrations VALUES (?, datetime('now'))", [version]
                    )

    def close(self) -> None:
        self.db.close()

    # --- reads -----------------------------------------------------------------------------------------

    def get(self, url: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM articles WHERE url = ?", [url]))
        return rows[0] if rows else None

    def find_by_hash(self, content_hash: str, exclude_url: str) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "SELECT url, published_at, duplicate_of FROM articles WHERE content_hash = ? AND url != ?",
                [content_hash, exclude_url],
            )
        )

    def count(self, where: str = "1", params: list[Any] | None = None) -> int:
        return self.db.execute(f"SELECT count(*) FROM articles WHERE {where}", params or []).fetchone()[0]

    def iter_records(
        self, since: str | None = None, conferences_only: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Stored articles as export records (fields in item order), oldest first."""
        clauses, params = ["1"], []
        if since:
            clauses.append("published_at >= ?")
            params.append(since)
        if conferences_only:
            clauses.append("is_conference = 1")
        sql = f"SELECT * FROM articles WHERE {' AND '.join(clauses)} ORDER BY published_at IS NULL, published_at, url"
        for row in self.db.query(sql, params):
            yield row_to_record(row)

    # --- writes ----------------------------------------------------------------------------------------

    def save(self, item: ArticleItem) -> str:
        """Insert or update one article in one transaction; returns 'new', 'updated' or 'unchanged'."""
        row = item_to_row(item)
        with self.db.conn:
            existing = self.get(item.url)
            if existing is None:
                row["first_seen_at"] = item.crawled_at
                self.db["articles"].insert(row)
                status = "new"
            else:
                row["first_seen_at"] = existing.get("first_seen_at")
                row["duplicate_of"] = existing.get("duplicate_of") if item.duplicate_of is None else item.duplicate_of
                changed = existing.get("content_hash") != row["content_hash"] or any(
                    existing.get(k) != row[k] for k in ("title", "published_at", "view_count")
                )
                self.db["articles"].update(item.url, row)
                status = "updated" if changed else "unchanged"
            self._settle_copies(item.content_hash)
        return status

    def _settle_copies(self, content_hash: str | None) -> None:
        """Among rows sharing one text, the earliest published (then lowest URL) is the original; the others
        point at it with `duplicate_of`. Re-settled on every write, so crawl order does not decide."""
        if not content_hash:
            return
        rows = list(
            self.db.query(
                "SELECT url, published_at FROM articles WHERE content_hash = ? "
                "ORDER BY published_at IS NULL, published_at, url",
                [content_hash],
            )
        )
        if len(rows) < 2:
            return
        original = rows[0]["url"]
        self.db.execute("UPDATE articles SET duplicate_of = NULL WHERE url = ?", [original])
        self.db.execute(
            "UPDATE articles SET duplicate_of = ? WHERE content_hash = ? AND url != ?",
            [original, content_hash, original],
        )


def item_to_row(item: ArticleItem) -> dict[str, Any]:
    row = to_record(item)
    for column in JSON_COLUMNS:
        row[column] = json.dumps(row[column], ensure_ascii=False) if row[column] is not None else None
    row["is_conference"] = int(bool(item.conference and item.conference.get("is_conference")))
    return row


def row_to_record(row: dict[str, Any]) -> dict[str, Any]:
    record = {name: row.get(name) for name in record_fields()}
    for column in JSON_COLUMNS:
        if isinstance(record.get(column), str):
            record[column] = json.loads(record[column])
    return record
