"""Item pipelines, one concern per module, run in this order (see `ITEM_PIPELINES` in crawler/settings/base.py):

    normalise (100) -> dates (200) -> views (300) -> conference (400) -> validate (500) -> dedup (600) -> store (700)

Each counts what it does in the crawler's stats under its own prefix, so every drop or fallback has a reason.
`crawler extract` runs the same chain without dedup and store (`EXTRACT_PIPELINES`).
"""
