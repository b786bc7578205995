"""The SQLite store: schema, migrations, and the writes and reads the pipelines and the CLI need.

WAL mode lets exports read while a crawl writes. Every write is one transaction, committed before the next item
is taken, so a killed crawl keeps everything stored before the kill. Lists and records are JSON text columns
(sqlite-utils stores them as such), with the fields people filter on kept as plain columns.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from crawler.conferences import conference_id, is_groupable, meeting_day, merge, same_conference
from crawler.items import ArticleItem, record_fields, to_record
from crawler.neardup import THRESHOLD, band_keys, similarity

#: Longest time a batched commit waits (see `Store.save`).
COMMIT_SECONDS = 1.0

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


def _migration_3(db: sqlite_utils.Database) -> None:
    """Incremental crawling and run history: view-count history, earlier versions of edited articles, HTTP
    validators for conditional requests, a change sequence for consumer exports, runs and per-site state."""
    db["articles"].add_column("change_seq", int)
    db["articles"].add_column("etag", str)
    db["articles"].add_column("last_modified", str)
    db["articles"].add_column("last_checked_at", str)
    db.execute("UPDATE articles SET change_seq = rowid")
    db["articles"].create_index(["change_seq"])
    db["view_counts"].create({"id": int, "url": str, "seen_at": str, "count": int}, pk="id")
    db["view_counts"].create_index(["url", "seen_at"])
    db["article_versions"].create(
        {"id": int, "url": str, "replaced_at": str, "title": str, "body": str, "content_hash": str, "published_at": str, "crawled_at": str},
        pk="id",
    )
    db["article_versions"].create_index(["url"])
    db["runs"].create(
        {
            "id": int, "site": str, "started_at": str, "finished_at": str, "status": str, "finish_reason": str,
            "requests": int, "new": int, "updated": int, "unchanged": int, "not_modified": int, "skipped_stored": int,
            "dropped": str, "errors": str, "fallbacks": int, "coverage": str, "health": str,
        },
        pk="id",
    )
    db["runs"].create_index(["site", "started_at"])
    db["consumers"].create({"name": str, "change_seq": int, "exported_at": str, "exported": int}, pk="name")
    db["crawl_state"].create({"site": str, "key": str, "value": str}, pk=("site", "key"))
    db.execute("CREATE TABLE IF NOT EXISTS change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)")
    db.execute("INSERT OR IGNORE INTO change_counter VALUES (1, (SELECT coalesce(max(change_seq), 0) FROM articles))")


def _migration_4(db: sqlite_utils.Database) -> None:
    """Full-text search over titles and bodies. `remove_diacritics 2` folds Vietnamese tone and vowel marks, so
    "Thanh Xuan" finds "Thanh Xuân"; triggers keep the index in step with every write."""
    db["articles"].enable_fts(["title", "summary", "body"], tokenize="unicode61 remove_diacritics 2", create_triggers=True)


def _migration_5(db: sqlite_utils.Database) -> None:
    """The near-duplicate LSH band table, in SQLite rather than rebuilt in memory by every run."""
    db.execute("CREATE TABLE minhash_bands (band INTEGER NOT NULL, key INTEGER NOT NULL, url TEXT NOT NULL)")
    db.execute("CREATE INDEX idx_minhash_bands_key ON minhash_bands (band, key)")
    db.execute("CREATE INDEX idx_minhash_bands_url ON minhash_bands (url)")
    for url, data in db.execute("SELECT url, minhash FROM articles WHERE minhash IS NOT NULL").fetchall():
        db.conn.executemany("INSERT INTO minhash_bands VALUES (?, ?, ?)", [(b, k, url) for b, k in band_keys(data)])


def _migration_6(db: sqlite_utils.Database) -> None:
    """Dated parser versions: the version that read each article, and per-version hits and the base URL
    actually crawled (live or replica) in each run record."""
    db["articles"].add_column("parser_version", str)
    db["runs"].add_column("base_url", str)
    db["runs"].add_column("versions", str)


#: Schema changes in order; a database records how many it has applied.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _migration_1, _migration_2, _migration_3, _migration_4, _migration_5, _migration_6,
]


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.enable_wal()
        # In WAL mode NORMAL loses nothing when the process is killed (only an OS crash or power cut can cost
        # the last commits), and it spares an fsync per article: a per-item commit stays affordable.
        self.db.execute("PRAGMA synchronous = NORMAL")
        self._pending = 0
        self._last_commit = time.monotonic()
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
        self.commit()
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

    @staticmethod
    def _export_filter(since: str | None, conferences_only: bool) -> tuple[str, list[Any]]:
        clauses, params = ["1"], []
        if since:
            clauses.append("published_at >= ?")
            params.append(since)
        if conferences_only:
            clauses.append("is_conference = 1")
        return " AND ".join(clauses), params

    def _record_lines(self, where: str, params: list[Any], order: str) -> Iterator[str]:
        """Export lines (JSON objects, keys in item order) straight from the rows: the JSON columns are spliced in
        as stored rather than parsed and dumped again, and only exported columns are read (no signatures)."""
        names = record_fields()
        keys = [json.dumps(name) + ": " for name in names]
        json_positions = {i for i, name in enumerate(names) if name in JSON_COLUMNS}
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        sql = f"SELECT {', '.join(f'[{n}]' for n in names)} FROM articles WHERE {where} ORDER BY {order}"
        for row in self.db.conn.execute(sql, params):
            parts = [
                key + (value if i in json_positions and value is not None else dumps(value))
                for i, (key, value) in enumerate(zip(keys, row))
            ]
            yield "{" + ", ".join(parts) + "}"

    def iter_record_lines(self, since: str | None = None, conferences_only: bool = False) -> Iterator[str]:
        """Stored articles as export lines, oldest first."""
        where, params = self._export_filter(since, conferences_only)
        return self._record_lines(where, params, "published_at IS NULL, published_at, url")

    def iter_records(self, since: str | None = None, conferences_only: bool = False) -> Iterator[dict[str, Any]]:
        """Stored articles as export records (fields in item order), oldest first."""
        return (json.loads(line) for line in self.iter_record_lines(since, conferences_only))

    # --- writes ----------------------------------------------------------------------------------------

    def find_near_duplicate(self, minhash: bytes, exclude: str) -> tuple[str, float] | None:
        """The stored text most similar to `minhash` at or above the threshold: LSH candidates from the band
        table (indexed lookups, nothing held in memory), then the exact estimate on each candidate."""
        keys = band_keys(minhash)
        clause = " OR ".join("(band = ? AND key = ?)" for _ in keys)
        candidates = self.db.conn.execute(
            f"SELECT DISTINCT a.url, a.minhash FROM minhash_bands m JOIN articles a ON a.url = m.url "
            f"WHERE ({clause}) AND m.url != ?",
            [*(v for pair in keys for v in pair), exclude],
        ).fetchall()
        best: tuple[str, float] | None = None
        for url, data in candidates:
            score = similarity(minhash, data)
            if score >= THRESHOLD and (best is None or score > best[1] or (score == best[1] and url < best[0])):
                best = (url, score)
        return best

    def save(
        self, item: ArticleItem, copy_of: str | None = None, minhash: bytes | None = None, commit_every: int = 1
    ) -> str:
        """Insert or update one article, its history, its copy group and its conference link, all or nothing.

        `copy_of` is the URL of a stored near-duplicate, found by the dedup stage. An edited text keeps its
        earlier version in `article_versions`; every view count seen is appended to `view_counts`. Each article
        is a savepoint, so a failure leaves none of its rows. With `commit_every` > 1 (a crawl), commits are
        batched: every `commit_every` articles or `COMMIT_SECONDS`, and at `commit()`; whatever was committed
        survives a kill, and an uncommitted article is simply fetched again by the next run.
        Returns 'new', 'updated' or 'unchanged'.
        """
        conn = self.db.conn
        if not conn.in_transaction:
            conn.execute("BEGIN")
        conn.execute("SAVEPOINT article")
        try:
            status = self._save(item, copy_of, minhash)
            conn.execute("RELEASE article")
        except BaseException:
            conn.execute("ROLLBACK TO article")
            conn.execute("RELEASE article")
            raise
        self._pending += 1
        if self._pending >= commit_every or time.monotonic() - self._last_commit >= COMMIT_SECONDS:
            self.commit()
        return status

    def commit(self) -> None:
        if self.db.conn.in_transaction:
            self.db.conn.commit()
        self._pending = 0
        self._last_commit = time.monotonic()

    def _save(self, item: ArticleItem, copy_of: str | None, minhash: bytes | None) -> str:
        row = item_to_row(item)
        row["minhash"] = minhash
        row["etag"], row["last_modified"] = item.http_etag, item.http_last_modified
        row["last_checked_at"] = item.crawled_at
        existing = self.get(item.url)
        group_row = self.get(copy_of) if copy_of else None
        row["dup_group"] = (group_row or {}).get("dup_group") or copy_of or (existing or {}).get("dup_group") or item.url
        if existing is None:
            row["first_seen_at"] = item.crawled_at
            row["change_seq"] = self._next_change()
            self._insert("articles", row)
            status = "new"
        else:
            row["first_seen_at"] = existing.get("first_seen_at")
            if existing.get("content_hash") != row["content_hash"] or existing.get("title") != row["title"]:
                self._insert(
                    "article_versions",
                    {"url": item.url, "replaced_at": item.crawled_at,
                     **{k: existing.get(k) for k in ("title", "body", "content_hash", "published_at", "crawled_at")}},
                )
            changed = existing.get("content_hash") != row["content_hash"] or any(
                existing.get(k) != row[k] for k in ("title", "published_at", "view_count")
            )
            row["change_seq"] = self._next_change() if changed else existing.get("change_seq")
            columns = [c for c in row if c != "url"]
            self.db.conn.execute(
                f"UPDATE articles SET {', '.join(f'[{c}] = ?' for c in columns)} WHERE url = ?",
                [*(row[c] for c in columns), item.url],
            )
            status = "updated" if changed else "unchanged"
        if item.view_count is not None:
            self._insert("view_counts", {"url": item.url, "seen_at": item.crawled_at, "count": item.view_count})
        if minhash is not None and (existing is None or existing.get("minhash") != minhash):
            self.db.conn.execute("DELETE FROM minhash_bands WHERE url = ?", [item.url])
            self.db.conn.executemany(
                "INSERT INTO minhash_bands VALUES (?, ?, ?)", [(b, k, item.url) for b, k in band_keys(minhash)]
            )
        self._settle_copies(row["dup_group"])
        if existing is None or existing.get("conference") != row["conference"]:
            self._link_conference(item.url, item.conference or {}, item.published_at)
        return status

    def _insert(self, table: str, row: dict[str, Any], replace: bool = False) -> None:
        """A plain parameterised INSERT. sqlite-utils' insert() reads the table's schema on every call, which
        cost most of a crawl's write time (46 statements per article instead of about 12)."""
        columns = list(row)
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        self.db.conn.execute(
            f"{verb} INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' * len(columns))})",
            [row[c] for c in columns],
        )

    def _next_change(self) -> int:
        """A strictly increasing number per write, so a consumer's watermark never skips or repeats a change."""
        self.db.execute("UPDATE change_counter SET value = value + 1 WHERE id = 1")
        return int(self.db.execute("SELECT value FROM change_counter WHERE id = 1").fetchone()[0])

    def mark_checked(self, url: str, when: str) -> None:
        """A refresh answered 304 Not Modified: the page, and so its view count, has not moved. The unchanged
        count is recorded as a reading, so the article stops being refreshed once its count settles."""
        with self.db.conn:
            self.db.execute("UPDATE articles SET last_checked_at = ? WHERE url = ?", [when, url])
            self.db.execute(
                "INSERT INTO view_counts (url, seen_at, count) SELECT url, ?, view_count FROM articles "
                "WHERE url = ? AND view_count IS NOT NULL",
                [when, url],
            )

    # --- incremental state -----------------------------------------------------------------------------

    def known_urls(self, site: str) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT url FROM articles WHERE site = ?", [site])}

    def refresh_candidates(self, site: str, since: str) -> dict[str, tuple[str | None, str | None]]:
        """Articles published since `since` whose view counts still move (fewer than two readings, or the last
        two differ): URL -> (etag, last_modified) for a conditional request."""
        rows = self.db.execute(
            "SELECT a.url, a.etag, a.last_modified, "
            "(SELECT group_concat(count) FROM (SELECT count FROM view_counts v WHERE v.url = a.url ORDER BY seen_at DESC, id DESC LIMIT 2)) "
            "FROM articles a WHERE a.site = ? AND a.published_at >= ? AND a.view_count IS NOT NULL",
            [site, since],
        ).fetchall()
        candidates = {}
        for url, etag, last_modified, recent in rows:
            readings = (recent or "").split(",")
            if len(readings) < 2 or readings[0] != readings[1]:
                candidates[url] = (etag, last_modified)
        return candidates

    def get_state(self, site: str, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM crawl_state WHERE site = ? AND key = ?", [site, key]).fetchone()
        return row[0] if row else None

    def set_state(self, site: str, key: str, value: str) -> None:
        with self.db.conn:
            self.db["crawl_state"].upsert({"site": site, "key": key, "value": value}, pk=("site", "key"))

    # --- runs and consumers ----------------------------------------------------------------------------

    def record_run(self, run: dict[str, Any]) -> int:
        row = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v for k, v in run.items()}
        with self.db.conn:
            return int(self.db["runs"].insert(row).last_pk)

    def iter_runs(self, site: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        where, params = ("WHERE site = ?", [site]) if site else ("", [])
        rows = list(self.db.query(f"SELECT * FROM runs {where} ORDER BY id DESC LIMIT ?", [*params, limit]))
        for row in rows:
            for name in ("dropped", "errors", "coverage", "health", "versions"):
                if isinstance(row.get(name), str):
                    row[name] = json.loads(row[name])
        return rows

    def changes_for(self, consumer: str) -> tuple[int, Iterator[str], int]:
        """(watermark, export lines of what changed since it, in change order, newest change number)."""
        row = self.db.execute("SELECT change_seq FROM consumers WHERE name = ?", [consumer]).fetchone()
        since = int(row[0]) if row else 0
        newest = int(self.db.execute("SELECT coalesce(max(change_seq), 0) FROM articles").fetchone()[0])

        return since, self._record_lines("change_seq > ? AND change_seq <= ?", [since, newest], "change_seq"), newest

    def set_watermark(self, consumer: str, change_seq: int, exported: int, when: str) -> None:
        with self.db.conn:
            self.db["consumers"].upsert(
                {"name": consumer, "change_seq": change_seq, "exported_at": when, "exported": exported}, pk="name"
            )

    def _settle_copies(self, group: str) -> None:
        """Within a copy group the earliest published (then lowest URL) is the original; the others point at
        it with `duplicate_of`. Re-settled on every write, so crawl order does not decide; only rows whose
        link changes are written."""
        rows = self.db.conn.execute(
            "SELECT url, duplicate_of FROM articles WHERE dup_group = ? ORDER BY published_at IS NULL, published_at, url",
            [group],
        ).fetchall()
        if not rows:
            return
        original = rows[0][0]
        for url, duplicate_of in rows:
            wanted = None if url == original else original
            if duplicate_of != wanted:
                self.db.conn.execute("UPDATE articles SET duplicate_of = ? WHERE url = ?", [wanted, url])

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
        self.db.conn.execute("INSERT OR REPLACE INTO conference_articles (article_url, conference_id) VALUES (?, ?)", [url, target])
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
        self._insert("conferences", record, replace=True)

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
