"""Listings: article links by the parser versions' selectors or the site's article pattern; JSON "Xem thêm"
pages followed until one comes back empty, a broken page counted, never a crash."""

from __future__ import annotations

import json
from collections.abc import Callable

from parsel import Selector
from scrapy.crawler import Crawler
from scrapy.http import Request, TextResponse

from crawler.extraction.listing import listing_links, next_listing_page
from crawler.sites import SITES, JsonListing, ParserVersion, Selectors, SiteDefinition
from crawler.spiders.base import spider_class_for

PAGE = """<html><body><div class="list"><h3><a href="/a-1.html">A</a></h3><h3><a href="/b-2.html">B</a></h3></div>
<aside><a href="/tin-tuc/x/c-12345678.html">C</a><a href="/gioi-thieu">About</a></aside>
<a rel="next" href="/tin-tuc?page=2">Sau</a></body></html>"""
VERSION = ParserVersion("paper/1", Selectors(title="h1", body=".b", listing_links=".list h3 a::attr(href)"))


def site(**fields: object) -> SiteDefinition:
    return SiteDefinition(name="paper", base_url="https://paper.vn", **fields)  # type: ignore[arg-type]


def join(href: str) -> str:
    return "https://paper.vn" + href


def test_a_versions_listing_selector_first() -> None:
    links, how = listing_links(Selector(text=PAGE), site(versions=(VERSION,), article_pattern=r"-\d{8}\.html$"), join)
    assert links == ["/a-1.html", "/b-2.html"] and how == VERSION.selectors.listing_links


def test_the_article_pattern_when_no_selector_finds_links() -> None:
    links, how = listing_links(Selector(text=PAGE), site(article_pattern=r"-\d{8}\.html$"), join)
    assert links == ["/tin-tuc/x/c-12345678.html"] and how == r"article pattern -\d{8}\.html$"
    assert listing_links(Selector(text=PAGE), site(), join) == ([], None)


def test_next_page_falls_back_to_rel_next() -> None:
    assert next_listing_page(Selector(text=PAGE), site(versions=(VERSION,))) == "/tin-tuc?page=2"


def json_page(url: str, body: str) -> TextResponse:
    listing = SITES["kinhtedothi"].json_listings[0]
    return TextResponse(url=url, body=body.encode(), encoding="utf-8",
                        request=Request(url, meta={"kind": "listing"}, cb_kwargs={"listing": listing, "page": 2}))


def test_json_listing_pages_until_empty(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler(spider_class_for(SITES["kinhtedothi"]))
    spider = crawler.spider
    listing = SITES["kinhtedothi"].json_listings[0]
    url = spider.base_url + listing.path.format(page=2)
    entries = [{"Title": "T", "Url": "/tin-a.123.html"}, {"Title": "no url"}]
    out = list(spider.parse_json_listing(json_page(url, json.dumps(entries)), listing, 2))
    assert [r.url for r in out] == ["https://kinhtedothi.vn/tin-a.123.html", spider.base_url + listing.path.format(page=3)]
    assert [r.meta["kind"] for r in out] == ["article", "listing"]
    assert list(spider.parse_json_listing(json_page(url, "[]"), listing, 3)) == []


def test_broken_json_listing_is_counted(make_crawler: Callable[..., Crawler]) -> None:
    crawler = make_crawler(spider_class_for(SITES["kinhtedothi"]))
    listing = JsonListing(path="/api/{page}")
    assert list(crawler.spider.parse_json_listing(json_page("https://kinhtedothi.vn/api/2", "<html>"), listing, 2)) == []
    assert crawler.stats.get_value("crawl/errors/bad_json_listing") == 1


def test_the_2016_designs_listing_selectors_read_the_archive_listing() -> None:
    """The replica's pre-2021 category page (`.pkg h2 > a`, `.paging a.active + a`) is read by kinhtedothi/2016's
    listing selectors alone: its links are the 2016-design pages, and the next page is found."""
    from crawler.replica.render import article_path, kdt_design, load_articles, render_site

    pages = render_site("kinhtedothi")
    kdt = SITES["kinhtedothi"]
    first = Selector(text=pages["/kinhtedothi/chinh-tri/tin-tuc"].body)
    links, how = listing_links(first, kdt, join)
    archive = [a for a in load_articles("kinhtedothi") if kdt_design(a) == "2016"]
    assert how == ".pkg h2 > a::attr(href)" and len(links) == 2
    assert set(links) <= {article_path(a) for a in archive}
    assert next_listing_page(first, kdt) == "/kinhtedothi/chinh-tri/tin-tuc/p2"
    last = Selector(text=pages["/kinhtedothi/chinh-tri/tin-tuc/p2"].body)
    assert next_listing_page(last, kdt) is None
