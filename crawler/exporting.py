"""JSON Lines export: UTF-8 with Vietnamese unescaped, one article per line, keys in item order.

Where the lines go is decided before anything is written (`export_target`):

- a regular file (or a new path) is written to a temporary file beside it and renamed into place, so a reader
  never sees half a file; a symbolic link to a regular file replaces the file it points to (and says so);
- `-` is standard output; a character device or FIFO (`/dev/stdout`, `/dev/null`, a named pipe) and anything
  under `/dev/` or `/proc/` is written through, never replaced by a regular file (and says so);
- the database being exported, any other SQLite file, its `-wal`/`-shm`/`-journal` side files, a directory,
  a block device, a socket or a dangling symbolic link are refused before anything is opened for writing.

Temporary files carry a lock while their export runs; an export killed mid-way leaves its temporary file
unlocked, and the next export into that directory removes it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Any, Literal

from crawler.store import Store
from crawler.store.database_file import SQLITE_HEADER

TEMP_SUFFIX = ".export-tmp"
_SIDE_FILES = ("-wal", "-shm", "-journal")
_WRITE_THROUGH_ROOTS = ("/dev/", "/proc/")


class ExportRefused(ValueError):
    """An export that must not run as asked: a target it would destroy, or flags it would misread."""


@dataclass(frozen=True)
class ExportTarget:
    """Where the lines go: `file` (atomic rename), `through` (opened and written as is) or `stdout`."""

    kind: Literal["file", "through", "stdout"]
    path: Path | None = None
    note: str | None = None  # what the user is told about the path (a symlink followed, a device written through)


def parse_since(value: str | None) -> str | None:
    """`--since` is a calendar date written YYYY-MM-DD; anything else is refused, never read as 'no filter'."""
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ExportRefused(f"--since {value!r} is not a date: write it as YYYY-MM-DD (e.g. 2024-10-01)")
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError as exc:
        raise ExportRefused(f"--since {value!r} is not a valid date ({exc})") from None


def check_filters(consumer: str | None, since: str | None, conferences_only: bool, conferences: bool) -> None:
    """Refuse flag combinations an export would otherwise ignore or misread."""
    if consumer is not None:
        given = [flag for flag, on in (("--since", since), ("--conferences-only", conferences_only),
                                        ("--conferences", conferences)) if on]
        if given:
            raise ExportRefused(
                f"--consumer exports every article changed since that consumer's last export and cannot be combined "
                f"with {', '.join(given)}"
            )
        if not consumer.strip():
            raise ExportRefused("--consumer needs a name")
    if conferences and conferences_only:
        raise ExportRefused("--conferences writes conference entities; --conferences-only filters articles: choose one")


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _database_files(db: Path) -> set[Path]:
    real = Path(os.path.realpath(db))
    return {real, *(real.with_name(real.name + side) for side in _SIDE_FILES)}


def export_target(output: str, db: Path) -> ExportTarget:
    """Decide, without writing anything, where `-o OUTPUT` sends the lines (see the module docstring)."""
    if output == "-":
        return ExportTarget("stdout")
    path = Path(output)
    protected = _database_files(db)
    try:
        info = path.stat()  # follows symbolic links
    except FileNotFoundError:
        if path.is_symlink():
            raise ExportRefused(f"{output} is a symbolic link to nothing ({os.readlink(path)}); not following it") from None
        if Path(os.path.realpath(path)) in protected:
            raise ExportRefused(f"{output} is a file of the database {db}; refusing to write over it")
        return ExportTarget("file", path)
    except OSError as exc:
        raise ExportRefused(f"cannot use {output}: {exc.strerror or exc}") from None
    real = Path(os.path.realpath(path))
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise ExportRefused(f"{output} is a directory; give a file name")
    if stat.S_ISREG(mode):
        if real in protected or (db.exists() and os.path.samefile(real, db)):
            raise ExportRefused(f"{output} is the database being exported ({db}); refusing to write over it")
        if _is_sqlite(real):
            raise ExportRefused(f"{output} is an SQLite database; refusing to write over it")
        if str(path.absolute()).startswith(_WRITE_THROUGH_ROOTS):
            return ExportTarget("through", path, f"{output} leads to the file {real}; writing through it")
        if real != Path(os.path.abspath(path)):
            return ExportTarget("file", real, f"{output} is a symbolic link; replacing the file it points to, {real}")
        return ExportTarget("file", path)
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        kind = "character device" if stat.S_ISCHR(mode) else "named pipe (FIFO)"
        return ExportTarget("through", path, f"{output} is a {kind}; writing through to it, not replacing it")
    kind = "block device" if stat.S_ISBLK(mode) else "socket" if stat.S_ISSOCK(mode) else "special file"
    raise ExportRefused(f"{output} is a {kind}; refusing to write an export there")


def remove_stale_temp_files(directory: Path) -> int:
    """Delete temporary files of exports into `directory` that no running export holds (killed ones)."""
    removed = 0
    try:
        candidates = [p for p in directory.iterdir() if p.name.startswith(".") and p.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return 0
    for candidate in candidates:
        try:
            fd = os.open(candidate, os.O_RDWR | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue  # a running export holds it
        try:
            if os.fstat(fd).st_ino == os.stat(candidate, follow_symlinks=False).st_ino:
                candidate.unlink()
                removed += 1
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def _locked_temp_file(output: Path) -> tuple[int, str]:
    """A new temporary file beside `output`, locked for as long as this process lives."""
    while True:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=TEMP_SUFFIX, dir=output.parent)
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_nlink:  # not removed as stale between its creation and the lock
            return fd, tmp
        os.close(fd)


def _write_lines(handle: IO[bytes], records: Iterable[dict[str, Any] | str]) -> int:
    count = 0
    for record in records:
        line = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
        handle.write(line.encode("utf-8") + b"\n")
        count += 1
    handle.flush()
    return count


def _write_atomically(output: Path, records: Iterable[dict[str, Any] | str]) -> int:
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(output.parent)
    fd, tmp = _locked_temp_file(output)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes the file private; an export is for other readers
    try:
        with os.fdopen(fd, "wb") as handle:
            count = _write_lines(handle, records)
            os.fsync(handle.fileno())
            os.replace(tmp, output)  # still under the lock: the temporary name is never unlocked while it exists
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def write_export(target: ExportTarget, records: Iterable[dict[str, Any] | str]) -> int:
    if target.kind == "stdout":
        return _write_lines(sys.stdout.buffer, records)
    assert target.path is not None
    if target.kind == "through":
        with target.path.open("ab") as handle:  # append: a device or pipe does not care, a shell's `>>` file does
            return _write_lines(handle, records)
    return _write_atomically(target.path, records)


def export_for_consumer(db: Path, target: ExportTarget, consumer: str) -> tuple[int, int, int]:
    """Write what changed since `consumer`'s watermark; move the watermark only once the lines are written.

    Returns (records written, previous watermark, new watermark). A crash or a write error before the end
    leaves the watermark where it was, so the next export repeats rather than loses those changes.
    """
    store = Store(db)
    try:
        since, newest = store.watermarks.get(consumer), store.articles.newest_change()
        count = write_export(target, store.articles.changed_lines(since, newest))
        store.watermarks.set(consumer, newest, count, datetime.now(timezone.utc).isoformat(timespec="seconds"))
        return count, since, newest
    finally:
        store.close()


def export_jsonl(
    db: Path, target: ExportTarget, since: str | None = None, conferences_only: bool = False, conferences: bool = False
) -> int:
    """Write articles (or, with `conferences`, conference entities with their source articles) as JSON Lines."""
    store = Store(db)
    records: Iterator[dict[str, Any]] | Iterator[str]
    if conferences:
        records = store.conferences.held_since(since)
    else:
        records = store.articles.iter_record_lines(since, conferences_only)
    try:
        return write_export(target, records)
    finally:
        store.close()
