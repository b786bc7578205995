"""What every pipeline shares: its stats and settings, from the crawler or handed in by a `PipelineChain`."""

from __future__ import annotations

from typing import Any, Protocol

from scrapy.settings import BaseSettings

from crawler.stats import WARNINGS_PREFIX


class Stats(Protocol):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...
    def get_value(self, key: str, default: Any = None) -> Any: ...


class ItemPipeline:
    """Base for the project's pipelines: built by Scrapy (`from_crawler`) or by a `PipelineChain` (`build`);
    both go through `build`, where a pipeline that needs a resource (the store) opens it."""

    def __init__(self, stats: Stats, settings: BaseSettings) -> None:
        self.stats = stats
        self.settings = settings

    @classmethod
    def build(cls, stats: Stats, settings: BaseSettings) -> ItemPipeline:
        return cls(stats, settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ItemPipeline:
        return cls.build(crawler.stats, crawler.settings)

    def warn(self, reason: str) -> None:
        """A value this stage could not use was nulled or bounded; the article is kept and the run counts why."""
        self.stats.inc_value(WARNINGS_PREFIX + reason)


class CountingStats:
    """Stats for running pipelines outside a crawl (`crawler extract`, `crawler ingest`): plain counters."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)
