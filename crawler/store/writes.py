"""How the store's writes fail and wait: a commit that fails is named ('disk_full' or 'db_error', the reasons
in `crawler.stats.WRITE_FAILURE_REASONS`) and raised as StoreWriteFailed; a write that finds the database locked
by another process, even after SQLite's busy timeout, is tried again a few times."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: How often a write that found the database locked (after the busy timeout) is tried again.
LOCKED_RETRIES = 3


class StoreWriteFailed(RuntimeError):
    """A commit failed: `reason` is 'disk_full' or 'db_error'; the batch it would have stored is rolled back."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def failure_reason(exc: sqlite3.Error) -> str:
    """'disk_full' for SQLITE_FULL (and the OS saying so), else 'db_error'."""
    code = getattr(exc, "sqlite_errorcode", None)
    if (code is not None and code & 0xFF == sqlite3.SQLITE_FULL) or "disk is full" in str(exc) or "No space left" in str(exc):
        return "disk_full"
    return "db_error"


#: SQLite result codes that mean the database could not take the write (not a bug in the statement).
_WRITE_FAILURE_CODES = {
    getattr(sqlite3, name) for name in ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CORRUPT", "SQLITE_READONLY", "SQLITE_CANTOPEN")
    if hasattr(sqlite3, name)
}


def is_write_failure(exc: sqlite3.Error) -> bool:
    """A full disk, an I/O error, a corrupt or read-only file: the batch cannot be stored."""
    code = getattr(exc, "sqlite_errorcode", None)
    return (code is not None and (code & 0xFF) in _WRITE_FAILURE_CODES) or failure_reason(exc) == "disk_full"


def is_locked(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def retry_locked(write: Callable[[], T]) -> T:
    """Run `write`; when it finds the database locked even after the busy timeout, try again a few times."""
    for attempt in range(LOCKED_RETRIES):
        try:
            return write()
        except sqlite3.OperationalError as exc:
            if not is_locked(exc):
                raise
            logger.warning("the database is locked by another writer; trying again (%s)", exc)
            time.sleep(0.5 * (attempt + 1))
    return write()
