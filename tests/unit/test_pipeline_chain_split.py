"""Where the chain may be split between the crawl's process and the item worker: before the storage stages, and
only when they are the chain's tail."""

from __future__ import annotations

from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.pipeline_chain import storage_starts_at


def test_the_storage_stages_start_after_validate() -> None:
    settings = get_project_settings()
    chain = sorted(settings.getdict("CRAWLER_ITEM_CHAIN").items(), key=lambda kv: kv[1])
    start = storage_starts_at(settings)
    assert start is not None
    assert chain[start - 1][0] == "pipelines.validate.ValidatePipeline"
    assert [path for path, _ in chain[start:]] == list(settings.getlist("STORAGE_PIPELINES"))


def test_a_stage_after_storage_forbids_the_split() -> None:
    chain = {"pipelines.read.ReadPagePipeline": 50, "pipelines.store.SqliteStorePipeline": 700, "extra.Export": 800}
    settings = Settings({"CRAWLER_ITEM_CHAIN": chain, "STORAGE_PIPELINES": ["pipelines.store.SqliteStorePipeline"]})
    assert storage_starts_at(settings) is None
    settings.set("CRAWLER_ITEM_CHAIN", {**chain, "extra.Export": None})  # a stage switched off is no stage
    assert storage_starts_at(settings) == 1
