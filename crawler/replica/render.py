"""Render replica sites from content files into the HTML each real site family serves.

Pages are rendered once into `{path: Page}`; links are root-relative under `/<site>`, and absolute URLs
(canonical, og:url, JSON-LD, RSS, sitemap) carry the `ORIGIN` placeholder the server replaces with the address
it is reached at, so the same pages work on any port. The markup, the noise blocks and the labels follow what
the seed captures show for each family; nothing in the crawler reads this module.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CONTENT_DIR = Path(__file__).parent / "content"
ORIGIN = "__REPLICA_ORIGIN__"
PAGE_SIZE = 10

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
#: Platform and layout of each replica site; `label` is the date-line style of a Hanoi portal.
FAMILIES: dict[str, dict[str, str]] = {
    "kinhtedothi": {"family": "kinhtedothi"},
    "thanhxuan": {"family": "hanoi_portal", "label": "publish", "portal": "Quận Thanh Xuân"},
    "badinh": {"family": "hanoi_portal", "label": "ngay_dang", "portal": "Quận Ba Đình"},
    "lechan": {"family": "haiphong_portal", "portal": "Quận Lê Chân"},
    "caugiay": {"family": "hanoi_portal", "label": "publish", "portal": "Quận Cầu Giấy", "js_listing": "1"},
    "duongnoi": {"family": "hanoi_ward", "portal": "Phường Dương Nội", "section": "dang-doan-the"},
    "thanhuyhanoi": {"family": "thanhuy"},
}


@dataclass
class Page:
    body: str
    content_type: str = "text/html; charset=utf-8"
    status: int = 200


@dataclass
class Article:
    site: str
    slug: str
    title: str
    category: str
    published: datetime | None
    views: int | None
    lead: str | None
    blocks: list[dict[str, str]]
    author: str | None
    tags: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, site: str, data: dict[str, Any]) -> Article:
        published = datetime.strptime(data["published"], "%Y-%m-%d %H:%M") if data.get("published") else None
        return cls(
            site=site,
            slug=data["slug"],
            title=data["title"],
            category=data.get("category") or "Tin tức",
            published=published,
            views=data.get("views"),
            lead=data.get("lead"),
            blocks=data["blocks"],
            author=data.get("author"),
            tags=data.get("tags") or [],
            raw=data,
        )


def load_articles(site: str, content_dir: Path = CONTENT_DIR) -> list[Article]:
    """A site's articles, newest first (undated last), from every `<site>.*.json` content file."""
    articles: list[Article] = []
    for path in sorted(content_dir.glob(f"{site}.*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        articles.extend(Article.from_json(site, a) for a in data["articles"])
    return sorted(articles, key=lambda a: (a.published is None, -(a.published.timestamp() if a.published else 0), a.slug))


def article_id(article: Article) -> int:
    """The numeric id real URLs carry: the content file's `id`, else a stable number from the slug."""
    return int(article.raw.get("id") or 100_000 + zlib.crc32(f"{article.site}/{article.slug}".encode()) % 900_000)


def article_path(article: Article) -> str:
    """Each family's real URL scheme (see the evidence notes above each family's renderer)."""
    family, site, slug = FAMILIES[article.site]["family"], article.site, article.slug
    if family == "kinhtedothi":
        return f"/{site}/{slug}.{article_id(article)}.html" if kdt_design(article) == "2025" else f"/{site}/{slug}-{article_id(article)}.html"
    if family == "hanoi_portal":
        return f"/{site}/tin-tuc-su-kien/-/view_content/{article_id(article)}-{slug}.html"
    if family == "hanoi_ward":
        return f"/{site}/{FAMILIES[site]['section']}/-/view_content/{article_id(article)}-{slug}.html"
    if family == "thanhuy":
        return f"/{site}/tin-tuc/{article.raw.get('section', 'thoi-su')}/{slug}-{50_000_000 + article_id(article)}.html"
    if article.published is not None and article.published.year < 2024:  # 2023-era: Title-Case slug + .html
        return f"/{site}/tin-tuc-su-kien/{slug.title()}-{article_id(article)}.html"
    return f"/{site}/tin-tuc-su-kien/{slug}-{article_id(article)}"


def _e(text: str | None) -> str:
    return escape(text or "", quote=True)


def _pages(items: list[Article]) -> list[list[Article]]:
    return [items[i : i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]


# --- kinhtedothi.vn -----------------------------------------------------------------------------------
#
# Evidence followed (public scrapers of kinhtedothi.vn and the notes; no page text copied):
# - up to 2020: body `#cotent_detail`, lead `.sapo_detail`, date `.time_detail_news` as "08-11-2020 15:11",
#   author `span.name_author`, tags `.tag_detail a`, title `h1.title_detail_news`, listing links `.pkg h2 > a`;
# - 2021-2024: body `div[itemprop=articleBody]`, author `span.detail__author`, lead "Kinhtedothi - ...", and a
#   category JSON endpoint `/api/category/<id>/paging/<n>` with keys Title, Sapo, PublishedDate, Url, CatName;
# - since spring 2025: article URLs `/<slug>.<id>.html`, `h1.article-title`, `div.article-published-on`
#   ("<weekday>, HH:MM dd/mm/yyyy"), og:title and article:published_time, `/sitemap.xml`, a "Xem thêm" button
#   on category listings, and an RSS feed that answered with zero items in 2026.
# Assumed (no public evidence found): the 2021-2024 title/sapo/date classes (`detail__*`), the 2025 body, lead,
# author and listing classes (`article-content`, `article-sapo`, `article-author`, `list-article`), the photo
# markup of each design, the pre-2025 URL form `/<slug>-<id>.html`, and the day each design began
# (2021-01-01, 2025-04-01). All designs are served at once, as the real archive does: today's listing, its
# JSON "Xem thêm" pages and the sitemap link to pages of every design.

KDT_CATEGORY_ID = "1212092406"
_KDT_2021 = datetime(2021, 1, 1)
_KDT_2025 = datetime(2025, 4, 1)

_KDT_DONT_MISS = [
    ("Hà Nội: triển khai khen thưởng chủ tịch Công đoàn cơ sở xuất sắc trong công tác đối thoại, thương lượng tập thể",
     "10 Jan, 03:32 PM",
     "Ban Thường vụ Liên đoàn Lao động (LĐLĐ) TP Hà Nội đề nghị Công đoàn các xã, phường gửi hồ sơ đề nghị xem xét tuyên dương chủ tịch Công đoàn cơ sở xuất sắc."),
    ("Rút ngắn thời gian giải quyết nhiều thủ tục hành chính thuộc phạm vi quản lý của Bộ Khoa học và Công nghệ",
     "10 Jan, 02:52 PM",
     "Phó Thủ tướng ký Quyết định sửa đổi, bổ sung một số điều của các Quyết định để cắt giảm, đơn giản hóa thủ tục hành chính."),
    ("Phường Bạch Mai: phát huy hiệu quả công trình Nhà trưng bày Anh hùng LLVTND Võ Thị Sáu",
     "10 Jan, 01:16 PM",
     "Phường xác định công tác quản lý, vận hành và phát huy hiệu quả công trình là nhiệm vụ thường xuyên, lâu dài."),
]


def kdt_design(article: Article) -> str:
    """The design a kinhtedothi page is served in: that of its publish date (undated pages: today's)."""
    if article.published is None or article.published >= _KDT_2025:
        return "2025"
    return "2021" if article.published >= _KDT_2021 else "2016"


def _kdt_shell(title: str, head: str, main: str, design: str = "2025") -> str:
    menu = "".join(
        f'<li><a href="/kinhtedothi/{slug}">{name}</a></li>'
        for slug, name in (("chinh-tri", "Chính trị"), ("tin-tuc", "Thời sự"), ("kinh-te", "Kinh tế"), ("do-thi", "Đô thị"))
    )
    header_class = "header_old pkg" if design == "2016" else "site-header"
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
{head}
</head>
<body>
<div class="top-banner"><a href="/kinhtedothi/tag/dai-hoi-xiv">Đại hội đại biểu toàn quốc lần thứ XIV</a></div>
<header class="{header_class}">
  <a class="logo" href="/kinhtedothi/"><img src="/kinhtedothi/static/logo.png" alt="Logo"></a>
  <div class="user-links"><a href="/kinhtedothi/goi-an-pham">Đăng ký mua gói ấn phẩm</a>|<a href="/kinhtedothi/dang-nhap">Đăng nhập</a></div>
  <nav class="main-menu"><ul>{menu}</ul></nav>
</header>
<main class="main-content">
{main}
</main>
<footer class="site-footer"><p>Báo Kinh tế &amp; Đô thị - Cơ quan của UBND TP Hà Nội</p><p>Tin mới</p><p>VIDEO</p><p>Tin Tài Trợ</p></footer>
</body>
</html>"""


def _kdt_blocks(article: Article, design: str) -> str:
    parts: list[str] = []
    for index, block in enumerate(article.blocks):
        if block["type"] == "p":
            parts.append(f"<p>{_e(block['text'])}</p>")
        elif block["type"] == "h":
            parts.append(f"<h2>{_e(block['text'])}</h2>")
        elif block["type"] == "img":
            src = f"/kinhtedothi/images/{article.slug}-{index}.jpg"
            if design == "2016":
                parts.append(f'<div class="img_detail"><center><img src="{src}" alt=""></center><p class="img_caption"><em>{_e(block["text"])}</em></p></div>')
            else:
                photo = "article-photo" if design == "2025" else "detail__photo"
                parts.append(f'<figure class="{photo}"><img src="{src}" alt="{_e(block["text"])}"><figcaption>{_e(block["text"])}</figcaption></figure>')
    for related in article.raw.get("inline_related", []):
        # The seed shows the related box's title twice: once as the thumbnail's alt text, once as the link.
        parts.append(
            f'<div class="box-related-inline"><a href="/kinhtedothi/tag/van-hoa"><span class="thumb-title">{_e(related)}</span></a>'
            f'<h4><a href="/kinhtedothi/tag/van-hoa">{_e(related)}</a></h4></div>'
        )
    return "\n".join(parts)


def _kdt_head(article: Article, structured: bool) -> str:
    """Open Graph in every design; article:published_time and JSON-LD only where `structured` (2021 on)."""
    url = f"{ORIGIN}{article_path(article)}"
    iso = article.published.strftime("%Y-%m-%dT%H:%M:00+07:00") if article.published else ""
    description = article.lead or (article.blocks[0]["text"] if article.blocks else "")
    head = f"""<meta name="description" content="{_e(description)}">
<meta name="keywords" content="{_e(', '.join(article.tags))}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="Báo Kinh tế &amp; Đô thị">
<meta property="og:title" content="{_e(article.title)}">
<meta property="og:description" content="{_e(description)}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="{ORIGIN}/kinhtedothi/images/{article.slug}-0.jpg">
<link rel="canonical" href="{url}">"""
    if not structured:
        return head
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": description,
        "datePublished": iso,
        "dateModified": iso,
        "articleSection": article.category,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "image": [f"{ORIGIN}/kinhtedothi/images/{article.slug}-0.jpg"],
        "author": {"@type": "Person", "name": article.author} if article.author else None,
        "publisher": {"@type": "Organization", "name": "Báo Kinh tế & Đô thị", "logo": {"@type": "ImageObject", "url": f"{ORIGIN}/kinhtedothi/static/logo.png"}},
        "keywords": article.tags,
    }
    breadcrumb = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Trang chủ", "item": f"{ORIGIN}/kinhtedothi/"},
            {"@type": "ListItem", "position": 2, "name": article.category, "item": f"{ORIGIN}/kinhtedothi/tin-tuc"},
        ],
    }
    return head + f"""
<meta property="article:section" content="{_e(article.category)}">
{f'<meta property="article:published_time" content="{iso}">' if iso else ''}
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<script type="application/ld+json">{json.dumps(breadcrumb, ensure_ascii=False)}</script>"""


def _kdt_aside(others: list[Article]) -> str:
    most_read = "".join(f'<li><a href="{article_path(o)}">{_e(o.title)}</a></li>' for o in others[:5])
    dont_miss = "".join(
        f'<article class="story"><a class="story__thumb" href="/kinhtedothi/tin-khac-{n}.html"><img alt="{_e(t)}" src="/kinhtedothi/images/dm-{n}.jpg"></a>'
        f'<h3 class="story__heading"><a href="/kinhtedothi/tin-khac-{n}.html">{_e(t)}</a></h3><time>{_e(s)}</time>'
        f'<p class="story__lead">Kinhtedothi - {_e(lead)}</p></article>'
        for n, (t, s, lead) in enumerate(_KDT_DONT_MISS)
    )
    return f"""<aside class="most-read"><h3>Đọc nhiều</h3><ul>{most_read}</ul></aside>
<div class="smart-qa"><h3>HỎI ĐÁP THÔNG MINH</h3></div>
<div class="reactions"><h4>CẢM NHẬN CỦA BẠN VỀ BÀI VIẾT NÀY</h4><ul><li>Rất hay</li><li>Thích</li><li>Giải trí</li><li>Cần cải thiện</li></ul></div>
<div class="comments"><h4>BÌNH LUẬN (0)</h4></div>
<section class="dont-miss"><h3>Đừng bỏ lỡ</h3>{dont_miss}</section>"""


def render_kinhtedothi_article(article: Article, others: list[Article]) -> str:
    design = kdt_design(article)
    published = article.published
    tags = "".join(f'<a href="/kinhtedothi/tag/{n}">{_e(t)}</a>' for n, t in enumerate(article.tags))
    blocks = _kdt_blocks(article, design)
    if design == "2016":
        stamp = f'<div class="time_detail_news f11 fl">{published:%d-%m-%Y %H:%M}</div>' if published else ""
        author = f'<span class="name_author">{_e(article.author)}</span>' if article.author else ""
        main = f"""<div class="pkg detail_news">
  <div class="breadcrumb_detail"><a href="/kinhtedothi/">Trang chủ</a> » <a href="/kinhtedothi/chinh-tri">{_e(article.category)}</a></div>
  <h1 class="title_detail_news">{_e(article.title)}</h1>
  {stamp}
  <div class="sapo_detail fr">Kinhtedothi - {_e(article.lead)}</div>
  <div id="cotent_detail" class="pkg">
{blocks}
  </div>
  <div class="author_detail">{author}</div>
  <div class="tag_detail mar_bottom15">{tags}</div>
</div>
<div class="pkg tin_lien_quan"><h3>Tin liên quan</h3>{''.join(f'<h4><a href="{article_path(o)}">{_e(o.title)}</a></h4>' for o in others[:3])}</div>"""
        return _kdt_shell(article.title, _kdt_head(article, structured=False), main, design)
    if design == "2021":
        stamp = f'<time datetime="{published:%Y-%m-%dT%H:%M:00+07:00}">{WEEKDAYS[published.weekday()]}, {published:%d/%m/%Y %H:%M}</time>' if published else ""
        author = f'<span class="detail__author">{_e(article.author)}</span>' if article.author else ""
        main = f"""<article class="detail">
  <div class="detail__breadcrumb"><a href="/kinhtedothi/">Trang chủ</a> <a href="/kinhtedothi/tin-tuc">{_e(article.category)}</a></div>
  <h1 class="detail__title">{_e(article.title)}</h1>
  <div class="detail__meta">{stamp}</div>
  <h2 class="detail__sapo">Kinhtedothi - {_e(article.lead)}</h2>
  <div class="detail__content" itemprop="articleBody">
{blocks}
  </div>
  {author}
  <div class="detail__tags">{tags}</div>
</article>
{_kdt_aside(others)}"""
        return _kdt_shell(article.title, _kdt_head(article, structured=True), main, design)
    stamp = f'<div class="article-published-on">{WEEKDAYS[published.weekday()]}, {published:%H:%M %d/%m/%Y}</div>' if published else ""
    author = f'<div class="article-author">{_e(article.author)}</div>' if article.author else ""
    main = f"""<div class="article-detail">
  <ul class="breadcrumb"><li><a href="/kinhtedothi/">Trang chủ</a></li><li><a href="/kinhtedothi/chinh-tri">{_e(article.category)}</a></li></ul>
  <h1 class="article-title">{_e(article.title)}</h1>
  {stamp}
  <div class="article-sapo">Kinhtedothi - {_e(article.lead)}</div>
  <div class="article-content">
{blocks}
  </div>
  {author}
  <div class="article-tags">{tags}</div>
</div>
{_kdt_aside(others)}"""
    return _kdt_shell(article.title, _kdt_head(article, structured=True), main, design)


def _kdt_json_entry(article: Article) -> dict[str, Any]:
    return {
        "Title": article.title,
        "Sapo": f"Kinhtedothi - {article.lead or ''}",
        "PublishedDate": article.published.strftime("%Y-%m-%dT%H:%M:00") if article.published else None,
        "Url": article_path(article),
        "CatName": article.category,
    }


def render_kinhtedothi_listing(items: list[Article], extra_links: list[str]) -> str:
    """Today's category page: the newest stories and a "Xem thêm" button that loads the JSON pages."""
    stories = "".join(
        f'<div class="article-item"><a class="article-thumb" href="{article_path(a)}"><img alt="{_e(a.title)}" src="/kinhtedothi/images/{a.slug}-0.jpg"></a>'
        f'<h3 class="article-title"><a href="{article_path(a)}">{_e(a.title)}</a></h3>'
        f'<p class="article-sapo">{_e(a.lead)}</p></div>'
        for a in items
    )
    stories += "".join(f'<div class="article-item"><h3 class="article-title"><a href="{href}">Bài viết đã gỡ</a></h3></div>' for href in extra_links)
    more = f"/kinhtedothi/api/category/{KDT_CATEGORY_ID}/paging/2"
    head = '<meta property="og:type" content="website"><meta property="og:title" content="Thời sự - Kinh tế &amp; Đô thị">'
    main = (f'<h1 class="category-name">Thời sự</h1><div class="box-category"><div class="list-article">{stories}</div>'
            f'<button class="btn-view-more" type="button" data-url="{more}">Xem thêm</button></div>'
            '<script>/* "Xem thêm" fetches the next JSON page and appends its stories */</script>')
    return _kdt_shell("Thời sự - Kinh tế & Đô thị", head, main)


def render_kinhtedothi_archive_listing(items: list[Article], page: int, pages: int) -> str:
    """A category page of the pre-2021 design (`/chinh-tri/tin-tuc/`): `.pkg h2 > a` links, a `.paging` bar whose
    active page is followed by the next. Whether the live site still serves these is unknown, so the site's
    definition does not start from it; it is here to keep the 2016 version's listing selectors honest."""
    stories = "".join(
        f'<div class="pkg list_news"><h2><a href="{article_path(a)}">{_e(a.title)}</a></h2><p class="sapo">{_e(a.lead)}</p></div>'
        for a in items
    )
    paging = "".join(
        f'<a class="active" href="/kinhtedothi/chinh-tri/tin-tuc/p{n}">{n}</a>' if n == page
        else f'<a href="/kinhtedothi/chinh-tri/tin-tuc/p{n}">{n}</a>'
        for n in range(1, pages + 1)
    )
    main = f'<div class="pkg cate_news"><h1>Chính trị - Tin tức</h1>{stories}</div><div class="paging">{paging}</div>'
    return _kdt_shell("Chính trị - Tin tức", '<meta property="og:type" content="website">', main, "2016")


def render_kinhtedothi_tag(tag: str, items: list[Article]) -> str:
    stories = "".join(
        f'<div class="tag-item"><h3><a href="{article_path(a)}">{_e(a.title)}</a></h3><p>{_e(a.lead)}</p></div>' for a in items
    )
    head = '<meta property="og:type" content="website">'
    return _kdt_shell(f"Tag: {tag}", head, f'<h1 class="tag-title">{_e(tag)}</h1><div class="tag-news">{stories}</div>')


def render_kinhtedothi_site(site: str, articles: list[Article]) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    listed = [a for a in articles if a.published] + [a for a in articles if not a.published]
    listing = Page(render_kinhtedothi_listing(listed[:PAGE_SIZE], []))
    pages[f"/{site}/tin-tuc"] = pages[f"/{site}/chinh-tri"] = listing
    json_pages = _pages(listed)
    for number in range(1, len(json_pages) + 2):  # one more page than there are stories: an empty list ends it
        entries = [_kdt_json_entry(a) for a in json_pages[number - 1]] if number <= len(json_pages) else []
        if number == 2:
            entries += [{"Title": "Bài viết đã gỡ", "Sapo": "", "PublishedDate": None, "Url": href, "CatName": ""}
                        for href in BROKEN_LINKS.get(site, [])]
        pages[f"/{site}/api/category/{KDT_CATEGORY_ID}/paging/{number}"] = Page(
            json.dumps(entries, ensure_ascii=False), "application/json; charset=utf-8")
    # The home feed third parties list answers with an empty channel (seen in 2026): the crawl must cope.
    pages[f"/{site}/rss/home.rss"] = Page(_rss(site, []), "application/rss+xml; charset=utf-8")
    urls = [article_path(a) for a in articles] + NON_ARTICLE_SITEMAP_PATHS.get(site, [])
    pages[f"/{site}/sitemap.xml"] = Page(_sitemap(urls), "application/xml; charset=utf-8")
    pages[f"/{site}/tag/hoi-nghi"] = Page(render_kinhtedothi_tag("Hội nghị", articles[:12]))
    archive = [a for a in listed if kdt_design(a) == "2016"]
    archive_pages = [archive[i : i + 2] for i in range(0, len(archive), 2)]
    for number, chunk in enumerate(archive_pages, start=1):
        html = render_kinhtedothi_archive_listing(chunk, number, len(archive_pages))
        pages[f"/{site}/chinh-tri/tin-tuc/p{number}"] = Page(html)
        if number == 1:
            pages[f"/{site}/chinh-tri/tin-tuc"] = Page(html)
    return pages


# --- Hanoi district-portal platform -------------------------------------------------------------------
#
# Evidence followed: Liferay portals under *.hanoi.gov.vn; articles at `/<section>/-/view_content/<id>-<slug>.html`;
# date lines "Publish date 03/03/2020 | 14:00 | View count: 490" and "Ngày đăng 17/07/2019 | 09:15" (the English
# "View count" label on both); body in `.journal-content-article`; asset-publisher portlets with a real instance
# id. Assumed: the title, category and date-line classes, the listing markup and the `?cur=N` pager.


def _hanoi_shell(site: str, title: str, main: str) -> str:
    portal = FAMILIES[site]["portal"]
    return f"""<!DOCTYPE html>
<html>
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>{_e(title)} - {_e(portal)}</title></head>
<body class="portal">
<a class="skip-to-content" href="#main-content">Skip to Content</a>
<div id="banner"><img src="/{site}/images/banner.png" alt="{_e(portal)}"></div>
<nav id="navigation"><ul><li><a href="/{site}/tong-quan">TỔNG QUAN</a></li><li><a href="/{site}/tin-tuc-su-kien">TIN TỨC - SỰ KIỆN</a></li></ul></nav>
<div id="column-1">
<div class="portlet visitor-tracking"><span class="portlet-title">Visitor Tracking</span> <span class="portlet-title-text">Visitor Tracking</span>
<ul><li>User Online: 962</li><li>Access in week: 12681</li><li>Access in month: 43254</li><li>Access in year: 755941</li><li>Total visited: 3440515</li></ul></div>
</div>
<div id="main-content">
{main}
</div>
<div id="footer"><p>Cổng thông tin điện tử {_e(portal)} - Thành phố Hà Nội</p></div>
</body>
</html>"""


def _hanoi_date_line(site: str, article: Article) -> str:
    if article.published is None:
        return ""
    if FAMILIES[site]["label"] == "publish":
        views = f" | View count: {article.views}" if article.views is not None else ""
        return f'<div class="date-view">Publish date {article.published:%d/%m/%Y | %H:%M}{views}</div>'
    return f'<div class="date-view">Ngày đăng {article.published:%d/%m/%Y | %H:%M}</div>'


def _hanoi_blocks(article: Article) -> str:
    parts: list[str] = []
    for index, block in enumerate(article.blocks):
        text = _e(block["text"])
        if block["type"] == "p":
            parts.append(f'<p style="text-align: justify;">{text}</p>')
        elif block["type"] == "h":
            parts.append(f"<p><strong>{text}</strong></p>")
        elif block["type"] == "img":
            parts.append(
                f'<table class="image-caption" align="center"><tbody><tr><td><img src="/{article.site}/images/{article.slug}-{index}.jpg" width="600"></td></tr>'
                f'<tr><td class="caption"><em>{text}</em></td></tr></tbody></table>'
            )
    if article.raw.get("source_line"):
        parts.append(f"<p>{_e(article.raw['source_line'])}</p>")
    if article.author:
        parts.append(f'<p style="text-align: right;"><strong>{_e(article.author)}</strong></p>')
    return "\n".join(parts)


def render_hanoi_article(article: Article, others: list[Article]) -> str:
    site = article.site
    other_news = "".join(
        f'<li><a href="{article_path(o)}?inheritRedirect=true&amp;redirect=%2F{site}%2Ftin-tuc-su-kien">{_e(o.title)}</a>'
        f'{f" <span>({o.published:%d/%m/%Y})</span>" if o.published else ""}</li>'
        for o in others[:6]
    )
    body_class = "journal-content-article" if article.raw.get("layout") != "legacy" else "legacy-article-content"
    main = f"""<div class="portlet-journal-content">
<div class="category-header"><span class="category-title">{_e(article.category.upper())}</span> <span class="category-title-hidden">{_e(article.category.upper())}</span></div>
<div class="news-detail">
<h3 class="title-news">{_e(article.title)}</h3>
{_hanoi_date_line(site, article)}
<div class="{body_class}">
{_hanoi_blocks(article)}
</div>
</div>
<div class="other-news"><h4>Các tin khác</h4><ul>{other_news}</ul></div>
</div>"""
    return _hanoi_shell(site, article.title, main)


def render_hanoi_listing(site: str, items: list[Article], page: int, pages: int) -> str:
    """An asset-publisher portlet (instance id as real portals print one) linking to view_content pages."""
    entries = "".join(
        f'<div class="news-item"><a class="news-image" href="{article_path(a)}?inheritRedirect=true&amp;redirect=%2F{site}%2Ftin-tuc-su-kien%3Fcur%3D{page}">'
        f'<img src="/{site}/images/{a.slug}-thumb.jpg"></a><div class="news-info">'
        f'<h3 class="asset-title"><a href="{article_path(a)}?inheritRedirect=true&amp;redirect=%2F{site}%2Ftin-tuc-su-kien%3Fcur%3D{page}">{_e(a.title)}</a></h3>'
        f'{f"<span class=news-date>({a.published:%d/%m/%Y})</span>" if a.published else ""}'
        f'<div class="asset-summary">{_e(a.blocks[0]["text"][:220] if a.blocks else "")}...</div></div></div>'
        for a in items
    )
    pager = "".join(f'<li><a href="/{site}/tin-tuc-su-kien?cur={n}">{n}</a></li>' for n in range(1, pages + 1))
    if page < pages:
        pager += f'<li><a class="next" href="/{site}/tin-tuc-su-kien?cur={page + 1}">Trang sau &rarr;</a></li>'
    main = f"""<div class="category-header"><span class="category-title">TIN TỨC - SỰ KIỆN</span></div>
<div class="asset-publisher" id="p_p_id_101_INSTANCE_4IVkx5Jltnbg_">{entries}</div>
<div class="taglib-page-iterator"><ul class="pager">{pager}</ul><span>Trang {page} / {pages}</span></div>"""
    return _hanoi_shell(site, "Tin tức - Sự kiện", main)


_JS_LISTING = """<div class="category-header"><span class="category-title">TIN TỨC - SỰ KIỆN</span></div>
<div id="news-list" class="asset-publisher-js" data-api="/{site}/api/tin-tuc?page={page}"><p class="loading">Đang tải...</p></div>
<script>
(function () {{
  var box = document.getElementById("news-list");
  fetch(box.getAttribute("data-api")).then(function (r) {{ return r.json(); }}).then(function (data) {{
    var list = document.createElement("div");
    list.className = "asset-publisher";
    data.items.forEach(function (item) {{
      var entry = document.createElement("div");
      entry.className = "news-item";
      var h = document.createElement("h3");
      h.className = "asset-title";
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;
      h.appendChild(a);
      entry.appendChild(h);
      var d = document.createElement("span");
      d.className = "news-date";
      d.textContent = "(" + item.date + ")";
      entry.appendChild(d);
      list.appendChild(entry);
    }});
    box.innerHTML = "";
    box.appendChild(list);
    if (data.next) {{
      var pager = document.createElement("div");
      pager.className = "taglib-page-iterator";
      pager.innerHTML = '<ul class="pager"><li><a class="next" href="' + data.next + '">Trang sau</a></li></ul>';
      box.appendChild(pager);
    }}
    box.setAttribute("data-loaded", "1");
  }});
}})();
</script>"""


def render_hanoi_js_listing(site: str, page: int) -> str:
    """A listing shell whose list is built in the browser from a JSON API (no links in the served HTML)."""
    return _hanoi_shell(site, "Tin tức - Sự kiện", _JS_LISTING.format(site=site, page=page))


def render_listing_json(site: str, items: list[Article], page: int, pages: int) -> str:
    data = {
        "page": page,
        "items": [
            {
                "title": a.title,
                "url": f"{article_path(a)}?inheritRedirect=true&redirect=%2F{site}%2Ftin-tuc-su-kien%3Fcur%3D{page}",
                "date": f"{a.published:%d/%m/%Y}" if a.published else "",
            }
            for a in items
        ],
        "next": f"/{site}/tin-tuc-su-kien?cur={page + 1}" if page < pages else None,
    }
    return json.dumps(data, ensure_ascii=False)


# --- Hải Phòng district-portal platform ---------------------------------------------------------------


def _haiphong_shell(site: str, title: str, main: str, latest: list[Article]) -> str:
    portal = FAMILIES[site]["portal"]
    related = "".join(
        f'<li><a href="{article_path(a)}">{_e(a.title)}</a><span class="time">{a.published:%H:%M %d/%m/%Y}</span></li>'
        for a in latest
        if a.published
    )
    return f"""<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>{_e(title)} | {_e(portal)}</title></head>
<body>
<header class="header"><div class="logo"><a href="/{site}/">Cổng thông tin điện tử {_e(portal)} - Thành phố Hải Phòng</a></div>
<ul class="menu"><li><a href="/{site}/">Trang chủ</a></li><li><a href="/{site}/tin-tuc-su-kien">Tin tức - Sự kiện</a></li></ul></header>
<div class="container">
{main}
<div class="related-news"><h3>Tin mới nhất</h3><ul>{related}</ul></div>
</div>
<footer><p>Bản quyền thuộc UBND {_e(portal)}</p></footer>
</body>
</html>"""


def render_haiphong_article(article: Article, others: list[Article]) -> str:
    site = article.site
    blocks: list[str] = []
    for index, block in enumerate(article.blocks):
        text = _e(block["text"])
        if block["type"] == "p":
            blocks.append(f"<p>{text}</p>")
        elif block["type"] == "h":
            blocks.append(f"<h3>{text}</h3>")
        elif block["type"] == "img":
            blocks.append(f'<figure class="image"><img src="/{site}/images/{article.slug}-{index}.jpg"><figcaption>{text}</figcaption></figure>')
    stamp = f'<div class="time-post">{article.published:%H:%M %d/%m/%Y}</div>' if article.published else ""
    main = f"""<ul class="breadcrumb"><li><a href="/{site}/">Trang chủ</a></li><li><a href="/{site}/tin-tuc-su-kien">{_e(article.category)}</a></li></ul>
<div class="detail-news">
<h1 class="title-detail">{_e(article.title)}</h1>
{stamp}
<div class="sapo-detail">{_e(article.lead)}</div>
<div class="content-detail">
{chr(10).join(blocks)}
</div>
<div class="author-detail">{_e(article.author)}</div>
</div>"""
    return _haiphong_shell(site, article.title, main, others[:2])


def render_haiphong_listing(site: str, items: list[Article], page: int, pages: int, extra_links: list[str], latest: list[Article]) -> str:
    entries = "".join(
        f'<li class="item-news"><a class="title-news" href="{article_path(a)}">{_e(a.title)}</a>'
        f'<span class="time">{a.published:%H:%M %d/%m/%Y}</span><p class="sapo">{_e(a.lead)}</p></li>'
        for a in items
    )
    entries += "".join(f'<li class="item-news"><a class="title-news" href="{href}">Tin đang cập nhật</a></li>' for href in extra_links)
    paging = "".join(f'<a href="/{site}/tin-tuc-su-kien?page={n}">{n}</a>' for n in range(1, pages + 1))
    if page < pages:
        paging += f'<a class="next-page" href="/{site}/tin-tuc-su-kien?page={page + 1}">Sau</a>'
    main = f'<h2 class="cate-title">Tin tức - Sự kiện</h2><ul class="list-news">{entries}</ul><div class="paging">{paging}</div>'
    return _haiphong_shell(site, "Tin tức - Sự kiện", main, latest[:2])


# --- a Hanoi ward portal (since 1 July 2025) ----------------------------------------------------------
#
# Evidence followed: ward portals such as duongnoi.hanoi.gov.vn with party news under `/dang-doan-the`, a date
# printed as "21:08 20/07/2025", still Liferay (`view_content` URLs, `.journal-content-article`). Assumed: the
# title, date and listing classes and the pager (`a[rel=next]`).


def _ward_shell(site: str, title: str, main: str) -> str:
    portal = FAMILIES[site]["portal"]
    section = FAMILIES[site]["section"]
    return f"""<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>{_e(title)} - {_e(portal)}</title></head>
<body class="portal ward">
<header class="ward-header"><a href="/{site}/">Cổng thông tin điện tử {_e(portal)}</a>
<nav><ul><li><a href="/{site}/">Trang chủ</a></li><li><a href="/{site}/{section}">Đảng - Đoàn thể</a></li></ul></nav></header>
<div id="content">
{main}
</div>
<footer><p>{_e(portal)} - Thành phố Hà Nội</p></footer>
</body>
</html>"""


def render_ward_article(article: Article, others: list[Article]) -> str:
    site = article.site
    stamp = f'<span class="publish-date">{article.published:%H:%M %d/%m/%Y}</span>' if article.published else ""
    related = "".join(f'<li><a href="{article_path(o)}">{_e(o.title)}</a></li>' for o in others[:4])
    main = f"""<div class="portlet-asset-full-content">
<div class="asset-full-content">
<h1 class="header-title">{_e(article.title)}</h1>
<div class="asset-meta">{stamp}</div>
<div class="journal-content-article">
{_hanoi_blocks(article)}
</div>
</div>
<div class="related-assets"><h4>Tin liên quan</h4><ul>{related}</ul></div>
</div>"""
    return _ward_shell(site, article.title, main)


def render_ward_listing(site: str, items: list[Article], page: int, pages: int) -> str:
    section = FAMILIES[site]["section"]
    entries = "".join(
        f'<div class="asset-entry"><h3 class="asset-title"><a href="{article_path(a)}">{_e(a.title)}</a></h3>'
        f'<span class="publish-date">{a.published:%H:%M %d/%m/%Y}</span></div>'
        for a in items if a.published
    )
    pager = f'<a rel="next" class="next" href="/{site}/{section}?page={page + 1}">Trang sau</a>' if page < pages else ""
    main = f'<div class="portlet-asset-publisher">{entries}</div><div class="pagination">{pager}</div>'
    return _ward_shell(site, "Đảng - Đoàn thể", main)


# --- thanhuyhanoi.vn (the Hanoi Party Committee) --------------------------------------------------------
#
# Evidence followed: article URLs `/tin-tuc/<section>/<slug>-<8-digit id>.html`, images on file.thanhuyhanoi.vn.
# Assumed: everything about the markup; the site has no parser version, so the generic reader (JSON-LD,
# Open Graph, main text) reads it, and only its article-link pattern is data.


def render_thanhuy_article(article: Article, others: list[Article]) -> str:
    url = f"{ORIGIN}{article_path(article)}"
    iso = article.published.strftime("%Y-%m-%dT%H:%M:00+07:00") if article.published else ""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title, "datePublished": iso,
          "author": {"@type": "Organization", "name": article.author}, "mainEntityOfPage": url}
    paragraphs = "".join(
        f"<p>{_e(b['text'])}</p>" if b["type"] != "img" else
        f'<figure><img src="https://file.thanhuyhanoi.vn/thanhuy/public/Uploads/TinTuc/{article.slug}.jpg"><figcaption>{_e(b["text"])}</figcaption></figure>'
        for b in article.blocks
    )
    related = "".join(f'<li><a href="{article_path(o)}">{_e(o.title)}</a></li>' for o in others[:5])
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{_e(article.title)}</title>
<meta property="og:type" content="article"><meta property="og:title" content="{_e(article.title)}"><meta property="og:url" content="{url}">
<meta property="article:published_time" content="{iso}"><link rel="canonical" href="{url}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script></head>
<body><header><a href="/thanhuyhanoi/">Thành ủy Hà Nội</a></header>
<div class="main"><article><h1>{_e(article.title)}</h1><div class="meta">{article.published:%d/%m/%Y %H:%M}</div>
<div class="content">{paragraphs}<p class="author"><strong>{_e(article.author)}</strong></p></div></article>
<aside><h3>Tin cùng chuyên mục</h3><ul>{related}</ul></aside></div>
<footer>Cổng thông tin điện tử Đảng bộ thành phố Hà Nội</footer></body></html>"""


def render_thanhuy_listing(items: list[Article]) -> str:
    entries = "".join(f'<li><a href="{article_path(a)}">{_e(a.title)}</a> <span>{a.published:%d/%m/%Y}</span></li>' for a in items)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Tin tức - Thành ủy Hà Nội</title></head>
<body><header><a href="/thanhuyhanoi/">Thành ủy Hà Nội</a></header><h1>Tin tức</h1><ul class="news">{entries}</ul></body></html>"""


# --- whole sites --------------------------------------------------------------------------------------


def _rss(site: str, items: list[Article]) -> str:
    entries = "".join(
        f"<item><title>{_e(a.title)}</title><link>{ORIGIN}{article_path(a)}</link>"
        f"<description>{_e(a.lead)}</description><pubDate>{a.published:%a, %d %b %Y %H:%M:00} +0700</pubDate></item>"
        for a in items
        if a.published
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Kinh tế &amp; Đô thị</title><link>{ORIGIN}/{site}/</link>{entries}</channel></rss>'


def _sitemap(urls: list[str]) -> str:
    entries = "".join(f"<url><loc>{ORIGIN}{u}</loc></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'


#: Links to pages that do not exist (a removed article, a server error), as real listings carry them.
BROKEN_LINKS = {"kinhtedothi": ["/kinhtedothi/bai-viet-da-go-bo.html"], "lechan": ["/lechan/tin-tuc-su-kien/loi-may-chu.html"]}
#: Non-article pages a sitemap lists too: the crawler must skip them, not store them.
NON_ARTICLE_SITEMAP_PATHS = {"kinhtedothi": ["/kinhtedothi/tag/hoi-nghi", "/kinhtedothi/chinh-tri"]}
SERVER_ERROR_PATHS = {"/lechan/tin-tuc-su-kien/loi-may-chu.html"}


def render_site(site: str, content_dir: Path = CONTENT_DIR, extra_listing_links: tuple[str, ...] | list[str] = ()) -> dict[str, Page]:
    """Every page of one replica site, keyed by path (query string included for paginated listings)."""
    family = FAMILIES[site]["family"]
    articles = load_articles(site, content_dir)
    pages: dict[str, Page] = {}
    listed = [a for a in articles if a.published] + [a for a in articles if not a.published]
    chunks = _pages(listed)
    renderers = {"kinhtedothi": render_kinhtedothi_article, "hanoi_portal": render_hanoi_article,
                 "hanoi_ward": render_ward_article, "thanhuy": render_thanhuy_article}
    for article in articles:
        others = [o for o in articles if o is not article]
        html = renderers.get(family, render_haiphong_article)(article, others)
        if article.raw.get("markup") == "malformed":
            html = html.replace("</p>", "").replace("</div>\n</div>", "", 1)
        pages[article_path(article)] = Page(html)
    if family == "kinhtedothi":
        pages.update(render_kinhtedothi_site(site, articles))
        return pages
    if family == "thanhuy":
        pages[f"/{site}/tin-tuc"] = Page(render_thanhuy_listing(listed))
        return pages
    for number, chunk in enumerate(chunks, start=1):
        extra = BROKEN_LINKS.get(site, []) if number == 2 else list(extra_listing_links) if number == 1 else []
        if family == "hanoi_portal" and FAMILIES[site].get("js_listing"):
            html = render_hanoi_js_listing(site, number)
            key = f"/{site}/tin-tuc-su-kien?cur={number}"
            pages[f"/{site}/api/tin-tuc?page={number}"] = Page(
                render_listing_json(site, chunk, number, len(chunks)), "application/json; charset=utf-8"
            )
        elif family == "hanoi_portal":
            html = render_hanoi_listing(site, chunk, number, len(chunks))
            key = f"/{site}/tin-tuc-su-kien?cur={number}"
        elif family == "hanoi_ward":
            html = render_ward_listing(site, chunk, number, len(chunks))
            key = f"/{site}/{FAMILIES[site]['section']}?page={number}"
        else:
            html = render_haiphong_listing(site, chunk, number, len(chunks), extra, articles)
            key = f"/{site}/tin-tuc-su-kien?page={number}"
        pages[key] = Page(html)
        if number == 1:
            pages[key.split("?")[0]] = Page(html)
    return pages


def recorded_pages(site: str, fixtures_dir: Path) -> dict[str, Page]:
    """Pages recorded from the live site (`tests/fixtures/record.py`, provenance "recorded"), keyed by their own
    paths under `/<site>`, with the site's addresses pointed at the replica. The server serves them in place of
    rendered pages: where a recording exists, the replica follows it, not the other way round."""
    pages: dict[str, Page] = {}
    for meta in sorted(fixtures_dir.glob(f"{site}/*/*.json")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        if data.get("provenance") != "recorded" or not meta.with_suffix(".html").exists():
            continue
        parts = urlsplit(data["url"])
        html = meta.with_suffix(".html").read_text(encoding="utf-8")
        html = html.replace(f"{parts.scheme}://{parts.netloc}", f"{ORIGIN}/{site}")
        html = re.sub(r'((?:href|src)=["\'])/(?!/)', rf"\1/{site}/", html)
        pages[f"/{site}{parts.path}" + (f"?{parts.query}" if parts.query else "")] = Page(html)
    return pages
