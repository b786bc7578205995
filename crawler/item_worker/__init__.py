"""The item worker: the item chain (read, normalise, dates, views, conference facts, validate, dedup, store) in
a second process, so a crawl uses both cores: Scrapy's reactor keeps the first one fetching and following
links, the worker reads and stores on the second.

- `pipelines.item_worker.ItemWorkerPipeline` is the crawl's only Scrapy pipeline when `CRAWLER_ITEM_WORKER` is
  "process" (the default). It sends each fetched page (`FetchedPage`, plain data) to the worker and waits for
  the outcome: the finished item (Scrapy then signals `item_scraped` and feeds export it, as in an inline crawl),
  a drop with its reason, or the error a stage raised (counted like any pipeline error).
- `client.py` runs the worker process under the reactor, one per database per crawl process (the crawlers of a
  `crawler crawl` of every site share it: one writer per database), with at most
  `CRAWLER_ITEM_WORKER_MAX_PENDING` pages in it at once; a page beyond that waits in Scrapy's scraper, whose own
  limit then pauses downloads (back-pressure: memory stays bounded however slow the store is).
- `process.py` is the worker: it builds the same chain Scrapy would (`crawl_chain`), reads pages in the order
  they were sent, commits in batches as an inline crawl does (`CRAWLER_COMMIT_EVERY`, and every second), and
  sends back with each outcome the stats its stages counted and the log records they wrote, which the crawl
  applies to its own stats and logs: run records, the summary and the progress line see the same numbers.
- `frames.py` is the wire format: length-prefixed pickles on the worker's stdin and stdout.

Guarantees kept from the inline chain: what is stored, and when a page counts as stored (after its commit).
A crawl killed with SIGKILL closes the worker's stdin: the worker commits what it has read and exits, so
nothing it has stored is lost; a worker that dies stops the crawl (`item_worker_failed`), its uncommitted pages
are fetched again by the next run. The worker ignores SIGINT and SIGTERM: Ctrl-C reaches the whole process
group, and the crawl's own graceful stop is what closes the worker after its last commit.
"""
