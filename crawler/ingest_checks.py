"""What `crawler ingest` accepts from Redis: an item a crawl of that site could have produced.

Items in `<site>:items` come from workers, but Redis is writable by anything that reaches it (another version,
a script, a mistake). Before an item goes to the storage pipelines it must be a JSON object with the item's
field types (`bad_field_types`), belong to the queue's site (`wrong_site`: an item for another site, or a
`site` such as "../../etc"), and pass the crawl's own validation (`pipelines/validate.py`: `bad_url` for a
`javascript:` URL, `no_title`, `no_body`, ...). A rejected item is counted with its reason and parked in
`<site>:items:rejected`, never stored and never lost.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from crawler.items import ArticleItem

#: The JSON type each stored field must have (None is allowed where the item allows it).
_STRINGS = ("url", "site")
_OPTIONAL_STRINGS = (
    "title", "summary", "body", "author", "category", "published_at", "published_at_source", "published_at_text",
    "view_count_text", "source_url", "crawled_at", "content_hash", "extraction", "duplicate_of",
)


def _is_list_of(value: Any, kind: type | tuple[type, ...]) -> bool:
    return isinstance(value, list) and all(isinstance(v, kind) for v in value)


def shape_problem(data: Any) -> str | None:
    """None when `data` has the field types of an ArticleItem as a worker sends it, else a reason."""
    if not isinstance(data, dict):
        return "malformed"
    known = {f.name for f in fields(ArticleItem)}
    if any(name not in known for name in data):
        return "bad_field_types"
    if not all(isinstance(data.get(name), str) for name in _STRINGS):
        return "bad_field_types"
    if not all(data.get(name) is None or isinstance(data[name], str) for name in _OPTIONAL_STRINGS):
        return "bad_field_types"
    view_count = data.get("view_count")
    if view_count is not None and (isinstance(view_count, bool) or not isinstance(view_count, int)):
        return "bad_field_types"
    if "images" in data and not _is_list_of(data["images"], dict):
        return "bad_field_types"
    if "tags" in data and not _is_list_of(data["tags"], str):
        return "bad_field_types"
    if data.get("conference") is not None and not isinstance(data["conference"], dict):
        return "bad_field_types"
    return None


def rejection(raw: str, site: str) -> str | None:
    """Why the raw queue entry `raw` from `<site>:items` cannot be an item of `site` (before the crawl's own
    validation, which the caller runs next), or None."""
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return "malformed"
    problem = shape_problem(data)
    if problem:
        return problem
    if data["site"] != site:
        return "wrong_site"
    return None
