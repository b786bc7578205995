"""The generic reader's parts on small hand-written pages, the per-field merge with a site's selectors, and the
store keeping which fields fell back."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings

from crawler.extraction import Skipped
from crawler.extraction.blocks import page_blocks
from crawler.extraction.body_run import find_body_run
from crawler.extraction.boilerplate import is_section_heading, is_tool_line
from crawler.extraction.date_line import find_date_line
from crawler.extraction.headline import PageTitles
from crawler.items import ArticleItem
from crawler.parsing.dates import VN_TZ
from crawler.pipeline_chain import item_for_page
from crawler.sites import SITES
from crawler.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FETCHED = datetime(2025, 7, 21, 9, 30, tzinfo=VN_TZ)
LEAD = "Chiều 3/10, Ban Chấp hành Đảng bộ phường tổ chức hội nghị thường kỳ, đánh giá kết quả chín tháng và bàn nhiệm vụ quý IV."


def read(html: str, url: str = "https://x.example.vn/bai-viet.html", site: str | None = None) -> ArticleItem | Skipped:
    response = HtmlResponse(url=url, body=html.encode("utf-8"), encoding="utf-8")
    return item_for_page(response, SITES[site] if site else None, FETCHED, get_project_settings(), site_name="x.example.vn")


def test_one_line_page_is_an_article() -> None:
    """The wrapper the real-world set is scored in: the only line is both headline and body."""
    line = "Đảng ủy xã họp phiên thường kỳ tháng 9 bàn công tác thu hoạch lúa mùa"
    page = f"<html><head><title>{line}</title></head><body><article><h1>{line}</h1><p>{line}</p></article></body></html>"
    item = read(page)
    assert isinstance(item, ArticleItem)
    assert item.title == line and item.body == line


def test_date_in_the_lead_is_not_a_publish_date() -> None:
    page = f"<html><body><h1>Hội nghị Đảng ủy phường</h1><p>Sáng ngày 17/9/2015, {LEAD}</p></body></html>"
    item = read(page)
    assert isinstance(item, ArticleItem)
    assert item.published_at is None and item.published_at_source is None


@pytest.mark.parametrize(
    ("line", "published", "views"),
    [
        ("Ngày đăng 05/10/2020 | 14:51", "2020-10-05T14:51:00+07:00", None),
        ("Publish date 03/03/2020 | 14:00 | View count: 490", "2020-03-03T14:00:00+07:00", 490),
        ("Đăng ngày 24 - 02 - 2020", "2020-02-24", None),
        ("05/01/2021 10:13 | 0", "2021-01-05T10:13:00+07:00", 0),
        ("Thứ hai, 05/10/2020 - 14:51", "2020-10-05T14:51:00+07:00", None),
        ("14:51 | 05/10/2020", "2020-10-05T14:51:00+07:00", None),
        ("05/10/2020 14:51 (GMT+07:00)", "2020-10-05T14:51:00+07:00", None),
        ("Cập nhật: 08:30 - 05/10/2020 | Lượt truy cập: 1.234", "2020-10-05T08:30:00+07:00", 1234),
        ("21:08 20/07/2025", "2025-07-20T21:08:00+07:00", None),
        ("05/10/2020 14:51 · 1,2K lượt xem", "2020-10-05T14:51:00+07:00", 1200),
        ("Thứ Hai, ngày 05 tháng 10 năm 2020 | Lượt xem: 1,5 triệu", "2020-10-05", 1_500_000),
        ("2 giờ trước", "2025-07-21T07:30:00+07:00", None),
        ("15 tháng trước | 1.234 lượt xem", None, 1234),
    ],
)
def test_date_and_view_lines(line: str, published: str | None, views: int | None) -> None:
    page = (
        "<html><head><title>Cổng thông tin điện tử phường</title></head><body>"
        "<h1>CỔNG THÔNG TIN ĐIỆN TỬ PHƯỜNG</h1>"
        f"<div>Đảng ủy phường họp phiên thường kỳ</div><div>{line}</div><div><p>{LEAD}</p></div></body></html>"
    )
    item = read(page)
    assert isinstance(item, ArticleItem)
    assert item.title == "Đảng ủy phường họp phiên thường kỳ"
    assert (item.published_at, item.view_count) == (published, views)
    assert item.body == LEAD


def test_dateline_above_the_headline_is_not_a_publish_date() -> None:
    page = (
        "<html><body><div>Hà Nội, ngày 01-08-2021</div><h2>Quận ủy họp phiên thường kỳ tháng 7</h2>"
        f"<p>{LEAD}</p></body></html>"
    )
    item = read(page)
    assert isinstance(item, ArticleItem) and item.published_at is None


def test_body_run_leaves_out_related_lists_tools_and_footer() -> None:
    page = (
        "<html><body><div class='menu'><a href='/a'>Trang chủ</a><a href='/b'>Tin tức</a></div>"
        "<h1>Tiêu đề bài viết về hội nghị</h1><div class='noi-dung'>"
        f"<p>{LEAD}</p><p>Hội nghị thống nhất các giải pháp trọng tâm cho những tháng cuối năm, giao từng đồng chí ủy viên phụ trách.</p>"
        "<p>In bài viết | Gửi email</p><h3>Tin cùng chuyên mục</h3>"
        "<p>Đoạn này thuộc một tin khác và không phải là nội dung của bài viết đang đọc.</p></div>"
        "<p>Bản quyền thuộc Ủy ban nhân dân phường</p></body></html>"
    )
    blocks = page_blocks(Selector(text=page).root)
    run = find_body_run(blocks)
    assert run is not None
    assert [b.text for b in blocks[run.start : run.end + 1]][0] == LEAD
    assert blocks[run.end].text.startswith("Hội nghị thống nhất")


@pytest.mark.parametrize("text", ["Tin cùng chuyên mục", "CÁC TIN KHÁC", "Tin liên quan:", "Đọc nhiều", "Bài viết liên quan", "Có thể bạn quan tâm", "Từ khóa:"])
def test_section_headings(text: str) -> None:
    assert is_section_heading(text)


def test_tool_lines_and_ordinary_text() -> None:
    assert is_tool_line("In bài viết | Gửi email | Chia sẻ")
    assert not is_tool_line("Hội nghị Ban Chấp hành")
    assert not is_section_heading("Tin tức hoạt động của Ban Chấp hành Đảng bộ quận trong tuần qua được đăng tải")


def test_title_parts_naming_the_portal() -> None:
    titles = PageTitles.read("Huyện ủy họp phiên thường kỳ - Cổng thông tin điện tử huyện Mỹ Đức", None, None, None)
    assert titles.headlines[0] == "Huyện ủy họp phiên thường kỳ" and titles.bare_title is None
    assert "Cổng thông tin điện tử huyện Mỹ Đức" in titles.site_names
    assert PageTitles.read("UBND huyện Mỹ Đức", None, None, None).site_names == ("UBND huyện Mỹ Đức",)


def test_date_line_is_looked_for_between_headline_and_body() -> None:
    page = f"<html><body><h1>Tiêu đề</h1><div>Ngày đăng 05/10/2020</div><p>{LEAD}</p><p>Tin khác (06/10/2020)</p></body></html>"
    blocks = page_blocks(Selector(text=page).root)
    line = find_date_line(blocks, 0, 2, 2)
    assert line.date_text == "Ngày đăng 05/10/2020" and line.indices == (1,)


def _seed_without(class_name: str) -> str:
    html = (FIXTURES / "thanhxuan" / "2019" / "seed-000-copy.html").read_text(encoding="utf-8")
    assert f'class="{class_name}"' in html
    return html.replace(f'class="{class_name}"', 'class="ngay-dang"')


def test_site_selectors_missing_a_field_are_filled_by_the_generic_reader() -> None:
    """The platform's date/view selector misses (a redesign renamed its class): the generic reader finds the
    line, and the item says which fields it supplied."""
    url = json.loads((FIXTURES / "thanhxuan" / "2019" / "seed-000-copy.json").read_text(encoding="utf-8"))["url"]
    item = read(_seed_without("date-view"), url=url, site="thanhxuan")
    assert isinstance(item, ArticleItem)
    assert item.extraction == "site"
    assert item.published_at == "2024-10-04T09:30:00+07:00" and item.view_count == 66
    assert item.fallback_fields == ["published_at", "view_count"]


def test_site_selectors_that_read_everything_record_no_fallback() -> None:
    url = json.loads((FIXTURES / "thanhxuan" / "2019" / "seed-000-copy.json").read_text(encoding="utf-8"))["url"]
    html = (FIXTURES / "thanhxuan" / "2019" / "seed-000-copy.html").read_text(encoding="utf-8")
    item = read(html, url=url, site="thanhxuan")
    assert isinstance(item, ArticleItem) and item.extraction == "site" and item.fallback_fields == []


def test_relative_stamp_resolves_against_fetch_time_not_the_clock() -> None:
    page = f"<html><body><h1>Đảng ủy phường họp phiên thường kỳ</h1><div>hôm qua 14:30</div><p>{LEAD}</p></body></html>"
    item = read(page)
    assert isinstance(item, ArticleItem)
    assert item.published_at == "2025-07-20T14:30:00+07:00"
    assert item.published_at_source == "relative label" and item.crawled_at == "2025-07-21T09:30:00+07:00"


def test_store_keeps_fallback_fields(tmp_path: Path) -> None:
    page = f"<html><body><h1>Đảng ủy phường họp phiên thường kỳ</h1><div>Ngày đăng 05/10/2020</div><p>{LEAD}</p></body></html>"
    item = read(page)
    assert isinstance(item, ArticleItem)
    store = Store(tmp_path / "c.db")
    store.save(item)
    row = store.articles.get(item.url)
    assert row is not None and json.loads(row["fallback_fields"]) == item.fallback_fields
    assert "published_at" in item.fallback_fields and "body" in item.fallback_fields
    exported = json.loads(next(store.articles.iter_record_lines()))
    assert exported["fallback_fields"] == item.fallback_fields


def test_listing_with_headline_and_teaser_in_one_block_is_not_an_article() -> None:
    items = "".join(
        f'<li><a href="/tin/{i}.html">Tiêu đề bài viết số {i} về hoạt động của phường</a> Tóm tắt bài viết số {i}, '
        f"về việc triển khai nhiệm vụ trong tháng và kết quả của các tổ dân phố. <span>0{i}/10/2020</span></li>"
        for i in range(1, 6)
    )
    result = read(f"<html><head><title>Tin tức</title></head><body><h1>Tin tức</h1><ul>{items}</ul></body></html>")
    assert isinstance(result, Skipped) and result.reason == "non_article"


def test_date_line_below_the_body() -> None:
    page = (
        f"<html><body><h2>Đảng ủy phường họp phiên thường kỳ</h2><p>{LEAD}</p>"
        "<div class='info'>Ngày đăng: 05/10/2020 | Lượt xem: 12</div>"
        "<div class='related'><a href='/a'>Một tin khác của phường trong tuần</a> (06/10/2020)</div></body></html>"
    )
    item = read(page)
    assert isinstance(item, ArticleItem)
    assert (item.published_at, item.view_count, item.body) == ("2020-10-05", 12, LEAD)


def test_headline_linking_to_its_own_page() -> None:
    url = "https://x.example.vn/tin-tuc/dang-uy-phuong-hop.html"
    page = (
        "<html><head><title>Trang chủ</title></head><body><div class='menu'><a href='/'>Trang chủ</a></div>"
        f"<h2><a href='/tin-tuc/dang-uy-phuong-hop.html'>Đảng ủy phường họp phiên thường kỳ</a></h2>"
        f"<div>05/10/2020</div><p>{LEAD}</p></body></html>"
    )
    item = read(page, url=url)
    assert isinstance(item, ArticleItem) and item.title == "Đảng ủy phường họp phiên thường kỳ"


def test_view_line_above_the_date_line_is_kept() -> None:
    page = (
        "<html><body><h1>Đảng ủy phường họp phiên thường kỳ</h1><div>Lượt xem: 66</div>"
        f"<div>Đăng ngày 28 - 10 - 2019</div><p>{LEAD}</p></body></html>"
    )
    item = read(page)
    assert isinstance(item, ArticleItem) and (item.published_at, item.view_count) == ("2019-10-28", 66)


def test_text_box_next_to_the_article_is_not_body() -> None:
    """A sidebar box of plain text right after the article container, with nothing link-heavy between."""
    second = "Hội nghị thống nhất các giải pháp trọng tâm cho những tháng cuối năm, giao từng đồng chí ủy viên phụ trách địa bàn."
    page = (
        "<html><body><div class='wrap'><div class='article'><h1>Đảng ủy phường họp phiên thường kỳ</h1>"
        f"<div class='content'><p>{LEAD}</p><p>{second}</p><p>{LEAD} {second}</p><p>{second} {LEAD}</p><p>{LEAD}</p></div></div>"
        "<div class='box'><p>Phường có diện tích 1,2 km2, dân số khoảng 25 nghìn người, gồm 12 tổ dân phố.</p></div></div>"
        "</body></html>"
    )
    item = read(page)
    assert isinstance(item, ArticleItem)
    assert item.body == f"{LEAD}\n\n{second}\n\n{LEAD} {second}\n\n{second} {LEAD}\n\n{LEAD}"


def test_stand_first_above_the_date_line_stays_in_the_body() -> None:
    sapo = "Hội nghị thống nhất các giải pháp trọng tâm để hoàn thành kế hoạch năm, trong đó ưu tiên chỉnh trang đô thị."
    page = (
        "<html><body><div class='menu'><a href='/'>Trang chủ</a></div><h1>Đảng ủy phường họp phiên thường kỳ</h1>"
        f"<p><b>{sapo}</b></p><div>Ngày đăng 05/10/2020 | 14:51</div><p>{LEAD}</p></body></html>"
    )
    item = read(page)
    assert isinstance(item, ArticleItem)
    assert item.title == "Đảng ủy phường họp phiên thường kỳ" and item.published_at == "2020-10-05T14:51:00+07:00"
    assert item.body == f"{sapo}\n\n{LEAD}"


def test_text_box_above_the_headline_is_not_body() -> None:
    intro = "Phường nằm ở phía đông thành phố, có diện tích 1,2 km2, dân số khoảng 25 nghìn người, gồm 12 tổ dân phố."
    page = (
        f"<html><body><div class='col'><div class='box'><p>{intro}</p></div></div><div class='main'>"
        f"<h1>Đảng ủy phường họp phiên thường kỳ</h1><div>Ngày đăng 05/10/2020</div><p>{LEAD}</p></div></body></html>"
    )
    item = read(page)
    assert isinstance(item, ArticleItem)
    assert (item.title, item.published_at, item.body) == ("Đảng ủy phường họp phiên thường kỳ", "2020-10-05", LEAD)


def test_bare_title_naming_the_portal_does_not_beat_the_headline_slot() -> None:
    """<title> and the only <h1> both hold the portal's name (no suffix to strip); the headline is a plain div
    right above the date line."""
    page = (
        "<html><head><title>Huyện Mẫu Sơn</title></head><body><div><h1>Huyện Mẫu Sơn</h1></div>"
        "<div><a href='/'>Trang chủ</a> <a href='/tin'>Tin tức</a></div>"
        f"<div>Đảng ủy phường họp phiên thường kỳ</div><div>05/10/2020 14:51</div><p>{LEAD}</p></body></html>"
    )
    item = read(page)
    assert isinstance(item, ArticleItem) and item.title == "Đảng ủy phường họp phiên thường kỳ"


def test_short_article_followed_by_related_teasers_is_one_article() -> None:
    teasers = "".join(
        f"<div><a href='/tin/{i}.html'>Một tin liên quan số {i} của phường trong tuần</a></div>"
        f"<div>Tóm tắt tin liên quan số {i}, kể về một hoạt động khác của phường trong tuần qua.</div>"
        for i in (1, 2)
    )
    page = (
        f"<html><body><h1>Đảng ủy phường họp phiên thường kỳ</h1><div>Ngày đăng 05/10/2020</div>"
        f"<p>{LEAD}</p>{teasers}</body></html>"
    )
    item = read(page)
    assert isinstance(item, ArticleItem) and item.body == LEAD
