"""The crawl's item pipelines run outside Scrapy, in `ITEM_PIPELINES` order, by one runner:

- `crawler extract`, the fixture tests and the benches run every pipeline except the storage ones
  (`extract_chain`), after `read_page` (`item_for_page` is that whole composition);
- the item worker (crawler/item_worker/) runs the whole chain as a crawl would (`crawl_chain`);
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
from pipelines.read import ReadPagePipeline


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

    def register_site(self, site: SiteDefinition | None) -> None:
        """Tell the reading stage which definition the crawler's spider was made from (a code spider's own wins
        over the registry's), as its `spider_opened` does in a Scrapy crawl."""
        for pipeline in self.pipelines:
            if isinstance(pipeline, ReadPagePipeline):
                pipeline.register(site)

    def process(self, item: Any, start: int = 0) -> Any:
        """`item` through the stages from index `start` on (the earlier ones already ran elsewhere)."""
        for pipeline in self.pipelines[start:]:
            item = pipeline.process_item(item)
        return item


def _chain_paths(settings: BaseSettings) -> list[str]:
    """The chain's enabled stages, in order (`CRAWLER_ITEM_CHAIN`, or `ITEM_PIPELINES` in a bare settings object)."""
    configured = settings.getdict("CRAWLER_ITEM_CHAIN") or settings.getdict("ITEM_PIPELINES")
    enabled = [(path, order) for path, order in configured.items() if order is not None]
    return [path for path, _ in sorted(enabled, key=lambda kv: kv[1])]


def _chain(settings: BaseSettings, keep: Any, stats: Any = None, in_crawl: bool = False) -> PipelineChain:
    stats = stats if stats is not None else CountingStats()
    paths = [p for p in _chain_paths(settings) if keep(p)]
    return PipelineChain([_build(load_object(p), stats, settings, in_crawl) for p in paths], stats)


def _build(cls: Any, stats: CountingStats, settings: BaseSettings, in_crawl: bool) -> Any:
    """A pipeline as `crawler extract` / `crawler ingest` build it, or (`in_crawl`) as a crawl does (the store
    then batches its commits)."""
    return cls.build_in_crawl(stats, settings) if in_crawl and hasattr(cls, "build_in_crawl") else cls.build(stats, settings)


def extract_chain(settings: BaseSettings, stats: Any = None) -> PipelineChain:
    """Every pipeline in ITEM_PIPELINES order except those that touch the store (STORAGE_PIPELINES)."""
    storage = set(settings.getlist("STORAGE_PIPELINES"))
    return _chain(settings, lambda path: path not in storage, stats)


def storage_starts_at(settings: BaseSettings) -> int | None:
    """The index of the first storage stage in the whole chain when the storage stages are its tail (the
    stages before it can then run anywhere, the storage ones where the store is), else None."""
    paths = _chain_paths(settings)
    storage = set(settings.getlist("STORAGE_PIPELINES"))
    first = next((n for n, path in enumerate(paths) if path in storage), len(paths))
    return first if all(path in storage for path in paths[first:]) else None


def storage_chain(settings: BaseSettings, paths: Iterable[str] | None = None) -> PipelineChain:
    """The storage pipelines (STORAGE_PIPELINES) in ITEM_PIPELINES order, on the store `settings` name."""
    storage = set(paths if paths is not None else settings.getlist("STORAGE_PIPELINES"))
    return _chain(settings, lambda path: path in storage)


def crawl_chain(settings: BaseSettings, stats: CountingStats) -> PipelineChain:
    """The whole chain, as a crawl runs it (the item worker's): read, check, store with batched commits."""
    return _chain(settings, lambda path: True, stats, in_crawl=True)


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
