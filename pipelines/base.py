"""What every pipeline shares: its stats and settings, from the crawler or handed in by `crawler extract`."""

from __future__ import annotations

from typing import Any, Protocol

from scrapy.settings import BaseSettings


class Stats(Protocol):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...
    def get_value(self, key: str, default: Any = None) -> Any: ...


class ItemPipeline:
    """Base for the project's pipelines: built from a crawler, or directly with any stats object."""

    def __init__(self, stats: Stats, settings: BaseSettings) -> None:
        self.stats = stats
        self.settings = settings

    @classmethod
    def from_crawler(cls, crawler: Any) -> ItemPipeline:
        return cls(crawler.stats, crawler.settings)

    def warn(self, reason: str) -> None:
        """A value this stage could not use was nulled or bounded; the article is kept and the run counts why."""
        self.stats.inc_value(f"warnings/{reason}")


class CountingStats:
    """Stats for running pipelines outside a crawl (`crawler extract`): plain counters."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)
