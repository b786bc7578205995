"""Dedup: one item per canonical URL per run, and syndicated copies (same text, other URL) linked.

Across runs the store's primary key (the canonical URL) keeps one row per article; within a run a page reached
twice under two links that canonicalise alike is dropped here and counted. A copy of an already stored text
on another URL (the same text, or a near-duplicate by MinHash) is kept as its own row (its site, date and
views are facts too) and linked by `duplicate_of`.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.neardup import signature, to_bytes
from pipelines.base import ItemPipeline
from pipelines.store import shared_store


class DedupPipeline(ItemPipeline):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: set[str] = set()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter["url"]
        if url in self.seen:
            self.stats.inc_value("dedup/dropped/same_url_in_run")
            raise DropItem(f"already processed in this run: {url}")
        self.seen.add(url)
        store = shared_store(self.settings)
        minhash = to_bytes(signature(adapter.get("body") or ""))
        adapter["minhash"] = minhash
        copy_of = store.find_by_hash(adapter.get("content_hash") or "", url)
        if copy_of is None:
            match = store.find_near_duplicate(minhash, exclude=url)
            copy_of = match[0] if match else None
            if match:
                self.stats.inc_value("dedup/near_duplicates")
        adapter["copy_of"] = copy_of
        if copy_of:
            self.stats.inc_value("dedup/syndicated_copies")
            self.stats.inc_value(f"dedup/syndicated_copies/{adapter['site']}")
        return item
