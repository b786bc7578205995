"""Speed of our full item path against trafilatura and a bare lxml parse, on the same pages in one run.

    python -m bench.extraction_speed [--rounds 5]

"Our path" is what a crawl does per page minus the network and the database: build the response, extract with
the site's selectors (or the fallback), then every pipeline up to validation (normalise, dates, views,
conference facts, validate). Baselines: `trafilatura.extract(..., with_metadata=True)` and
`lxml.html.fromstring`. Goals: at least 2x faster than trafilatura, at most 3x the bare parse.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import lxml.html
import trafilatura
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings

from crawler.clock import utc_now
from crawler.pipeline_chain import extract_chain, item_for_page
from crawler.replica.render import ORIGIN, article_path, load_articles, render_site
from crawler.sites import SITES


def replica_pages() -> list[tuple[str, str, bytes]]:
    pages = []
    for name in SITES:
        rendered = render_site(name)
        for article in load_articles(name):
            path = article_path(article)
            html = rendered[path].body.replace(ORIGIN, "http://127.0.0.1:8800")
            pages.append((name, f"http://127.0.0.1:8800{path}", html.encode("utf-8")))
    return pages


def time_per_page(label: str, pages: list[tuple[str, str, bytes]], func: Callable[[str, str, bytes], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for site, url, body in pages:
            func(site, url, body)
        best = min(best, (time.perf_counter() - start) / len(pages))
    print(f"  {label:34} {best * 1000:8.3f} ms/page")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds; the best is kept")
    args = parser.parse_args()
    pages = replica_pages()
    settings = get_project_settings()
    chain = extract_chain(settings)
    fetched_at = utc_now()

    def ours(site: str, url: str, body: bytes) -> object:
        response = HtmlResponse(url=url, body=body, encoding="utf-8")
        return item_for_page(response, SITES[site], fetched_at, settings, chain=chain)

    def with_trafilatura(site: str, url: str, body: bytes) -> object:
        return trafilatura.extract(body.decode("utf-8"), url=url, with_metadata=True)

    def bare_lxml(site: str, url: str, body: bytes) -> object:
        return lxml.html.fromstring(body)

    for func in (ours, with_trafilatura, bare_lxml):  # warm caches (selector translation, regexes, imports)
        for site, url, body in pages[:5]:
            func(site, url, body)
    print(f"{len(pages)} replica article pages, best of {args.rounds} rounds")
    t_ours = time_per_page("ours (extract + pipelines)", pages, ours, args.rounds)
    t_traf = time_per_page("trafilatura.extract(with_metadata)", pages, with_trafilatura, args.rounds)
    t_lxml = time_per_page("lxml.html.fromstring", pages, bare_lxml, args.rounds)
    print(f"ours vs trafilatura: {t_traf / t_ours:5.2f}x faster   (goal >= 2x)")
    print(f"ours vs bare lxml:   {t_ours / t_lxml:5.2f}x the parse time (goal <= 3x)")


if __name__ == "__main__":
    main()
