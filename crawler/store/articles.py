"""Articles in the store: the write path of one article (row, history, view counts, signature bands, copy
group) and the reads the pipelines, the incremental middleware and the exports need.

Writes run inside the transaction `Store.save` opens (one savepoint per article, commits batched by the
store); nothing here commits. Lists and records are JSON text columns, with the fields people filter on kept as
plain columns.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from crawler.items import ArticleItem, record_fields, to_record
from crawler.store.schema import JSON_COLUMNS
from crawler.store.sqlite_lib import sqlite_utils

#: JSON text as `json.dumps(value, ensure_ascii=False)` writes it, without building an encoder per call.
to_json = json.JSONEncoder(ensure_ascii=False).encode
#: The stored fields, in order (read once: `record_fields()` walks the dataclass's fields on every call).
RECORD_FIELDS = tuple(record_fields())


def _band_rows(minhash: bytes, url: str) -> list[tuple[int, int, str]]:
    """The signature's LSH band rows. `crawler.neardup` (and numpy, ~11 MB) is imported by the first article
    write or near-duplicate lookup, not with the store: a crawl's own process opens the store for its runs and
    crawl state only, its item worker does the article writes."""
    from crawler.neardup import band_keys  # noqa: PLC0415

    return [(band, key, url) for band, key in band_keys(minhash)]


@lru_cache(maxsize=64)
def insert_sql(table: str, columns: tuple[str, ...], replace: bool = False) -> str:
    """The INSERT statement for these columns, built once per shape (SQLite's statement cache then finds it)."""
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    return f"{verb} INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' * len(columns))})"


def dict_rows(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    """A cursor's rows as dicts keyed by column name."""
    keys = [column[0] for column in cursor.description]
    return (dict(zip(keys, row)) for row in cursor)


def insert_row(db: sqlite_utils.Database, table: str, row: dict[str, Any], replace: bool = False) -> None:
    """A plain parameterised INSERT. sqlite-utils' insert() reads the table's schema on every call, which
    cost most of a crawl's write time (46 statements per article instead of about 12)."""
    db.conn.execute(insert_sql(table, tuple(row), replace), list(row.values()))


def original_of(members: list[tuple[str, str | None]]) -> str:
    """The original of a copy group, from (url, published_at) pairs: the earliest published, then the lowest
    URL; an undated member comes after every dated one. Crawl order never decides."""
    return min(members, key=lambda m: (m[1] is None, m[1] or "", m[0]))[0]


def item_to_row(item: ArticleItem) -> dict[str, Any]:
    # An ArticleItem's fields are read directly (the store's own input); any other item type through its adapter.
    row = {name: getattr(item, name) for name in RECORD_FIELDS} if isinstance(item, ArticleItem) else to_record(item)
    for column in JSON_COLUMNS:
        row[column] = to_json(row[column]) if row[column] is not None else None
    row["is_conference"] = int(bool(item.conference and item.conference.get("is_conference")))
    return row


class Articles:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # --- reads -----------------------------------------------------------------------------------------

    def get(self, url: str) -> dict[str, Any] | None:
        return next(dict_rows(self.db.conn.execute("SELECT * FROM articles WHERE url = ?", [url])), None)

    def same_text(self, content_hash: str, exclude_url: str) -> tuple[str | None, bytes | None]:
        """What the store holds of a text with this content hash, in one statement: the first other URL storing
        it (an exact copy) and its stored near-duplicate signature (equal texts, equal signatures: the dedup
        step then need not compute it again)."""
        return self.db.conn.execute(
            "SELECT (SELECT url FROM articles WHERE content_hash = ?1 AND url != ?2 ORDER BY url LIMIT 1), "
            "(SELECT minhash FROM articles WHERE content_hash = ?1 AND minhash IS NOT NULL LIMIT 1)",
            [content_hash, exclude_url],
        ).fetchone()

    def signature_of_hash(self, content_hash: str) -> bytes | None:
        return self.same_text(content_hash, "")[1]

    def count(self, where: str = "1", params: list[Any] | None = None) -> int:
        return self.db.execute(f"SELECT count(*) FROM articles WHERE {where}", params or []).fetchone()[0]

    def find_near_duplicate(self, minhash: bytes, exclude: str) -> tuple[str, float] | None:
        """The stored text most similar to `minhash` at or above the threshold: LSH candidates from the band
        table (indexed lookups, nothing held in memory), then the exact estimate on each candidate."""
        from crawler.neardup import THRESHOLD, band_keys, similarity  # noqa: PLC0415 - see _band_rows

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

    def known_urls(self, site: str) -> set[str]:
        """Every stored article of `site` by its identity and by the link it was fetched under."""
        rows = self.db.execute("SELECT url, link_url FROM articles WHERE site = ?", [site])
        return {url for row in rows for url in row if url}

    def refresh_candidates(self, site: str, since: str) -> dict[str, tuple[str | None, str | None]]:
        """Articles published since `since` whose view counts still move (fewer than two readings, or the last
        two differ): link -> (etag, last_modified) for a conditional request. Keyed by the stored identity and,
        when it differs, by the link the article was fetched under."""
        rows = self.db.execute(
            "SELECT a.url, a.link_url, a.etag, a.last_modified, "
            "(SELECT group_concat(count) FROM (SELECT count FROM view_counts v WHERE v.url = a.url ORDER BY seen_at DESC, id DESC LIMIT 2)) "
            "FROM articles a WHERE a.site = ? AND a.published_at >= ? AND a.view_count IS NOT NULL",
            [site, since],
        ).fetchall()
        candidates = {}
        for url, link_url, etag, last_modified, recent in rows:
            readings = (recent or "").split(",")
            if len(readings) < 2 or readings[0] != readings[1]:
                for key in {url, link_url or url}:
                    candidates[key] = (etag, last_modified)
        return candidates

    def export_filter(self, since: str | None, conferences_only: bool) -> tuple[str, list[Any]]:
        clauses, params = ["1"], []
        if since:
            clauses.append("published_at >= ?")
            params.append(since)
        if conferences_only:
            clauses.append("is_conference = 1")
        return " AND ".join(clauses), params

    def record_lines(self, where: str, params: list[Any], order: str) -> Iterator[str]:
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
        where, params = self.export_filter(since, conferences_only)
        return self.record_lines(where, params, "published_at IS NULL, published_at, url")

    def iter_records(self, since: str | None = None, conferences_only: bool = False) -> Iterator[dict[str, Any]]:
        """Stored articles as export records (fields in item order), oldest first."""
        return (json.loads(line) for line in self.iter_record_lines(since, conferences_only))

    def newest_change(self) -> int:
        return int(self.db.execute("SELECT coalesce(max(change_seq), 0) FROM articles").fetchone()[0])

    def changed_lines(self, since: int, newest: int) -> Iterator[str]:
        """Export lines of the articles changed after change `since` up to `newest`, in change order."""
        return self.record_lines("change_seq > ? AND change_seq <= ?", [since, newest], "change_seq")

    # --- writes (inside the caller's transaction) ---------------------------------------------------------

    def save(self, item: ArticleItem, copy_of: str | None, minhash: bytes | None) -> tuple[str, bool]:
        """Insert or update one article, its history and its copy group. `copy_of` is the URL of a stored
        near-duplicate, found by the dedup stage. An edited text keeps its earlier version in `article_versions`;
        every view count seen is appended to `view_counts`.
        Returns ('new' | 'updated' | 'unchanged', whether its conference facts changed)."""
        row = item_to_row(item)
        row["minhash"] = minhash
        row["etag"], row["last_modified"] = item.http_etag, item.http_last_modified
        row["last_checked_at"] = item.crawled_at
        row["link_url"] = item.link_url if item.link_url and item.link_url != item.url else None
        existing = self.get(item.url)
        group = self.db.conn.execute("SELECT dup_group FROM articles WHERE url = ?", [copy_of]).fetchone() if copy_of else None
        row["dup_group"] = (group[0] if group else None) or copy_of or (existing or {}).get("dup_group") or item.url
        if existing is None:
            row["first_seen_at"] = item.crawled_at
            row["change_seq"] = self._next_change()
            insert_row(self.db, "articles", row)
            status = "new"
        else:
            row["first_seen_at"] = existing.get("first_seen_at")
            if existing.get("content_hash") != row["content_hash"] or existing.get("title") != row["title"]:
                insert_row(
                    self.db,
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
            insert_row(self.db, "view_counts", {"url": item.url, "seen_at": item.crawled_at, "count": item.view_count})
        if minhash is not None and (existing is None or existing.get("minhash") != minhash):
            if existing is not None:
                self.db.conn.execute("DELETE FROM minhash_bands WHERE url = ?", [item.url])
            self.db.conn.executemany("INSERT INTO minhash_bands VALUES (?, ?, ?)", _band_rows(minhash, item.url))
        if existing is not None or row["dup_group"] != item.url or row.get("duplicate_of") is not None:
            self._settle_copies(row["dup_group"])  # (a new article in a group of its own is its own original)
        return status, existing is None or existing.get("conference") != row["conference"]

    def _next_change(self) -> int:
        """A strictly increasing number per write, so a consumer's watermark never skips or repeats a change."""
        row = self.db.conn.execute("UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value").fetchone()
        return int(row[0])

    def _settle_copies(self, group: str) -> None:
        """Point every member of a copy group at its original (`original_of`); re-settled on every write, and
        only rows whose link changes are written, each with a new change number: a relink is a change that
        `export --consumer` delivers."""
        rows = self.db.conn.execute(
            "SELECT url, duplicate_of, published_at FROM articles WHERE dup_group = ?", [group]
        ).fetchall()
        if not rows:
            return
        original = original_of([(url, published) for url, _, published in rows])
        for url, duplicate_of, _ in rows:
            wanted = None if url == original else original
            if duplicate_of != wanted:
                self.db.conn.execute(
                    "UPDATE articles SET duplicate_of = ?, change_seq = ? WHERE url = ?", [wanted, self._next_change(), url]
                )

    def mark_checked(self, url: str, when: str) -> None:
        """A refresh answered 304 Not Modified: the page, and so its view count, has not moved. The unchanged
        count is recorded as a reading, so the article stops being refreshed once its count settles. `url` may
        be the identity or the link the article was fetched under."""
        row = self.db.execute("SELECT url FROM articles WHERE url = ? OR link_url = ? LIMIT 1", [url, url]).fetchone()
        if row is None:
            return
        self.db.execute("UPDATE articles SET last_checked_at = ? WHERE url = ?", [when, row[0]])
        self.db.execute(
            "INSERT INTO view_counts (url, seen_at, count) SELECT url, ?, view_count FROM articles "
            "WHERE url = ? AND view_count IS NOT NULL",
            [when, row[0]],
        )
