"""The crawl's item pipelines run outside Scrapy, in `ITEM_PIPELINES` order, by one runner:

- `crawler extract`, the fixture tests and the benches run every pipeline except the storage ones
  (`extract_chain`), after `read_page` (`item_for_page` is that whole composition);
- `crawler ingest` runs the storage ones (`storage_chain`) on the items distributed workers produced with the
  rest, so a distributed crawl stores exactly what a one-process crawl stores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scrapy.http import TextResponse
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from crawler.extraction import Skipped, read_page
from crawler.items import ArticleItem
from crawler.sites import SiteDefinition
from pipelines.base import CountingStats


@dataclass
class PipelineChain:
    pipelines: list[Any]
    stats: CountingStats

    def open(self) -> None:
        for pipeline in self.pipelines:
            if hasattr(pipeline, "open_spider"):
                pipeline.open_spider()

    def close(self) -> None:
        for pipeline in self.pipelines:
            if hasattr(pipeline, "close_spider"):
                pipeline.close_spider()

    def process(self, item: Any) -> Any:
        for pipeline in self.pipelines:
            item = pipeline.process_item(item)
        return item


def _chain(settings: BaseSettings, keep: Any) -> PipelineChain:
    configured = settings.getdict("ITEM_PIPELINES")
    stats = CountingStats()
    paths = [p for p, order in sorted(configured.items(), key=lambda kv: kv[1]) if order is not None and keep(p)]
    return PipelineChain([load_object(p).build(stats, settings) for p in paths], stats)


def extract_chain(settings: BaseSettings) -> PipelineChain:
    """Every pipeline in ITEM_PIPELINES order except those that touch the store (STORAGE_PIPELINES)."""
    storage = set(settings.getlist("STORAGE_PIPELINES"))
    return _chain(settings, lambda path: path not in storage)


def storage_chain(settings: BaseSettings, paths: Iterable[str] | None = None) -> PipelineChain:
    """The storage pipelines (STORAGE_PIPELINES) in ITEM_PIPELINES order, on the store `settings` name."""
    storage = set(paths if paths is not None else settings.getlist("STORAGE_PIPELINES"))
    return _chain(settings, lambda path: path in storage)


def item_for_page(
    response: TextResponse,
    site: SiteDefinition | None,
    fetched_at: datetime,
    settings: BaseSettings,
    site_name: str | None = None,
    chain: PipelineChain | None = None,
) -> ArticleItem | Skipped:
    """`read_page` then the extract chain (`chain`, built from `settings` when not given): the item a crawl
    would hand to storage for this page. Raises DropItem when validation drops it."""
    result = read_page(response, site, fetched_at, site_name)
    if isinstance(result, Skipped):
        return result
    return (chain or extract_chain(settings)).process(result)
