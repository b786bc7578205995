"""Unit layer for the content-path guarantees of issue 10: pure helpers and single pipelines, fast."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from lxml import html as lxml_html
from parsel import Selector
from scrapy.settings import Settings

from crawler.extraction.html_text import element_paragraphs
from crawler.extraction.structured import read_structured
from crawler.items import ArticleItem
from crawler.neardup import MAX_SHINGLE_WORDS, shingles
from crawler.parsing.charset import decode_html
from crawler.parsing.dates import parse_vn_datetime
from crawler.parsing.text import normalise_inline
from crawler.parsing.urls import canonical_url, followable_url, plausible_canonical, strip_session_params
from pipelines.base import CountingStats
from pipelines.dates import PublishDatePipeline
from pipelines.normalise import MAX_BODY_CHARS, MAX_TITLE_CHARS, NormaliseTextPipeline
from pipelines.views import ViewCountPipeline

BASE = "https://x.vn/tin-tuc/trang-1"


@pytest.mark.parametrize(
    "href",
    ["javascript:void(0)", "mailto:a@b.vn", "tel:0243", "http://[::1", "http://x.vn:99999/a", "data:text/html,x",
     "#top", "", None, "http://exa mple.vn/a", "ftp://x.vn/a"],
)
def test_followable_url_refuses_links_no_browser_fetches(href: str | None) -> None:
    assert followable_url(BASE, href) is None


def test_followable_url_resolves_ordinary_links() -> None:
    assert followable_url(BASE, " /bai-viet.html\n") == "https://x.vn/bai-viet.html"
    assert followable_url(BASE, "bai\t-2.html") == "https://x.vn/tin-tuc/bai-2.html"


@pytest.mark.parametrize(
    "suffix",
    ["?PHPSESSID=abc", ";jsessionid=0A1B", "?sid=9f", "?s=abc", "?utm_source=zalo&utm_id=3", "?fbclid=Iw", "?SID=1#x"],
)
def test_session_and_tracking_parameters_are_stripped(suffix: str) -> None:
    assert canonical_url("https://x.vn/a.html" + suffix) == "https://x.vn/a.html"


def test_stripping_keeps_content_parameters_and_their_order() -> None:
    assert strip_session_params("https://x.vn/a?id=5&sid=1&page=2") == "https://x.vn/a?id=5&page=2"
    assert strip_session_params("https://x.vn/a?id=5&ref=x", extra=("ref",)) == "https://x.vn/a?id=5"


@pytest.mark.parametrize(
    ("candidate", "trusted"),
    [
        ("https://x.vn/", False),  # the home page
        ("https://x.vn/chinh-tri", False),  # a category that is a parent of the article's path
        ("https://x.vn/chinh-tri/", False),
        ("https://other.vn/chinh-tri/bai-viet-12345.html", False),  # another host
        ("https://x.vn/tin-tuc", False),  # a section path of the site
        ("https://x.vn/khac/bai-hoan-toan-khac.html", False),  # names another article
        ("https://x.vn/chinh-tri/bai-viet-12345.html", True),
        ("https://www.x.vn/amp/bai-viet-12345.html", True),  # www and AMP variants of the same slug
        ("https://x.vn/bai-viet-moi-ten-12345.html", True),  # renamed slug, same id
    ],
)
def test_plausible_canonical(candidate: str, trusted: bool) -> None:
    fetched = "https://x.vn/chinh-tri/bai-viet-12345.html?utm_source=fb"
    assert plausible_canonical(fetched, candidate, section_paths=("/tin-tuc",)) is trusted


def test_a_canonical_that_drops_the_article_id_of_a_template_url_is_not_trusted() -> None:
    assert not plausible_canonical("https://x.vn/tin/detail.aspx?id=123", "https://x.vn/tin/detail.aspx")
    assert not plausible_canonical("https://x.vn/tin/detail.aspx?newsid=9", "https://x.vn/tin/detail.aspx?newsid=1")
    assert plausible_canonical("https://x.vn/tin/detail.aspx?id=123", "https://x.vn/tin/detail.aspx?id=123")
    assert plausible_canonical("https://x.vn/a.html?page=1", "https://x.vn/a.html")


def test_a_permalink_for_a_query_only_url_is_trusted_but_not_the_home_page() -> None:
    assert plausible_canonical("https://x.vn/?p=12", "https://x.vn/tin-tuc/hoi-nghi")
    assert plausible_canonical("https://x.vn/index.php?id=5", "https://x.vn/bai/hoi-nghi-lan-thu-5")
    assert not plausible_canonical("https://x.vn/?p=12", "https://x.vn/")
    assert not plausible_canonical("https://x.vn/?p=12", "https://other.vn/tin-tuc/hoi-nghi")


def test_canonical_url_falls_back_to_the_fetched_url_for_absurd_canonicals() -> None:
    assert canonical_url("https://x.vn/a/bai-1234.html", "/") == "https://x.vn/a/bai-1234.html"
    assert canonical_url("https://x.vn/a/bai-1234.html", "javascript:x") == "https://x.vn/a/bai-1234.html"


def test_utf8_page_with_a_latin1_header_decodes_as_utf8() -> None:
    body = '<meta charset="utf-8"><p>Quận ủy tổ chức hội nghị ề ờ</p>'.encode()
    decoded = decode_html(body, "text/html; charset=iso-8859-1")
    assert "Quận ủy tổ chức hội nghị ề ờ" in decoded.text and decoded.header_mismatch and not decoded.decode_errors


def test_nul_references_are_removed_from_a_clean_page() -> None:
    decoded = decode_html(b"<p>a&#0;b&#x0;c&#65;</p>", "text/html; charset=utf-8")
    assert decoded.text == "<p>abc&#65;</p>" and decoded.removed_nulls == 2


def test_declared_charset_that_decodes_cleanly_wins_and_bad_bytes_stay_errors() -> None:
    assert decode_html("Quận".encode("cp1258", errors="ignore") + b" \xe2", "text/html; charset=windows-1258").encoding == "cp1258"
    bad = decode_html(b"Qu\xe2\xfan \xff", "text/html; charset=utf-8")
    assert bad.decode_errors and "\ufffd" in bad.text
    assert decode_html(b"\xef\xbb\xbfQu\xe1\xba\xadn", "text/html; charset=iso-8859-1").text == "Quận"


@pytest.mark.parametrize("raw", ["[" * 100_000 + "]" * 100_000, '{"@graph": ' * 3_000 + "{}" + "}" * 3_000])
def test_json_ld_nested_too_deep_is_a_warning_not_a_crash(raw: str) -> None:
    page = f'<html><head><script type="application/ld+json">{raw}</script></head><body></body></html>'
    assert read_structured(Selector(text=page)).warnings == ["structured_data_too_deep"]


def test_json_ld_graph_of_an_article_is_still_read() -> None:
    page = '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "headline": "h"}]}</script>'
    data = read_structured(Selector(text=page))
    assert data.article == {"@type": "NewsArticle", "headline": "h"} and data.warnings == []


def _item(**fields: object) -> ArticleItem:
    return ArticleItem(url="https://x.vn/a.html", site="unknown", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("label", ["Lượt xem: 99999999999999999999999", "Lượt xem: " + "9" * 5_000])
def test_huge_view_counts_become_null_with_a_warning(label: str) -> None:
    stats = CountingStats()
    item = ViewCountPipeline(stats, Settings()).process_item(_item(view_count_text=label))
    assert item.view_count is None
    assert stats.values.get("warnings/view_count_implausible", 0) + stats.values.get("warnings/view_count_unparseable", 0) == 1


def test_ordinary_view_counts_are_kept() -> None:
    item = ViewCountPipeline(CountingStats(), Settings()).process_item(_item(view_count_text="Lượt xem: 3.440.515"))
    assert item.view_count == 3_440_515


FETCHED = "2025-06-20T09:00:00+07:00"


@pytest.mark.parametrize(
    ("candidates", "expected", "warnings"),
    [
        ([("json-ld", "2099-01-01T08:00:00+07:00")], None, 1),
        ([("json-ld", "1989-12-31"), ("page label", "20/06/2025 08:00")], "2025-06-20T08:00:00+07:00", 1),
        ([("page label", "21/06/2025 23:00")], "2025-06-21T23:00:00+07:00", 0),  # tomorrow: allowed
        ([("page label", "22/06/2025 00:01")], None, 1),
        ([("page label", "01/01/1990")], "1990-01-01", 0),
    ],
)
def test_implausible_publish_dates_are_skipped_with_a_warning(candidates: list[tuple[str, str]], expected: str | None, warnings: int) -> None:
    stats = CountingStats()
    item = PublishDatePipeline(stats, Settings()).process_item(_item(date_candidates=candidates, crawled_at=FETCHED))
    assert item.published_at == expected
    assert stats.values.get("warnings/date_implausible", 0) == warnings


@pytest.mark.parametrize("text", ["05/10/1890 14:51", "1890-10-05T14:51:00", "1890-10-05T07:51:00Z"])
def test_dates_before_1900_carry_plus_seven_not_local_mean_time(text: str) -> None:
    parsed = parse_vn_datetime(text)
    assert parsed is not None and parsed.value.utcoffset() == timedelta(hours=7)
    assert parsed.value.replace(tzinfo=None) == datetime(1890, 10, 5, 14, 51)


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+07:00", "9999-12-31T23:00:00+00:00", "31/12/9999 23:59"])
def test_edge_of_range_dates_raise_nothing_and_are_not_publish_dates(text: str) -> None:
    parse_vn_datetime(text)  # no OverflowError
    stats = CountingStats()
    item = PublishDatePipeline(stats, Settings()).process_item(_item(date_candidates=[("json-ld", text)], crawled_at=FETCHED))
    assert item.published_at is None and stats.values.get("warnings/date_implausible") == 1


def test_shingle_input_is_bounded() -> None:
    text = " ".join(f"từ{n}" for n in range(200_000))
    assert len(shingles(text)) == MAX_SHINGLE_WORDS - 4


def test_normalise_bounds_title_and_body_and_drops_script_images() -> None:
    stats = CountingStats()
    paragraphs = ["Đoạn văn số %d " % n + "chữ " * 2_000 for n in range(40)]
    item = _item(
        title="Tiêu đề " * 200_000, body="\n\n".join(paragraphs),
        images=[{"url": "javascript:alert(1)", "caption": "a"}, {"url": "data:image/png;base64,AA", "caption": "b"},
                {"url": "https://x.vn/anh.jpg", "caption": "c"}],
    )
    item = NormaliseTextPipeline(stats, Settings()).process_item(item)
    assert len(item.title) <= MAX_TITLE_CHARS + 1 and item.title.startswith("Tiêu đề")
    assert len(item.body) <= MAX_BODY_CHARS and item.body.startswith("Đoạn văn số 0")
    assert [i["url"] for i in item.images] == ["https://x.vn/anh.jpg"]
    assert stats.values == {"warnings/title_too_long": 1, "warnings/body_truncated": 1, "warnings/image_url_dropped": 1}


def test_textarea_object_and_media_text_is_not_article_text() -> None:
    root = lxml_html.fromstring(
        "<div><p>Thật</p><textarea>ô nhập</textarea><object>nhúng</object><video>trình duyệt cũ</video><p>Cũng thật</p></div>"
    )
    assert element_paragraphs(root) == ["Thật", "Cũng thật"]


def test_bidi_controls_are_removed() -> None:
    assert normalise_inline("Quận\u202e ủy\u2066 Lê\u200f Chân\u2069") == "Quận ủy Lê Chân"


def test_fixed_offset_is_used_for_modern_dates_too() -> None:
    parsed = parse_vn_datetime("20/06/2025 08:00")
    assert parsed is not None and parsed.value.tzinfo == timezone(timedelta(hours=7))


def _spider() -> tuple[object, object]:
    from scrapy.utils.test import get_crawler

    from crawler.sites import SITES
    from crawler.spiders.base import spider_class_for

    spider_class = spider_class_for(SITES["kinhtedothi"])
    crawler = get_crawler(spider_class)
    return spider_class.from_crawler(crawler), crawler.stats


def test_spider_skips_and_counts_bad_links_on_listings_feeds_and_sitemaps() -> None:
    from scrapy.http import HtmlResponse, XmlResponse

    spider, stats = _spider()
    listing = (  # kinhtedothi's 2025 listing markup and its 2016 pager
        '<div class="list-article"><h3 class="article-title"><a href="javascript:void(0)">x</a></h3>'
        '<h3 class="article-title"><a href="/a.html?PHPSESSID=1">x</a></h3>'
        '<h3 class="article-title"><a href="tel:0243">x</a></h3></div>'
        '<div class="paging"><a class="active">1</a><a href="/tin-tuc?page=2&amp;sid=9">2</a></div>'
    )
    response = HtmlResponse("https://kinhtedothi.vn/tin-tuc", body=listing.encode(), encoding="utf-8")
    assert [r.url for r in spider.parse_listing(response, page=1)] == [
        "https://kinhtedothi.vn/a.html", "https://kinhtedothi.vn/tin-tuc?page=2",
    ]
    feed = b"<rss><channel><item><link>mailto:x@y.vn</link></item><item><link> /b.html </link></item></channel></rss>"
    response = XmlResponse("https://kinhtedothi.vn/rss/home.rss", body=feed)
    assert [r.url for r in spider.parse_feed(response)] == ["https://kinhtedothi.vn/b.html"]
    sitemap = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://[::1</loc></url>'
               b"<url><loc>https://kinhtedothi.vn/c.html;jsessionid=AB</loc></url></urlset>")
    response = XmlResponse("https://kinhtedothi.vn/sitemap.xml", body=sitemap)
    assert [r.url for r in spider.parse_sitemap(response)] == ["https://kinhtedothi.vn/c.html"]
    assert stats.get_value("pages/skipped/bad_link") == 4


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_incremental_middleware_passes_on_a_page_s_output_before_a_callback_failure(tmp_path: object, mode: str) -> None:
    import asyncio
    from collections.abc import AsyncIterator, Iterator

    from scrapy.http import HtmlResponse, Request
    from scrapy.utils.test import get_crawler

    from crawler.middlewares.incremental import IncrementalSpiderMiddleware
    from crawler.sites import SITES
    from crawler.spiders.base import spider_class_for

    spider_class = spider_class_for(SITES["kinhtedothi"])
    crawler = get_crawler(spider_class, {"CRAWLER_DB_PATH": str(tmp_path / "mw.db")})  # type: ignore[operator]
    crawler.spider = spider_class.from_crawler(crawler)
    middleware = IncrementalSpiderMiddleware.from_crawler(crawler)
    page = "https://kinhtedothi.vn/tin-tuc"
    listing = HtmlResponse(page, body=b"<html></html>", request=Request(page, meta={"kind": "listing"}))
    links = ["https://kinhtedothi.vn/a.html", "https://kinhtedothi.vn/b.html"]

    def output() -> Iterator[Request]:
        for link in links:
            yield Request(link, meta={"kind": "article"})
        raise ValueError("a bug half-way through the page")

    async def output_async() -> AsyncIterator[Request]:
        for request in output():
            yield request

    passed: list[str] = []
    with pytest.raises(ValueError, match="half-way"):
        if mode == "sync":
            passed.extend(entry.url for entry in middleware.process_spider_output(listing, output()))
        else:
            async def run() -> None:
                async for entry in middleware.process_spider_output_async(listing, output_async()):
                    passed.append(entry.url)

            asyncio.run(run())
    assert passed == links
