"""Moved to `crawler.store` (open_store, Store; schema, articles, conferences, state). This thin re-export keeps
older imports working; new code imports from `crawler.store`."""

from __future__ import annotations

from crawler.store import Store, open_store
from crawler.store.articles import item_to_row
from crawler.store.schema import MIGRATIONS

__all__ = ["MIGRATIONS", "Store", "item_to_row", "open_store"]
