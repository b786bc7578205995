"""Selector sets, one per CMS platform. Sites on the same platform share one set.

Each set is modelled on the page structure the seed captures show for that platform: where the title, the
date/view label, the body, its photo captions and its closing byline sit, and which blocks are noise.
"""

from __future__ import annotations

from crawler.sites import Selectors

#: kinhtedothi.vn: a modern news CMS with JSON-LD, Open Graph and article:* meta tags.
KINHTEDOTHI = Selectors(
    listing_links=".list-news .story__title a::attr(href)",
    next_page=".pagination a.next::attr(href)",
    title="h1.detail__title",
    summary=".detail__sapo",
    body=".detail__content",
    body_exclude=(".box-related-inline", ".ads", "script", "style", ".detail__author"),
    figure="figure.detail__photo",
    figure_caption="figcaption",
    author=".detail__author",
    category=".detail__breadcrumb a:last-child",
    date_label=".detail__meta time",
    tags=".detail__tags a",
)

#: The Hanoi district-portal platform (Liferay portals of Thanh Xuân, Ba Đình, ...): no structured metadata,
#: a "Publish date ... | Lượt xem: N" or "Ngày đăng ... | hh:mm" line, a right-aligned byline closing the body.
HANOI_PORTAL = Selectors(
    listing_links=".asset-publisher .asset-title a::attr(href)",
    next_page=".taglib-page-iterator a.next::attr(href)",
    title=".news-detail .title-news",
    body=".news-detail .journal-content-article",
    body_exclude=("script", "style", "p.text-right", "p[style*='right']"),
    figure="table.image-caption",
    figure_caption="td.caption",
    author=".journal-content-article p.text-right, .journal-content-article p[style*='right']",
    category=".category-header .category-title",
    date_label=".news-detail .date-view",
    view_label=".news-detail .date-view",
)

#: The Hải Phòng district-portal platform (Lê Chân): "hh:mm dd/mm/yyyy" before the lead, byline after the body.
HAIPHONG_PORTAL = Selectors(
    listing_links=".list-news .item-news a.title-news::attr(href)",
    next_page=".paging a.next-page::attr(href)",
    title=".detail-news h1.title-detail",
    summary=".detail-news .sapo-detail",
    body=".detail-news .content-detail",
    body_exclude=("script", "style"),
    figure="figure.image",
    figure_caption="figcaption",
    author=".detail-news .author-detail",
    category=".breadcrumb li:last-child a",
    date_label=".detail-news .time-post",
)

PLATFORMS: dict[str, Selectors] = {
    "kinhtedothi": KINHTEDOTHI,
    "hanoi_portal": HANOI_PORTAL,
    "haiphong_portal": HAIPHONG_PORTAL,
}
