"""Speed of our item path, stage by stage, against a bare lxml parse of the same pages, in one run.

    python -m bench.extraction_speed [--rounds 5] [--trafilatura]

"Our path" is what a crawl does per page once the bytes have arrived: build the Scrapy response and decode it,
`read_page` (parse once, structured data, the site's selectors or the generic reader), then every item pipeline
in ITEM_PIPELINES order, the storage ones included (dedup with its MinHash signature, and the SQLite write with
the crawl's batched commits, into a fresh temporary store each round). Each stage is timed on every replica
article page in the same round, in CPU time (`time.process_time`, so other work on shared cores
slows the figures less than wall time would); listing pages (which `read_page` skips) are timed apart. The baseline is
`lxml.html.fromstring` of the same bytes, timed in the same rounds; `--trafilatura` adds
`trafilatura.extract(with_metadata=True)` as a second reference. Each figure is the best of `--rounds`.

Goals: the article path <= 1.5 ms/page and <= 8x the bare parse; a listing page <= 0.3 ms.

    python -m bench.extraction_speed --grow 20000 [--block 2000]

measures instead how the path's cost moves as one store grows: `--grow` synthetic Thanh Xuân articles
(bench/synthetic.py, the throughput bench's pages) through the same chain into one store, block by block, each
block's stages and its lxml parse timed as above. The figures above are for a fresh store; the store's
B-trees, full-text index and signature bands grow with it.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings

from bench.synthetic import write_synthetic_content
from crawler.clock import utc_now
from crawler.extraction import read_page
from crawler.items import FetchedPage
from crawler.pipeline_chain import crawl_chain
from crawler.replica.render import ORIGIN, article_path, load_articles, render_site
from crawler.sites import SITES
from crawler.store import open_store
from pipelines.base import CountingStats
from pipelines.read import ReadPagePipeline

Page = tuple[str, str, bytes]
BASE = "http://127.0.0.1:8800"


def served(site: str, path: str, body: str) -> Page:
    """A rendered replica page as the server sends it (its links on the server's origin)."""
    return site, BASE + path, body.replace(ORIGIN, BASE).encode("utf-8")


def bare_lxml(page: Page) -> object:
    """The baseline: lxml's parse of the page's bytes, nothing else."""
    return lxml.html.fromstring(page[2])


def replica_pages() -> tuple[list[Page], list[Page]]:
    """(article pages, HTML listing pages) of every replica site, as the server would send them."""
    articles, listings = [], []
    for name in SITES:
        rendered = render_site(name)
        paths = {article_path(article) for article in load_articles(name)}
        for path, page in rendered.items():
            if "html" not in page.content_type or page.status != 200:
                continue
            (articles if path in paths else listings).append(served(name, path, page.body))
    return articles, listings


def item_path_round(pages: list[Page], db: Path, fetched_at: Any) -> dict[str, float]:
    """One pass of the whole item path over `pages` into a fresh store at `db`: seconds per stage. The chain is
    the one the item worker runs (`crawl_chain`: read, check, store with the crawl's batched commits), fed the
    page as the worker receives it (`FetchedPage`, plain data, rebuilt into a response there)."""
    settings = get_project_settings()
    settings.set("CRAWLER_DB_PATH", str(db), priority="cmdline")
    chain = crawl_chain(settings, CountingStats())
    stages: list[tuple[str, Any]] = [
        ("read_page" if isinstance(p, ReadPagePipeline) else type(p).__name__, p) for p in chain.pipelines
    ]
    times: dict[str, float] = defaultdict(float)
    clock = time.process_time  # CPU time: what a page costs, whatever else the shared cores are doing
    stamp = fetched_at.isoformat()
    for site, url, body in pages:
        page = FetchedPage(url, site, stamp, 200, {b"Content-Type": [b"text/html; charset=utf-8"]}, body)
        t = clock()
        page.response().text  # noqa: B018 - decoding is part of what a crawl pays per page
        times["response + decode"] += clock() - t
        item: Any = page
        for name, pipeline in stages:
            t = clock()
            try:
                item = pipeline.process_item(item)
            except DropItem:
                break
            finally:
                times[name] += clock() - t
    t = clock()
    store = open_store(settings)
    store.commit()
    times["SqliteStorePipeline"] += clock() - t
    store.close()
    return times


def timed(func: Callable[[Page], object], pages: list[Page]) -> float:
    start = time.process_time()
    for page in pages:
        func(page)
    return time.process_time() - start


def synthetic_pages(count: int, directory: Path) -> list[Page]:
    """`count` synthetic Thanh Xuân article pages, rendered as the replica server would send them."""
    write_synthetic_content(directory, "thanhxuan", count)
    rendered = render_site("thanhxuan", directory)
    paths = [article_path(article) for article in load_articles("thanhxuan", directory)]
    return [served("thanhxuan", path, rendered[path].body) for path in paths]


def grow(count: int, block: int, work: Path) -> None:
    """The item path per article page, block by block, as one store grows to `count` articles."""
    pages = synthetic_pages(count, work / "content")
    fetched_at = utc_now()
    db = work / "grown.db"
    item_path_round(pages[:5], work / "warm.db", fetched_at)
    print(f"{len(pages)} synthetic article pages ({sum(len(p[2]) for p in pages) // len(pages)} bytes on average) "
          f"into one store, {block} per block; ms/page, CPU time")
    for start in range(0, len(pages), block):
        chunk = pages[start : start + block]
        stages = item_path_round(chunk, db, fetched_at)
        parse = timed(bare_lxml, chunk)
        total = sum(stages.values())
        parts = "  ".join(f"{short}={1000 * stages[name] / len(chunk):.3f}" for name, short in (
            ("read_page", "read"), ("ConferenceFactsPipeline", "facts"), ("DedupPipeline", "dedup"),
            ("SqliteStorePipeline", "store")))
        print(f"  stored before {start:6d}: total {1000 * total / len(chunk):.3f}  {parts}  "
              f"lxml {1000 * parse / len(chunk):.3f} ({total / parse:.0f}x)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds; the best of each stage is kept")
    parser.add_argument("--trafilatura", action="store_true", help="also time trafilatura.extract(with_metadata)")
    parser.add_argument("--grow", type=int, metavar="N", help="instead: the path as one store grows to N synthetic articles")
    parser.add_argument("--block", type=int, default=2000, help="with --grow: articles per timed block")
    args = parser.parse_args()
    logging.getLogger("pipelines.read").setLevel(logging.ERROR)  # a replica page read by the generic reader, on purpose
    if args.grow:
        with tempfile.TemporaryDirectory(prefix="bench-extraction-") as work:
            grow(args.grow, max(1, args.block), Path(work))
        return
    articles, listings = replica_pages()
    fetched_at = utc_now()
    work = Path(tempfile.mkdtemp(prefix="bench-extraction-"))

    def listing(page: Page) -> object:
        response = HtmlResponse(url=page[1], body=page[2], encoding="utf-8")
        return read_page(response, SITES[page[0]], fetched_at)

    references: dict[str, Callable[[Page], object]] = {"lxml.html.fromstring": bare_lxml}
    if args.trafilatura:
        import trafilatura

        references["trafilatura.extract(with_metadata)"] = lambda page: trafilatura.extract(
            page[2].decode("utf-8"), url=page[1], with_metadata=True)

    item_path_round(articles[:5], work / "warm.db", fetched_at)  # imports, selector translation, regexes
    best: dict[str, float] = {}
    for n in range(args.rounds):
        rounds = item_path_round(articles, work / f"round{n}.db", fetched_at)
        rounds["total (article page)"] = sum(rounds.values())
        rounds["listing page: response + read_page"] = timed(listing, listings) * len(articles) / max(len(listings), 1)
        for name, func in references.items():
            rounds[name] = timed(func, articles)
        for name, seconds in rounds.items():
            best[name] = min(best.get(name, float("inf")), seconds)

    per_page = {name: 1000 * seconds / len(articles) for name, seconds in best.items()}
    print(f"{len(articles)} replica article pages and {len(listings)} listing pages, best of {args.rounds} rounds; "
          f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"  {'stage':40} {'ms/page':>8}")
    for name, ms in per_page.items():
        if name == "total (article page)":
            print(f"  {'-' * 49}")
        print(f"  {name:40} {ms:8.3f}")
    total, bare = per_page["total (article page)"], per_page["lxml.html.fromstring"]
    listing_ms = per_page["listing page: response + read_page"]
    print(f"article page: {total:.2f} ms (goal <= 1.5: {'met' if total <= 1.5 else 'NOT met'}); "
          f"listing page: {listing_ms:.2f} ms (goal <= 0.3: {'met' if listing_ms <= 0.3 else 'NOT met'})")
    print(f"ours/lxml: {total / bare:.1f}x (ours {total:.2f} ms/page, lxml.html.fromstring {bare:.3f} ms/page; "
          f"goal <= 8x: {'met' if total / bare <= 8 else 'NOT met'})")


if __name__ == "__main__":
    main()
