"""Item worker: the crawl's one Scrapy pipeline when the item chain runs in the item worker process
(`CRAWLER_ITEM_WORKER=process`, the default; crawler/item_worker/). Each fetched page goes to the worker, and
what comes back is what the chain would have produced here: the finished item (returned, so `item_scraped`
and feed exports see it), a drop (raised again with its reason and log level), or a stage's error (raised,
so Scrapy counts and logs it like an error of an inline pipeline). The stats the stages counted and the
records they logged are applied to this crawler's stats and logs as they arrive.

Work sharing (`CRAWLER_ITEM_WORKER_SHARE=1`, off by default: it has not paid on the throughput bench): when
the worker's queue is full (it is the slower of the two processes), this process runs the
stages before storage itself (read, normalise, dates, views, conference facts, validate: pure functions of the
page and its fetch time) and sends the worker the item, which it takes from the first storage stage on. The
reactor's core then does what it would otherwise spend waiting, and the two cores stay busy; what is stored
does not change (the same stages run on the same page, once), and the stages' counts go to the same stats.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future

from crawler.item_worker.client import ItemWorker, ItemWorkerFailed, release_worker, shared_worker, shippable_settings
from crawler.items import FetchedPage
from crawler.pipeline_chain import PipelineChain, extract_chain, storage_starts_at
from crawler.stats import ITEM_ERRORS

logger = logging.getLogger(__name__)


class ItemStageError(Exception):
    """A stage raised in the worker; the message is its traceback there."""


def named_like(base: type[Exception], type_name: str) -> type[Exception]:
    """The worker's exception class again, by its name, under `base` (the crawl counts drops and errors by the
    class name)."""
    return base if base.__name__ == type_name else type(type_name, (base,), {})


class ItemWorkerPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.settings = shippable_settings(crawler.settings)
        self.worker: ItemWorker | None = None
        self.failed: str | None = None
        #: The stages this process may run when the worker is behind, and where the worker then starts.
        self.local: PipelineChain | None = None
        self.storage_start = storage_starts_at(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ItemWorkerPipeline:
        return cls(crawler)

    @property
    def key(self) -> int:
        return id(self)

    def open_spider(self) -> None:
        self.worker = shared_worker(self.crawler.settings)
        site = getattr(self.crawler.spider, "site", None)
        self.worker.open_chain(self.key, self.settings, site, self)
        if self.storage_start and self.crawler.settings.getbool("CRAWLER_ITEM_WORKER_SHARE", False):
            self.local = extract_chain(self.crawler.settings, self.crawler.stats)
            self.local.register_site(site)

    async def process_item(self, item: Any) -> Any:
        if self.worker is None or self.failed:
            raise ItemWorkerFailed(f"the item worker has stopped ({self.failed})")
        start = 0
        if self.local is not None and self.worker.full and isinstance(item, FetchedPage):
            self.stats.inc_value("item_worker/read_here")
            item = self.local.process(item)  # a drop raises here, as it would in the worker
            start = self.storage_start or 0
        outcome, value = await self.worker.run(self.key, item, start)
        if outcome == "item":
            return value
        if outcome == "drop":
            message, level, type_name = value
            raise named_like(DropItem, type_name)(message, log_level=level)
        type_name, text = value
        raise named_like(ItemStageError, type_name)(text)

    async def close_spider(self) -> None:
        if self.worker is not None:
            await maybe_deferred_to_future(self.worker.close_chain(self.key))
            exited = release_worker(self.worker)
            if exited is not None:
                await maybe_deferred_to_future(exited)

    # -- what the worker reports ------------------------------------------------------------------------------

    def apply(self, changes: list[tuple[str, str, Any]]) -> None:
        for operation, key, value in changes:
            if operation == "inc":
                self.stats.inc_value(key, value)
            else:
                self.stats.set_value(key, value)

    def worker_failed(self, how: str) -> None:
        """The worker died or could not open the database: nothing more can be stored, so the crawl stops
        (`item_worker_failed`); its site stays marked incomplete, and the next run fetches what was lost."""
        if self.failed:
            return
        self.failed = how
        self.stats.inc_value(ITEM_ERRORS)  # a failure of the crawl itself, not of the site: the run is an error
        self.stats.inc_value(f"{ITEM_ERRORS}/item_worker_stopped")
        if self.crawler.engine is not None and self.crawler.engine.running:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="item_worker_failed"))
