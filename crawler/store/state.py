"""What the store keeps beside articles: per-site crawl state, run records and consumer watermarks.

Writes join a crawl's open batch when there is one (committed with it, never committing it early) and commit
at once otherwise; see `Store.write`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from crawler.store.sqlite_lib import sqlite_utils

Writer = Callable[[], AbstractContextManager[None]]


class CrawlState:
    """Small per-site values (`incomplete_since`, `sitemap_fetched_at`, cached robots.txt per host)."""

    def __init__(self, db: sqlite_utils.Database, write: Writer) -> None:
        self.db = db
        self.write = write

    def get(self, site: str, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM crawl_state WHERE site = ? AND key = ?", [site, key]).fetchone()
        return row[0] if row else None

    def set(self, site: str, key: str, value: str) -> None:
        with self.write():
            self.db.execute(
                "INSERT INTO crawl_state (site, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (site, key) DO UPDATE SET value = excluded.value",
                [site, key, value],
            )


class RunLog:
    """One row per finished crawl run (`crawler runs`)."""

    JSON_FIELDS = ("dropped", "not_articles", "errors", "warnings", "coverage", "health", "versions")

    def __init__(self, db: sqlite_utils.Database, write: Writer) -> None:
        self.db = db
        self.write = write

    def record(self, run: dict[str, Any]) -> int:
        row = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v for k, v in run.items()}
        with self.write():
            return int(self.db["runs"].insert(row).last_pk)

    def recent(self, site: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        where, params = ("WHERE site = ?", [site]) if site else ("", [])
        rows = list(self.db.query(f"SELECT * FROM runs {where} ORDER BY id DESC LIMIT ?", [*params, limit]))
        for row in rows:
            for name in self.JSON_FIELDS:
                if isinstance(row.get(name), str):
                    row[name] = json.loads(row[name])
        return rows


class Watermarks:
    """The last change each export consumer has received."""

    def __init__(self, db: sqlite_utils.Database, write: Writer) -> None:
        self.db = db
        self.write = write

    def get(self, consumer: str) -> int:
        row = self.db.execute("SELECT change_seq FROM consumers WHERE name = ?", [consumer]).fetchone()
        return int(row[0]) if row else 0

    def set(self, consumer: str, change_seq: int, exported: int, when: str) -> None:
        with self.write():
            self.db["consumers"].upsert(
                {"name": consumer, "change_seq": change_seq, "exported_at": when, "exported": exported}, pk="name"
            )
