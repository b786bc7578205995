"""The SQLite store, and its one owner per database file per process: `open_store(settings)`.

Components that need the store open it in `from_crawler` (`open_store(crawler.settings)`); several spiders in
one process share its connection. The path comes from the `CRAWLER_DB_PATH` setting only.

WAL mode lets exports read while a crawl writes. Each article is one savepoint (all of its rows or none);
commits are batched in a crawl (`CRAWLER_COMMIT_EVERY` articles or `COMMIT_SECONDS`, and at `commit()`),
so whatever was committed survives a kill and an uncommitted article is simply fetched again by the next run.
State, run and watermark writes join an open batch instead of committing it early. Writes take the lock with
BEGIN IMMEDIATE under a busy timeout and are retried when still locked, so two crawls share one database; a
failed commit is rolled back and raised as StoreWriteFailed ('disk_full' / 'db_error'), and commit listeners
let the crawl count an article as stored only after its commit. A file that is not SQLite is refused before
SQLite opens it (`crawler/store/database_file.py`).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any, NoReturn

from crawler.store.sqlite_lib import sqlite_utils
from crawler.clock import Clock, clock_from, utc_now
from crawler.items import ArticleItem
from crawler.store.articles import Articles
from crawler.store.conferences import Conferences
from crawler.store.database_file import check_database_file
from crawler.store.migration_lock import migrating
from crawler.store.schema import migrate, up_to_date
from crawler.store.state import CrawlState, RunLog, Watermarks
from crawler.store.writes import StoreWriteFailed, failure_reason, is_write_failure, retry_locked

#: Longest time a batched commit waits (see `Store.save`).
COMMIT_SECONDS = 1.0
DEFAULT_PATH = "output/crawl.db"


#: Database files this process has opened with SQLite: their header was checked at the first open.
_CONNECTED: set[Path] = set()


def connect(path: Path) -> sqlite_utils.Database:
    """Open the database file as every store uses it: WAL, a busy timeout, synchronous=NORMAL.

    The file's header is read (never let SQLite open, and change, a file that is not a database) only the first
    time this process opens it: reading it with a plain open() and close() while a connection of this process
    has it open would drop that connection's POSIX locks (closing any descriptor of a file releases all of a
    process's locks on it), and another process could then reset the WAL index under that connection's feet
    ("database disk image is malformed")."""
    resolved = path.resolve()
    if resolved not in _CONNECTED:
        check_database_file(path)
        _CONNECTED.add(resolved)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA busy_timeout = 10000")
    if db.journal_mode != "wal":  # a new database (WAL then stays): SQLite does not wait out a lock for this switch
        with migrating(path):
            db.enable_wal()
    # In WAL mode NORMAL loses nothing when the process is killed (only an OS crash or power cut can cost
    # the last commits), and it spares an fsync per article: a per-item commit stays affordable.
    db.execute("PRAGMA synchronous = NORMAL")
    return db


class Store:
    def __init__(self, path: str | Path, clock: Clock = utc_now) -> None:
        self.path = Path(path)
        self.db = connect(self.path)
        self.closed = False
        self._pending = 0
        self._last_commit = time.monotonic()
        self._listeners: list[Callable[[str | None], None]] = []
        # A database that needs migrating is migrated by one process at a time (see migration_lock.py).
        with nullcontext() if up_to_date(self.db) else migrating(self.path):
            migrate(self.db, self.path)
        self.articles = Articles(self.db)
        self.conferences = Conferences(self.db, clock)
        self.state = CrawlState(self.db, self.write)
        self.runs = RunLog(self.db, self.write)
        self.watermarks = Watermarks(self.db, self.write)

    def save(
        self, item: ArticleItem, copy_of: str | None = None, minhash: bytes | None = None, commit_every: int = 1,
        on_saved: Callable[[str], None] | None = None,
    ) -> str:
        """Store one article and, as an explicit second step, its conference grouping: all or nothing.

        With `commit_every` > 1 (a crawl), commits are batched. `on_saved(status)` is called once the article
        is in the open batch, before the commit that may follow (listeners count it when that commit succeeds).
        A write that finds the database locked is retried (`retry_locked`). Returns 'new', 'updated' or
        'unchanged'.
        """
        try:
            status = retry_locked(lambda: self._save_in_batch(item, copy_of, minhash))
        except sqlite3.Error as exc:
            if not is_write_failure(exc):
                raise
            self._fail_batch(exc)
        if on_saved is not None:
            on_saved(status)
        self._pending += 1
        if self._pending >= commit_every or time.monotonic() - self._last_commit >= COMMIT_SECONDS:
            self.commit()
        return status

    def _begin(self) -> None:
        """Open the batch, taking the write lock at once (BEGIN IMMEDIATE): waiting for another writer then goes
        through the busy timeout, instead of failing later when a read would have to become a write."""
        if not self.db.conn.in_transaction:
            self.db.conn.execute("BEGIN IMMEDIATE")

    def _save_in_batch(self, item: ArticleItem, copy_of: str | None, minhash: bytes | None) -> str:
        conn = self.db.conn
        self._begin()
        conn.execute("SAVEPOINT article")
        try:
            status, conference_changed = self.articles.save(item, copy_of, minhash)
            if conference_changed:
                self.conferences.assign(item.url, item.conference or {}, item.published_at, new=status == "new")
            conn.execute("RELEASE article")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO article")
                conn.execute("RELEASE article")
            raise
        return status

    @contextmanager
    def write(self) -> Iterator[None]:
        """A small write outside `save`: inside an open batch it is committed with the batch; else at once."""
        if self.db.conn.in_transaction:
            yield
            return
        retry_locked(self._begin)
        try:
            yield
        except BaseException:
            self.db.conn.rollback()
            raise
        self.commit()

    def add_commit_listener(self, listener: Callable[[str | None], None]) -> None:
        """`listener(None)` after every commit, `listener(reason)` after a commit that failed ('disk_full' or
        'db_error'; the batch is rolled back): counting what is stored waits for the commit."""
        self._listeners.append(listener)

    def commit_if_due(self) -> None:
        """Commit an open batch older than COMMIT_SECONDS: called on a timer in a crawl, so a crawl waiting on a
        slow page does not hold the write lock (another crawl of the same database waits at most that long)."""
        if self.db.conn.in_transaction and time.monotonic() - self._last_commit >= COMMIT_SECONDS:
            self.commit()

    def commit(self) -> None:
        """Commit the open batch. A failed commit rolls the batch back, tells the listeners why and raises
        StoreWriteFailed: nothing of that batch is stored, and the next run fetches it again."""
        conn = self.db.conn
        if conn.in_transaction:
            try:
                conn.commit()
            except sqlite3.Error as exc:
                self._fail_batch(exc)
        for listener in self._listeners:
            listener(None)
        self._pending = 0
        self._last_commit = time.monotonic()

    def _fail_batch(self, exc: sqlite3.Error) -> NoReturn:
        """Roll the open batch back, tell the listeners why, raise StoreWriteFailed."""
        with suppress(sqlite3.Error):
            self.db.conn.rollback()
        self._pending = 0
        reason = failure_reason(exc)
        for listener in self._listeners:
            listener(reason)
        raise StoreWriteFailed(reason, str(exc)) from exc

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


__all__ = ["COMMIT_SECONDS", "Store", "StoreWriteFailed", "open_store", "store_path"]
