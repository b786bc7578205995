"""A settings module for tests/test_item_worker.py (`SCRAPY_SETTINGS_MODULE=tests.item_worker_faults`): the
project's settings with one more storage stage, whose resource cannot be opened (it stands for any chain the
item worker fails to open, such as a database it cannot write)."""

from __future__ import annotations

from typing import Any

from crawler.settings import *  # noqa: F403
from crawler.settings import CRAWLER_ITEM_CHAIN, STORAGE_PIPELINES


class UnopenableStage:
    @classmethod
    def build(cls, stats: Any, settings: Any) -> UnopenableStage:
        return cls()

    def open_spider(self) -> None:
        raise OSError("the stage's resource cannot be opened")

    def process_item(self, item: Any) -> Any:
        return item


CRAWLER_ITEM_CHAIN = {**CRAWLER_ITEM_CHAIN, "tests.item_worker_faults.UnopenableStage": 650}
STORAGE_PIPELINES = (*STORAGE_PIPELINES, "tests.item_worker_faults.UnopenableStage")
