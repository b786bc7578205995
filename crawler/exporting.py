"""JSON Lines export: UTF-8 with Vietnamese unescaped, one article per line, keys in item order.

Written to a temporary file beside the target and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from crawler.storage import Store


def export_jsonl(
    db: Path, output: Path, since: str | None = None, conferences_only: bool = False, conferences: bool = False
) -> int:
    """Write articles (or, with `conferences`, conference entities with their source articles) as JSON Lines."""
    store = Store(db)
    if conferences:
        records: Iterable[dict[str, Any]] = store.iter_conferences()
    else:
        records = store.iter_records(since=since, conferences_only=conferences_only)
    output.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes the file private; an export is for other readers
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        store.close()
    return count
