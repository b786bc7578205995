"""What browser-like decoding (`crawler.extraction.decoding.browser_decoded`) costs per page, in one process.

    python -m bench.decoding_cost [--rounds 21]

The baseline is the same extraction with the response used as Scrapy decoded it (the step replaced by an identity
function), interleaved round by round on the replica's article pages, each round on fresh responses (so both pay
Scrapy's own decoding); the ratio is of the medians.
"""

from __future__ import annotations

import argparse
import statistics
import time

from scrapy.http import HtmlResponse

import crawler.extraction as extraction
from bench.extraction_speed import replica_pages
from crawler.sites import SITES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    pages = [(url, body, SITES[name]) for name, url, body in replica_pages()]
    headers = {"Content-Type": "text/html; charset=utf-8"}
    variants = {"decoded": extraction.browser_decoded, "as scrapy decoded": lambda response: (response, [])}
    times: dict[str, list[float]] = {name: [] for name in variants}
    try:
        for round_number in range(args.rounds):
            order = list(variants) if round_number % 2 else list(reversed(variants))
            for name in order:
                extraction.browser_decoded = variants[name]
                start = time.perf_counter()
                for url, body, site in pages:  # a fresh response each time: Scrapy's own decoding is paid in both
                    extraction.extract_article(HtmlResponse(url, body=body, headers=headers), site)
                times[name].append((time.perf_counter() - start) / len(pages) * 1000)
    finally:
        extraction.browser_decoded = variants["decoded"]
    step = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for url, body, _site in pages:
            variants["decoded"](HtmlResponse(url, body=body, headers=headers))
        step.append((time.perf_counter() - start) / len(pages) * 1000)
    decoded, baseline = statistics.median(times["decoded"]), statistics.median(times["as scrapy decoded"])
    print(f"{len(pages)} replica article pages, median of {args.rounds} interleaved rounds")
    print(f"  extract with browser-like decoding   {decoded:.3f} ms/page")
    print(f"  extract as Scrapy decoded            {baseline:.3f} ms/page")
    print(f"  the decoding step alone              {statistics.median(step):.3f} ms/page")
    print(f"decoding costs {decoded / baseline:.3f}x the extraction without it (the step alone: "
          f"{statistics.median(step) / baseline:.1%} of it)")


if __name__ == "__main__":
    main()
