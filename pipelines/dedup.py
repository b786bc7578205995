"""Dedup: one item per canonical URL per run, and syndicated copies (same text, other URL) linked.

Across runs the store's primary key (the canonical URL) keeps one row per article; within a run a page reached
twice under two links that canonicalise alike is dropped here and counted. A copy of an already stored text
on another URL (the same text, or a near-duplicate by MinHash) is kept as its own row (its site, date and
views are facts too) and linked by `duplicate_of`.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings

from crawler.items import ArticleItem
from crawler.neardup import signature, to_bytes
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

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if item.url in self.seen:
            self.stats.inc_value("dedup/dropped/same_url_in_run")
            raise DropItem(f"already processed in this run: {item.url}")
        self.seen.add(item.url)
        articles = self.store.articles
        minhash = signature(item.body or "")
        item.minhash = to_bytes(minhash)
        item.copy_of = articles.find_by_hash(item.content_hash or "", item.url)
        if item.copy_of is None:
            match = articles.find_near_duplicate(item.minhash, exclude=item.url)
            item.copy_of = match[0] if match else None
            if match:
                self.stats.inc_value("dedup/near_duplicates")
        if item.copy_of:
            self.stats.inc_value("dedup/syndicated_copies")
            self.stats.inc_value(f"dedup/syndicated_copies/{item.site}")
        return item
