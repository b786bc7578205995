"""The crawl's item pipelines run outside Scrapy, for `crawler extract`: same classes, same order, no storage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from pipelines.base import CountingStats


@dataclass
class PipelineChain:
    pipelines: list[Any]
    stats: CountingStats

    def process(self, item: Any) -> Any:
        for pipeline in self.pipelines:
            item = pipeline.process_item(item)
        return item


def extract_chain(settings: BaseSettings) -> PipelineChain:
    """Every pipeline in ITEM_PIPELINES order except those that touch the store (STORAGE_PIPELINES)."""
    configured = settings.getdict("ITEM_PIPELINES")
    skip = set(settings.getlist("STORAGE_PIPELINES"))
    stats = CountingStats()
    paths = [p for p, _ in sorted(configured.items(), key=lambda kv: kv[1]) if p not in skip]
    return PipelineChain([load_object(p)(stats, settings) for p in paths], stats)
