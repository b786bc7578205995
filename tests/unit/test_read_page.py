"""read_page: the item for a page at a given fetch time (no clock read), its identity from the one identity
function, the link it was fetched under, and the response's validators."""

from __future__ import annotations

from scrapy.http import HtmlResponse

from crawler.extraction import Skipped, read_page
from crawler.items import ArticleItem
from crawler.parsing.text import normalise_inline
from crawler.sites import SITES, article_url
from tests.unit.conftest import FROZEN

BASE = SITES["thanhxuan"].base_url.rstrip("/")
PARAGRAPH = "Chiều 3/10, Ban Chấp hành Đảng bộ quận tổ chức hội nghị để đánh giá tình hình thực hiện nhiệm vụ năm."


def page(canonical: str | None) -> HtmlResponse:
    """A synthetic page (written here, not recorded): a generic news article with an optional rel=canonical."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    html = (
        f'<html><head><title>Hội nghị</title>{link}<meta property="og:title" content="Hội nghị Ban Chấp hành">'
        f'</head><body><article><h1>Hội nghị Ban Chấp hành</h1>{"".join(f"<p>{PARAGRAPH} {n}</p>" for n in range(6))}'
        "</article></body></html>"
    )
    return HtmlResponse(f"{BASE}/?p=12&utm_source=zalo", body=html.encode(), encoding="utf-8", headers={"ETag": '"v1"'})


def test_identity_validators_and_fetch_time() -> None:
    item = read_page(page("/tin-tuc/hoi-nghi"), None, FROZEN)
    assert isinstance(item, ArticleItem)
    assert item.url == article_url(f"{BASE}/tin-tuc/hoi-nghi", None) == f"{BASE}/tin-tuc/hoi-nghi"
    assert item.link_url == f"{BASE}/?p=12"  # tracking parameter dropped, no rel=canonical
    assert item.crawled_at == "2024-10-05T10:00:00+07:00"  # the given time, in Vietnam's zone
    assert item.http_etag == '"v1"'


def test_canonical_on_another_host_is_not_the_identity() -> None:
    item = read_page(page("https://kinhtedothi.vn/hoi-nghi.html"), None, FROZEN)
    assert isinstance(item, ArticleItem) and item.url == item.link_url == f"{BASE}/?p=12"


def test_same_page_same_item() -> None:
    first, second = read_page(page(None), None, FROZEN), read_page(page(None), None, FROZEN)
    assert isinstance(first, ArticleItem) and first == second
    assert normalise_inline(first.title) == "Hội nghị Ban Chấp hành"


def test_listing_page_is_skipped() -> None:
    site = SITES["thanhxuan"]
    links = "".join(f'<a href="/tin-tuc/{n}">Bài {n}</a>' for n in range(12))
    listing = HtmlResponse(f"{BASE}/tin-tuc", body=f"<html><body>{links}</body></html>".encode(), encoding="utf-8")
    assert isinstance(read_page(listing, site, FROZEN), Skipped)
