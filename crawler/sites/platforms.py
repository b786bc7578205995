"""Parser versions: one selector set per design a platform has served, with the publish dates it covers.

Sites name the versions they use in `sites.toml` ("hanoi_portal" for every version of a platform,
"hanoi_portal/2019" for one). A redesign adds a version here with its `valid_from` date and closes the old
version's `valid_until`: pages of the old design are still read by the old version, and the run summary's
per-version hits show the new version's zero when a site changes again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crawler.sites import ParserVersion, Selectors

# kinhtedothi.vn served three designs, and its archive still serves pages of each. Evidence: public scrapers of
# the site (2020-era `#cotent_detail`, `.sapo_detail`, `.time_detail_news`; 2021-2024 `itemprop=articleBody`,
# `span.detail__author`; 2025 `h1.article-title`, `div.article-published-on`). Selectors marked "assumed" have no
# public evidence yet: `crawler check kinhtedothi` on the live site says whether they match.

#: Up to 2020: "08-11-2020 15:11" stamps, lead in `.sapo_detail`, no structured data.
KINHTEDOTHI_2016 = ParserVersion(
    name="kinhtedothi/2016",
    valid_until=date(2020, 12, 31),
    selectors=Selectors(
        listing_links=".pkg h2 > a::attr(href)",
        next_page=".paging a.active + a::attr(href)",
        title="h1.title_detail_news",
        summary=".sapo_detail",
        body="#cotent_detail",
        body_exclude=("script", "style"),
        figure="div.img_detail",  # assumed
        figure_caption=".img_caption",  # assumed
        author="span.name_author",
        category=".breadcrumb_detail a:last-child",  # assumed
        date_label=".time_detail_news",
        tags=".tag_detail a",
    ),
)

#: About 2021 to spring 2025: `itemprop=articleBody`; listings paged by the category JSON endpoint.
KINHTEDOTHI_2021 = ParserVersion(
    name="kinhtedothi/2021",
    valid_from=date(2021, 1, 1),
    valid_until=date(2025, 3, 31),  # assumed day of the redesign ("spring 2025")
    selectors=Selectors(
        title="h1.detail__title",  # assumed
        summary=".detail__sapo",  # assumed
        body="div[itemprop=articleBody]",
        body_exclude=(".box-related-inline", ".ads", "script", "style"),
        figure="figure.detail__photo",  # assumed
        figure_caption="figcaption",
        author="span.detail__author",
        category=".detail__breadcrumb a:last-child",  # assumed
        date_label=".detail__meta time",  # assumed
        tags=".detail__tags a",  # assumed
    ),
)

#: Since spring 2025: `/<slug>.<id>.html`, "<weekday>, HH:MM dd/mm/yyyy", og:title, article:published_time.
KINHTEDOTHI_2025 = ParserVersion(
    name="kinhtedothi/2025",
    valid_from=date(2025, 4, 1),
    selectors=Selectors(
        listing_links=".list-article .article-title a::attr(href)",  # assumed
        title="h1.article-title",
        summary=".article-sapo",  # assumed
        body=".article-content",  # assumed
        body_exclude=(".box-related-inline", ".ads", "script", "style"),
        figure="figure.article-photo",  # assumed
        figure_caption="figcaption",
        author=".article-author",  # assumed
        category=".breadcrumb li:last-child a",  # assumed
        date_label="div.article-published-on",
        tags=".article-tags a",  # assumed
    ),
)

#: What every Liferay portal's journal article shares (the Hanoi district portals and, since July 2025, the ward
#: portals): a right-aligned byline closing `.journal-content-article`, figures in `table.image-caption`.
LIFERAY_JOURNAL: dict[str, Any] = {
    "body_exclude": ("script", "style", "p.text-right", "p[style*='right']"),
    "figure": "table.image-caption",
    "figure_caption": "td.caption",
    "author": ".journal-content-article p.text-right, .journal-content-article p[style*='right']",
}

#: The Hanoi district-portal platform (Liferay portals of Thanh Xuân, Ba Đình, ...): no structured metadata,
#: a "Publish date ... | View count: N" or "Ngày đăng ... | hh:mm" line, a right-aligned byline closing the body.
#: Evidence: `/-/view_content/<id>-<slug>.html` URLs, `.journal-content-article`; the other classes are assumed.
HANOI_PORTAL_2019 = ParserVersion(
    name="hanoi_portal/2019",
    selectors=Selectors(
        listing_links=".asset-publisher .asset-title a::attr(href)",
        next_page=".taglib-page-iterator a.next::attr(href)",
        title=".news-detail .title-news",
        body=".news-detail .journal-content-article",
        **LIFERAY_JOURNAL,
        category=".category-header .category-title",
        date_label=".news-detail .date-view",
        view_label=".news-detail .date-view",
    ),
)

#: Hanoi ward portals since 1 July 2025 (duongnoi.hanoi.gov.vn ...): still Liferay, `view_content` articles with
#: the body in `.journal-content-article`, a bare "21:08 20/07/2025" stamp. Title and stamp classes assumed.
HANOI_WARD_2025 = ParserVersion(
    name="hanoi_ward/2025",
    valid_from=date(2025, 7, 1),
    selectors=Selectors(
        listing_links=".portlet-asset-publisher a[href*='/-/view_content/']::attr(href)",
        next_page="a[rel=next]::attr(href)",
        title=".asset-full-content h1.header-title",
        body=".asset-full-content .journal-content-article",
        **LIFERAY_JOURNAL,
        date_label=".asset-full-content .publish-date",
    ),
)

#: The Hải Phòng district-portal platform (Lê Chân): "hh:mm dd/mm/yyyy" before the lead, byline after the body.
HAIPHONG_PORTAL_2023 = ParserVersion(
    name="haiphong_portal/2023",
    selectors=Selectors(
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
    ),
)

PLATFORMS: dict[str, tuple[ParserVersion, ...]] = {
    "kinhtedothi": (KINHTEDOTHI_2016, KINHTEDOTHI_2021, KINHTEDOTHI_2025),
    "hanoi_portal": (HANOI_PORTAL_2019,),
    "hanoi_ward": (HANOI_WARD_2025,),
    "haiphong_portal": (HAIPHONG_PORTAL_2023,),
}


def resolve_versions(names: list[str] | tuple[str, ...]) -> tuple[ParserVersion, ...]:
    """The versions a site names: "platform" for all of a platform's versions, "platform/version" for one."""
    found: list[ParserVersion] = []
    for name in names:
        platform, _, version = name.partition("/")
        if platform not in PLATFORMS:
            raise KeyError(f"unknown platform {platform!r}; known platforms: {', '.join(sorted(PLATFORMS))}")
        versions = [v for v in PLATFORMS[platform] if not version or v.name == name]
        if not versions:
            known = ", ".join(v.name for v in PLATFORMS[platform])
            raise KeyError(f"unknown parser version {name!r}; {platform} has: {known}")
        found.extend(versions)
    return tuple(found)


def version_dates(valid_from: date | None, valid_until: date | None) -> str:
    """"2021-01-01..2025-03-31" as `crawler sites` and `crawler check` print a version's range."""
    return f"{valid_from or '…'}..{valid_until or '…'}"
