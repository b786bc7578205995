"""Item pipelines, one concern per module, run in this order (`CRAWLER_ITEM_CHAIN` in crawler/settings/base.py):

    read (50) -> normalise (100) -> dates (200) -> views (300) -> conference (400) -> validate (500) -> dedup (600)
    -> store (700)

Each counts what it does in the crawler's stats under its own prefix, so every drop or fallback has a reason.
`crawler extract` runs the same chain without dedup and store (`STORAGE_PIPELINES`). A crawl runs the chain in
the item worker process (`item_worker.py`, crawler/item_worker/) unless `CRAWLER_ITEM_WORKER=inline`.
"""
