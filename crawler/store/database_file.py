"""Is this file a database the store can use? Checked before SQLite opens it, so a wrong `--db` gives one clear
line (exit 2 from the CLI) instead of a traceback, and a file that is not SQLite is never written to."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseUnusable(ValueError):
    """`--db` names something the store cannot use: not an SQLite file, a directory, or a corrupt database."""


def check_database_file(path: Path) -> None:
    """Raise DatabaseUnusable unless `path` is absent, empty (SQLite makes it a database) or starts as SQLite."""
    if path.is_dir():
        raise DatabaseUnusable(f"{path} is a directory, not an SQLite database")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DatabaseUnusable(f"cannot read {path}: {exc.strerror or exc}") from None
    if header and header != SQLITE_HEADER:
        raise DatabaseUnusable(f"{path} is not an SQLite database (refusing to use or change it)")


def explain(path: Path | str, exc: sqlite3.DatabaseError) -> str:
    """One line for an SQLite error met while opening or reading `path`."""
    text = str(exc)
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return f"{path} is a corrupt SQLite database ({text}); restore it from a backup or point --db elsewhere"
    return f"cannot use the database {path}: {text}"
