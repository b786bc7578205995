"""The store's schema as named migrations, each applied once and recorded by name in `_migrations`.

A database made before migrations had names recorded them by position (version 1..5); opening it names those
rows once, so it upgrades like any other. Add a change by appending a `Migration` with a new name; never edit
or reorder one that has shipped. (sqlite-utils has no migration runner of its own and sqlite-migrate is not a
dependency: this is the same idea in a page of code, on the project's existing `_migrations` table.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from crawler.store.sqlite_lib import sqlite_utils

logger = logging.getLogger(__name__)

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
#: Lists and records stored as JSON text.
JSON_COLUMNS = ("images", "tags", "conference", "fallback_fields")



@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[sqlite_utils.Database], None]


def _articles(db: sqlite_utils.Database) -> None:
    db["articles"].create(ARTICLE_COLUMNS, pk="url", not_null={"site"})
    for columns in (["site"], ["content_hash"], ["published_at"], ["duplicate_of"], ["is_conference"]):
        db["articles"].create_index(columns)


def _copy_groups_and_conferences(db: sqlite_utils.Database) -> None:
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


def _incremental_state_and_runs(db: sqlite_utils.Database) -> None:
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


def _full_text_search(db: sqlite_utils.Database) -> None:
    """Full-text search over titles and bodies. `remove_diacritics 2` folds Vietnamese tone and vowel marks, so
    "Thanh Xuan" finds "Thanh Xuân"; triggers keep the index in step with every write."""
    db["articles"].enable_fts(["title", "summary", "body"], tokenize="unicode61 remove_diacritics 2", create_triggers=True)


def _minhash_bands(db: sqlite_utils.Database) -> None:
    """The near-duplicate LSH band table, in SQLite rather than rebuilt in memory by every run."""
    db.execute("CREATE TABLE minhash_bands (band INTEGER NOT NULL, key INTEGER NOT NULL, url TEXT NOT NULL)")
    db.execute("CREATE INDEX idx_minhash_bands_key ON minhash_bands (band, key)")
    db.execute("CREATE INDEX idx_minhash_bands_url ON minhash_bands (url)")
    for url, data in db.execute("SELECT url, minhash FROM articles WHERE minhash IS NOT NULL").fetchall():
        from crawler.neardup import band_keys  # noqa: PLC0415 - numpy only where there are signatures (sqlite_lib.py)

        db.conn.executemany("INSERT INTO minhash_bands VALUES (?, ?, ?)", [(b, k, url) for b, k in band_keys(data)])


def _fetched_links(db: sqlite_utils.Database) -> None:
    """The link an article was fetched under, canonicalised without its page's rel=canonical: the incremental
    middleware only sees links, so a page whose rel=canonical differs from its link is known by this too."""
    db["articles"].add_column("link_url", str)
    db["articles"].create_index(["link_url"])


def _runs_not_articles(db: sqlite_utils.Database) -> None:
    """Pages met that were not articles, by reason, kept apart from dropped articles in run records (JSON)."""
    db["runs"].add_column("not_articles", str)
def _parser_versions(db: sqlite_utils.Database) -> None:
    """Dated parser versions: the version that read each article; per-version hits and the base URL actually
    crawled (live or replica) in each run record."""
    db["articles"].add_column("parser_version", str)
    db["runs"].add_column("base_url", str)
    db["runs"].add_column("versions", str)


def _fallback_fields(db: sqlite_utils.Database) -> None:
    """Which fields the generic reader supplied where a site's selectors missed them (a JSON list)."""
    db["articles"].add_column("fallback_fields", str)


def _runs_warnings(db: sqlite_utils.Database) -> None:
    """Problems worked around while keeping the article (a value nulled, a text cut), by reason, in run records."""
    db["runs"].add_column("warnings", str)


#: Schema changes in order. The first five were applied by position before they had names.
def _conference_lookup_index(db: sqlite_utils.Database) -> None:
    """The conference an article joins is looked up by level, locality in any case and session number: an index
    on exactly that (the older index's `locality` column could not serve `lower(locality)`, so every lookup
    read all conferences of a level, a cost that grew with the store)."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_conferences_lookup ON conferences (level, lower(locality), session_number)"
    )


MIGRATIONS: list[Migration] = [
    Migration("articles", _articles),
    Migration("copy_groups_and_conferences", _copy_groups_and_conferences),
    Migration("incremental_state_and_runs", _incremental_state_and_runs),
    Migration("full_text_search", _full_text_search),
    Migration("minhash_bands", _minhash_bands),
    Migration("fetched_links", _fetched_links),
    Migration("runs_not_articles", _runs_not_articles),
    Migration("fallback_fields", _fallback_fields),
    Migration("parser_versions", _parser_versions),
    Migration("runs_warnings", _runs_warnings),
    Migration("conference_lookup_index", _conference_lookup_index),
]


def applied(db: sqlite_utils.Database) -> list[str]:
    """Names of the migrations this database has applied, in order."""
    if "_migrations" not in db.table_names():
        return []
    return [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY version") if row[0]]


def up_to_date(db: sqlite_utils.Database) -> bool:
    """Read-only check, so opening an up-to-date store (an export, a reader during a crawl) never takes the write
    lock."""
    if "_migrations" not in db.table_names() or "name" not in db["_migrations"].columns_dict:
        return False
    return set(applied(db)) >= {m.name for m in MIGRATIONS}


def unknown_migrations(db: sqlite_utils.Database) -> list[str]:
    """Migrations this database records that this code does not know: it was changed by a newer crawler."""
    if "_migrations" not in db.table_names():
        return []
    known = {m.name for m in MIGRATIONS}
    has_names = "name" in db["_migrations"].columns_dict
    rows = db.execute(f"SELECT version, {'name' if has_names else 'NULL'} FROM _migrations ORDER BY version").fetchall()
    return [name or f"version {version}" for version, name in rows if (name not in known if name else version > len(MIGRATIONS))]


def migrate(db: sqlite_utils.Database, path: object = "the database") -> list[str]:
    """Apply every migration not yet applied, each with its record in one transaction. Returns the names applied.

    A database that records migrations unknown here (written by a newer crawler) is used, with a warning."""
    newer = unknown_migrations(db)
    if newer:
        logger.warning(
            "%s was changed by a newer version of the crawler (migrations unknown here: %s); using it, but upgrade "
            "the crawler before trusting what it writes", path, ", ".join(newer),
        )
    done: list[str] = []
    if up_to_date(db):
        return done
    with db.conn:
        db.execute("CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, applied_at TEXT, name TEXT)")
        if "name" not in db["_migrations"].columns_dict:  # recorded by position, before migrations had names
            db.execute("ALTER TABLE _migrations ADD COLUMN name TEXT")
        for version, migration in enumerate(MIGRATIONS, start=1):
            db.execute("UPDATE _migrations SET name = ? WHERE version = ? AND name IS NULL", [migration.name, version])
        names = {row[0] for row in db.execute("SELECT name FROM _migrations")}
        for migration in MIGRATIONS:
            if migration.name not in names:
                migration.apply(db)
                db.execute(
                    "INSERT INTO _migrations (version, applied_at, name) VALUES "
                    "((SELECT coalesce(max(version), 0) + 1 FROM _migrations), datetime('now'), ?)",
                    [migration.name],
                )
                done.append(migration.name)
    return done
