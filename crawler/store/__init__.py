"""The SQLite store, and its one owner per database file per process: `open_store(settings)`.

Components that need the store open it in `from_crawler` (`open_store(crawler.settings)`); several spiders in
one process share its connection. The path comes from the `CRAWLER_DB_PATH` setting only.

WAL mode lets exports read while a crawl writes. Each article is one savepoint (all of its rows or none);
commits are batched in a crawl (`CRAWLER_COMMIT_EVERY` articles or `COMMIT_SECONDS`, and at `commit()`),
so whatever was committed survives a kill and an uncommitted article is simply fetched again by the next run.
State, run and watermark writes join an open batch instead of committing it early.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from crawler.clock import Clock, clock_from, utc_now
from crawler.items import ArticleItem
from crawler.store.articles import Articles
from crawler.store.conferences import Conferences
from crawler.store.schema import migrate
from crawler.store.state import CrawlState, RunLog, Watermarks

#: Longest time a batched commit waits (see `Store.save`).
COMMIT_SECONDS = 1.0
DEFAULT_PATH = "output/crawl.db"


class Store:
    def __init__(self, path: str | Path, clock: Clock = utc_now) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.enable_wal()
        # In WAL mode NORMAL loses nothing when the process is killed (only an OS crash or power cut can cost
        # the last commits), and it spares an fsync per article: a per-item commit stays affordable.
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.closed = False
        self._pending = 0
        self._last_commit = time.monotonic()
        migrate(self.db)
        self.articles = Articles(self.db)
        self.conferences = Conferences(self.db, clock)
        self.state = CrawlState(self.db, self.write)
        self.runs = RunLog(self.db, self.write)
        self.watermarks = Watermarks(self.db, self.write)

    def save(
        self, item: ArticleItem, copy_of: str | None = None, minhash: bytes | None = None, commit_every: int = 1
    ) -> str:
        """Store one article and, as an explicit second step, its conference grouping: all or nothing.

        With `commit_every` > 1 (a crawl), commits are batched. Returns 'new', 'updated' or 'unchanged'.
        """
        conn = self.db.conn
        if not conn.in_transaction:
            conn.execute("BEGIN")
        conn.execute("SAVEPOINT article")
        try:
            status, conference_changed = self.articles.save(item, copy_of, minhash)
            if conference_changed:
                self.conferences.assign(item.url, item.conference or {}, item.published_at, new=status == "new")
            conn.execute("RELEASE article")
        except BaseException:
            conn.execute("ROLLBACK TO article")
            conn.execute("RELEASE article")
            raise
        self._pending += 1
        if self._pending >= commit_every or time.monotonic() - self._last_commit >= COMMIT_SECONDS:
            self.commit()
        return status

    @contextmanager
    def write(self) -> Iterator[None]:
        """A small write outside `save`: inside an open batch it is committed with the batch; else at once."""
        if self.db.conn.in_transaction:
            yield
            return
        with self.db.conn:
            yield

    def commit(self) -> None:
        if self.db.conn.in_transaction:
            self.db.conn.commit()
        self._pending = 0
        self._last_commit = time.monotonic()

    def close(self) -> None:
        if not self.closed:
            self.commit()
            self.db.close()
            self.closed = True


_OPEN: dict[Path, Store] = {}


def store_path(settings: Mapping[str, Any] | Any) -> Path:
    """The database file, from the `CRAWLER_DB_PATH` setting (the CLI's `--db` sets it)."""
    return Path(settings.get("CRAWLER_DB_PATH") or DEFAULT_PATH).resolve()


def open_store(settings: Mapping[str, Any] | Any) -> Store:
    """The store for `settings`' database, opened once per process and shared by every component using it."""
    path = store_path(settings)
    store = _OPEN.get(path)
    if store is None or store.closed:
        store = _OPEN[path] = Store(path, clock_from(settings))
    return store


__all__ = ["COMMIT_SECONDS", "Store", "open_store", "store_path"]
