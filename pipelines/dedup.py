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
from scrapy.settings import BaseSettings

from crawler.neardup import MAX_SHINGLE_CHARS, text_signature
from crawler.store import Store, open_store
from pipelines.base import ItemPipeline, Stats


class DedupPipeline(ItemPipeline):
    def __init__(self, stats: Stats, settings: BaseSettings, store: Store) -> None:
        super().__init__(stats, settings)
        self.store = store
        self.seen: set[str] = set()

    @classmethod
    def build(cls, stats: Stats, settings: BaseSettings) -> DedupPipeline:
        return cls(stats, settings, open_store(settings))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter["url"]
        if url in self.seen:
            self.stats.inc_value("dedup/dropped/same_url_in_run")
            raise DropItem(f"already processed in this run: {url}")
        self.seen.add(url)
        articles = self.store.articles
        body = adapter.get("body") or ""
        copy_of, stored = articles.same_text(adapter.get("content_hash") or "", url)
        # A text already stored (unchanged, or an exact copy) has the same shingles, so the same signature (a text
        # longer than the signature's bound is signed on its start, which equal hashes do not promise to share).
        minhash = (stored if len(body) <= MAX_SHINGLE_CHARS else None) or text_signature(body)
        adapter["minhash"] = minhash
        if copy_of is None:
            match = articles.find_near_duplicate(minhash, exclude=url)
            copy_of = match[0] if match else None
            if match:
                self.stats.inc_value("dedup/near_duplicates")
        adapter["copy_of"] = copy_of
        if copy_of:
            self.stats.inc_value("dedup/syndicated_copies")
            self.stats.inc_value(f"dedup/syndicated_copies/{adapter['site']}")
        return item
