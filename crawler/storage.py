"""The SQLite store: schema, migrations, and the writes and reads the pipelines and the CLI need.

WAL mode lets exports read while a crawl writes. Every write is one transaction, committed before the next item
is taken, so a killed crawl keeps everything stored before the kill. Lists and records are JSON text columns
(sqlite-utils stores them as such), with the fields people filter on kept as plain columns.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from crawler.conferences import conference_id, is_groupable, meeting_day, merge, same_conference
from crawler.items import ArticleItem, record_fields, to_record
from crawler.neardup import NearDuplicateIndex, from_bytes

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


def _migration_2(db: sqlite_utils.Database) -> None:
    """Near-duplicate signatures and copy groups; the conferences the articles report."""
    db["articles"].add_column("minhash", bytes)
    db["articles"].add_column("dup_group", str)
    db.execute("UPDATE articles SET dup_group = coalesce(duplicate_of, url)")
    db["articles"].create_index(["dup_group"])
    db["conferences"].create(
        {
            "id": str, "organ_normalized": str, "level": str, "locality": str, "province": str, "term": str,
            "term_number": int, "term_period": str, "session_number": int, "held_on": str, "held_on_text": str,
            "presided_by": str, "attendees": str, "targets": str, "review_period": str, "article_count": int,
            "sites": str, "first_published_at": str, "disagreements": str, "updated_at": str,
        },
        pk="id",
    )
    db["conferences"].create_index(["level", "locality", "session_number"])
    db["conference_articles"].create({"article_url": str, "conference_id": str}, pk="article_url")
    db["conference_articles"].create_index(["conference_id"])


#: Schema changes in order; a database records how many it has applied.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migration_1, _migration_2]


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.enable_wal()
        self._near: NearDuplicateIndex | None = None
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

    def find_by_hash(self, content_hash: str, exclude_url: str) -> str | None:
        row = self.db.execute(
            "SELECT url FROM articles WHERE content_hash = ? AND url != ? ORDER BY url LIMIT 1", [content_hash, exclude_url]
        ).fetchone()
        return row[0] if row else None

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

    def near_duplicates(self) -> NearDuplicateIndex:
        """The LSH index of stored signatures, loaded once per process and kept current by `save`."""
        if self._near is None:
            self._near = NearDuplicateIndex()
            for row in self.db.execute("SELECT url, minhash FROM articles WHERE minhash IS NOT NULL"):
                self._near.add(row[0], from_bytes(row[1]))
        return self._near

    def save(self, item: ArticleItem, copy_of: str | None = None, minhash: bytes | None = None) -> str:
        """Insert or update one article, its copy group and its conference link in one transaction.

        `copy_of` is the URL of a stored near-duplicate, found by the dedup stage; returns 'new', 'updated' or
        'unchanged'.
        """
        row = item_to_row(item)
        row["minhash"] = minhash
        with self.db.conn:
            existing = self.get(item.url)
            group_row = self.get(copy_of) if copy_of else None
            row["dup_group"] = (group_row or {}).get("dup_group") or copy_of or (existing or {}).get("dup_group") or item.url
            if existing is None:
                row["first_seen_at"] = item.crawled_at
                self.db["articles"].insert(row)
                status = "new"
            else:
                row["first_seen_at"] = existing.get("first_seen_at")
                changed = existing.get("content_hash") != row["content_hash"] or any(
                    existing.get(k) != row[k] for k in ("title", "published_at", "view_count")
                )
                self.db["articles"].update(item.url, row)
                status = "updated" if changed else "unchanged"
            self._settle_copies(row["dup_group"])
            if existing is None or existing.get("conference") != row["conference"]:
                self._link_conference(item.url, item.conference or {}, item.published_at)
        if minhash is not None and self._near is not None:
            self._near.add(item.url, from_bytes(minhash))
        return status

    def _settle_copies(self, group: str) -> None:
        """Within a copy group the earliest published (then lowest URL) is the original; the others point at
        it with `duplicate_of`. Re-settled on every write, so crawl order does not decide."""
        rows = list(
            self.db.query(
                "SELECT url FROM articles WHERE dup_group = ? ORDER BY published_at IS NULL, published_at, url", [group]
            )
        )
        if not rows:
            return
        original = rows[0]["url"]
        self.db.execute("UPDATE articles SET duplicate_of = NULL WHERE url = ?", [original])
        self.db.execute(
            "UPDATE articles SET duplicate_of = ? WHERE dup_group = ? AND url != ?", [original, group, original]
        )

    # --- conferences -----------------------------------------------------------------------------------

    def _link_conference(self, url: str, facts: dict[str, Any], published_at: str | None) -> None:
        previous = self.db.execute("SELECT conference_id FROM conference_articles WHERE article_url = ?", [url]).fetchone()
        self.db.execute("DELETE FROM conference_articles WHERE article_url = ?", [url])
        if previous:
            self._refresh_conference(previous[0])
        if not facts.get("is_conference"):
            return
        day = meeting_day(facts, published_at)
        target: str | None = None
        if is_groupable(facts):
            candidates = self.db.query(
                "SELECT * FROM conferences WHERE level = ? AND lower(locality) = lower(?) AND session_number IS ?",
                [facts["level"], facts["locality"], facts.get("session_number")],
            )
            target = next((c["id"] for c in candidates if same_conference(facts, day, c)), None)
        if target is None:
            target = conference_id(facts, day, url)
            while self.db.execute("SELECT 1 FROM conferences WHERE id = ?", [target]).fetchone():
                target += "-b"  # the same session number in another term, reported without its term
        self.db["conference_articles"].insert({"article_url": url, "conference_id": target}, replace=True)
        self._refresh_conference(target)

    def _refresh_conference(self, conference_id: str) -> None:
        reports = list(
            self.db.query(
                "SELECT a.conference, a.published_at, a.site FROM conference_articles c "
                "JOIN articles a ON a.url = c.article_url WHERE c.conference_id = ?",
                [conference_id],
            )
        )
        if not reports:
            self.db.execute("DELETE FROM conferences WHERE id = ?", [conference_id])
            return
        merged, disagreements = merge([(json.loads(r["conference"]), r["published_at"]) for r in reports])
        published = sorted(r["published_at"] for r in reports if r["published_at"])
        record = {
            "id": conference_id,
            **{k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in merged.items()},
            "article_count": len(reports),
            "sites": json.dumps(sorted({r["site"] for r in reports}), ensure_ascii=False),
            "first_published_at": published[0] if published else None,
            "disagreements": json.dumps(disagreements, ensure_ascii=False) if disagreements else None,
            "updated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        self.db["conferences"].upsert(record, pk="id")

    def iter_conferences(self) -> Iterator[dict[str, Any]]:
        """Conference entities with their source articles, in meeting order."""
        for row in self.db.query("SELECT * FROM conferences ORDER BY held_on IS NULL, held_on, first_published_at, id"):
            record = dict(row)
            for name in ("presided_by", "attendees", "targets", "sites", "disagreements"):
                if isinstance(record.get(name), str):
                    record[name] = json.loads(record[name])
            record["articles"] = list(
                self.db.query(
                    "SELECT a.url, a.site, a.title, a.published_at, a.duplicate_of FROM conference_articles c "
                    "JOIN articles a ON a.url = c.article_url WHERE c.conference_id = ? ORDER BY a.published_at, a.url",
                    [row["id"]],
                )
            )
            yield record


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
