"""`python -m crawler.item_worker`: the item worker process (process.py)."""

from crawler.item_worker.process import run

run()
