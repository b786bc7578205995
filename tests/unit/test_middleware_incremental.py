"""The incremental middlewares, built by Scrapy on a real temporary store with a frozen clock: stored articles
skipped before download (by identity or by the link they were fetched under), recent ones refreshed
conditionally, pagination stopped at a page of known articles, sitemaps fetched only when due, a 304 recorded."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Request, Response

from crawler.parsing.dates import VN_TZ
from crawler.middlewares.incremental import IncrementalSpiderMiddleware, NotModifiedMiddleware
from crawler.store import Store
from tests.unit.conftest import FROZEN, article

BASE = "https://thanhxuan.hanoi.gov.vn"
#: Incremental state is kept per site and base URL crawled (a replica run leaves nothing for a live one).
SCOPE = f"thanhxuan {BASE}"


def listing(url: str = f"{BASE}/tin-tuc") -> Response:
    return HtmlResponse(url=url, body=b"<html></html>", request=Request(url, meta={"kind": "listing"}))


def requests(*urls: str, kind: str = "article") -> list[Request]:
    return [Request(url, meta={"kind": kind}) for url in urls]


def opened(crawler: Crawler) -> IncrementalSpiderMiddleware:
    middleware = IncrementalSpiderMiddleware.from_crawler(crawler)
    middleware.spider_opened(crawler.spider)
    return middleware


def test_off_when_incremental_is_off(make_crawler: Callable[..., Crawler]) -> None:
    with pytest.raises(NotConfigured):
        IncrementalSpiderMiddleware.from_crawler(make_crawler(CRAWLER_INCREMENTAL=False))
    with pytest.raises(NotConfigured):
        NotModifiedMiddleware.from_crawler(make_crawler(CRAWLER_INCREMENTAL=False))


def test_stored_articles_skipped_new_ones_pass(make_crawler: Callable[..., Crawler], store: Store) -> None:
    store.save(article(f"{BASE}/tin-tuc/a", published="2024-01-02T09:00:00+07:00", views=10))
    crawler = make_crawler()
    out = list(opened(crawler).process_spider_output(listing(), requests(f"{BASE}/tin-tuc/a?utm_source=zalo", f"{BASE}/tin-tuc/b")))
    assert [r.url for r in out] == [f"{BASE}/tin-tuc/b"]
    assert crawler.stats.get_value("incremental/skipped_stored") == 1


def test_page_whose_canonical_differs_from_its_link_is_known_by_its_link(
    make_crawler: Callable[..., Crawler], store: Store
) -> None:
    """The review's bug: stored under its rel=canonical, such a page was fetched again on every run."""
    store.save(article(f"{BASE}/tin-tuc/chi-tiet", published="2024-01-02T09:00:00+07:00", link_url=f"{BASE}/?p=12"))
    crawler = make_crawler()
    out = list(opened(crawler).process_spider_output(listing(), requests(f"{BASE}/?p=12")))
    assert out == [] and crawler.stats.get_value("incremental/skipped_stored") == 1


def test_recent_article_with_moving_views_refreshed_conditionally(make_crawler: Callable[..., Crawler], store: Store) -> None:
    recent = (FROZEN - timedelta(days=2)).isoformat()
    store.save(article(f"{BASE}/tin-tuc/a", published=recent, views=10, http_etag='"v1"'))
    out = list(opened(make_crawler()).process_spider_output(listing(), requests(f"{BASE}/tin-tuc/a")))
    assert len(out) == 1
    assert out[0].headers.get("If-None-Match") == b'"v1"'
    assert out[0].meta["refresh"] is True and out[0].meta["handle_httpstatus_list"] == [304]


def test_listing_of_known_articles_stops_pagination(make_crawler: Callable[..., Crawler], store: Store) -> None:
    store.save(article(f"{BASE}/tin-tuc/a", published="2024-01-02T09:00:00+07:00"))
    crawler = make_crawler()
    output = [*requests(f"{BASE}/tin-tuc/a"), *requests(f"{BASE}/tin-tuc?page=2", kind="listing")]
    assert list(opened(crawler).process_spider_output(listing(), output)) == []
    assert crawler.stats.get_value("incremental/listing_stopped") == 1


@pytest.mark.parametrize("read_first", [False, True], ids=["listing-first", "article-read-first"])
def test_articles_read_this_run_never_stop_pagination(
    make_crawler: Callable[..., Crawler], store: Store, read_first: bool
) -> None:
    """The e2e flake's race, both orders replayed: the sitemap's copy of a listed article was read (item_scraped)
    before or after the listing page arrived. Either way the next page is walked (a first run that stopped there
    would miss what only later pages list, and every later run would stop there too); the link itself is not
    fetched twice."""
    crawler = make_crawler()
    middleware = opened(crawler)  # an empty store: a first run
    if read_first:
        middleware.item_scraped(article(f"{BASE}/tin-tuc/a", published="2024-01-02T09:00:00+07:00"), listing(), crawler.spider)
    output = [*requests(f"{BASE}/tin-tuc/a"), *requests(f"{BASE}/tin-tuc?page=2", kind="listing")]
    out = [r.url for r in middleware.process_spider_output(listing(), output)]
    assert out == ([f"{BASE}/tin-tuc?page=2"] if read_first else [f"{BASE}/tin-tuc/a", f"{BASE}/tin-tuc?page=2"])
    assert crawler.stats.get_value("incremental/listing_stopped") is None
    assert crawler.stats.get_value("incremental/skipped_stored") == (1 if read_first else None)


def test_interrupted_run_walks_every_page(make_crawler: Callable[..., Crawler], store: Store) -> None:
    store.save(article(f"{BASE}/tin-tuc/a", published="2024-01-02T09:00:00+07:00"))
    store.state.set(SCOPE, "incomplete_since", "2024-10-04T03:00:00+00:00")
    crawler = make_crawler()
    output = [*requests(f"{BASE}/tin-tuc/a"), *requests(f"{BASE}/tin-tuc?page=2", kind="listing")]
    assert [r.url for r in opened(crawler).process_spider_output(listing(), output)] == [f"{BASE}/tin-tuc?page=2"]
    assert crawler.stats.get_value("incremental/resuming_interrupted_run") == 1


def test_open_marks_the_run_incomplete_until_it_finishes(make_crawler: Callable[..., Crawler], store: Store) -> None:
    crawler = make_crawler()
    middleware = opened(crawler)
    assert store.state.get(SCOPE, "incomplete_since") == FROZEN.isoformat(timespec="seconds")
    middleware.spider_closed(crawler.spider, "shutdown")
    assert store.state.get(SCOPE, "incomplete_since")
    middleware.spider_closed(crawler.spider, "finished")
    assert store.state.get(SCOPE, "incomplete_since") == ""


@pytest.mark.parametrize(("hours_ago", "due"), [(None, True), (23, False), (25, True)])
def test_sitemap_only_when_due(make_crawler: Callable[..., Crawler], store: Store, hours_ago: int | None, due: bool) -> None:
    if hours_ago is not None:
        store.state.set(SCOPE, "sitemap_fetched_at", (FROZEN - timedelta(hours=hours_ago)).isoformat())
    crawler = make_crawler()
    middleware = IncrementalSpiderMiddleware.from_crawler(crawler)

    async def start() -> list[Request]:
        async def source():  # type: ignore[no-untyped-def]
            for request in requests(f"{BASE}/sitemap.xml", kind="sitemap"):
                yield request

        return [r async for r in middleware.process_start(source())]

    assert len(asyncio.run(start())) == (1 if due else 0)


def test_304_on_a_refresh_is_a_recorded_check(make_crawler: Callable[..., Crawler], store: Store) -> None:
    store.save(article(f"{BASE}/tin-tuc/a", views=10))
    crawler = make_crawler()
    middleware = NotModifiedMiddleware.from_crawler(crawler)
    request = Request(f"{BASE}/tin-tuc/a", meta={"kind": "article", "refresh": True})
    with pytest.raises(IgnoreRequest):
        middleware.process_response(request, Response(request.url, status=304, request=request))
    assert crawler.stats.get_value("incremental/not_modified") == 1
    readings = store.db.execute("SELECT seen_at, count FROM view_counts WHERE url = ? ORDER BY id", [request.url]).fetchall()
    assert readings[-1] == (FROZEN.astimezone(VN_TZ).isoformat(timespec="seconds"), 10)
    plain = Request(f"{BASE}/tin-tuc/b", meta={"kind": "article"})
    response = Response(plain.url, status=304, request=plain)
    assert middleware.process_response(plain, response) is response


def test_state_of_another_base_url_does_not_apply(make_crawler: Callable[..., Crawler], store: Store) -> None:
    """A replica run's sitemap timer and interrupted-run marker are not the live site's."""
    store.state.set("thanhxuan http://127.0.0.1:8800/thanhxuan", "incomplete_since", "2024-10-04T03:00:00+00:00")
    store.save(article("http://127.0.0.1:8800/thanhxuan/tin-tuc/a", published="2024-01-02T09:00:00+07:00"))
    crawler = make_crawler()
    middleware = opened(crawler)
    assert crawler.stats.get_value("incremental/resuming_interrupted_run") is None
    assert middleware.known == set()
