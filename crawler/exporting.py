"""JSON Lines export: UTF-8 with Vietnamese unescaped, one article per line, keys in item order.

Written to a temporary file beside the target and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from crawler.store import Store


def _write_atomically(output: Path, records: Iterable[dict[str, Any] | str]) -> int:
    output.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes the file private; an export is for other readers
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write((record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)) + "\n")
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def export_for_consumer(db: Path, output: Path, consumer: str) -> tuple[int, int, int]:
    """Write what changed since `consumer`'s watermark; move the watermark only once the file is in place.

    Returns (records written, previous watermark, new watermark). A crash before the rename leaves the
    watermark where it was, so the next export repeats rather than loses those changes.
    """
    store = Store(db)
    try:
        since, newest = store.watermarks.get(consumer), store.articles.newest_change()
        count = _write_atomically(output, store.articles.changed_lines(since, newest))
        store.watermarks.set(consumer, newest, count, datetime.now(timezone.utc).isoformat(timespec="seconds"))
        return count, since, newest
    finally:
        store.close()


def export_jsonl(
    db: Path, output: Path, since: str | None = None, conferences_only: bool = False, conferences: bool = False
) -> int:
    """Write articles (or, with `conferences`, conference entities with their source articles) as JSON Lines."""
    store = Store(db)
    if conferences:
        records: Iterable[dict[str, Any] | str] = iter(store.conferences)
    else:
        records = store.articles.iter_record_lines(since, conferences_only)
    try:
        return _write_atomically(output, records)
    finally:
        store.close()
