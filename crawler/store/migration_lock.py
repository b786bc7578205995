"""One process at a time sets a database up: switches a new one to WAL, or migrates its schema.

SQLite answers "database is locked" at once, without waiting out its busy timeout, to a process switching a new
database to WAL while another process is doing the same. And a migration is not one SQLite transaction:
sqlite-utils creates the full-text index with `executescript`, which commits whatever is open first. So two
processes opening a new (or older) database at the same moment (a crawl and its item worker, a crawl and a
reader, two crawls) could fail on the WAL switch, or each find a migration unapplied, interleave, and fail on
the other's half ("table articles_fts already exists", "duplicate column name"). An exclusive `flock` on the
database's directory serialises them; the second process then finds WAL on and every migration applied. The
lock is on the directory, not on the database file: opening and closing another descriptor of the database
file would drop this process's SQLite locks on it (POSIX locks belong to the process and file), and a
directory lock leaves no file behind. The kernel releases it if the process dies.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def migrating(database: Path) -> Iterator[None]:
    """Hold the set-up lock of `database` (an exclusive lock on its directory) for the block."""
    fd = os.open(database.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock
