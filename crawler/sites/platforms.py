"""Parser versions: one selector set per design a platform has served, with the publish dates it covers.

Sites name the versions they use in `sites.toml` ("hanoi_portal" for every version of a platform,
"hanoi_portal/2019" for one). A redesign adds a version here with its `valid_from` date and closes the old
version's `valid_until`: pages of the old design are still read by the old version, and the run summary's
per-version hits show the new version's zero when a site changes again.
"""

from __future__ import annotations

from datetime import date

from crawler.sites import ParserVersion, Selectors

#: kinhtedothi.vn, the design the project was specified from (a news CMS with JSON-LD, Open Graph and
#: article:* meta tags). Modelled on the seed captures' text; its class names are assumed.
KINHTEDOTHI_SEED = ParserVersion(
    name="kinhtedothi/seed",
    selectors=Selectors(
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
    ),
)

#: The Hanoi district-portal platform (Liferay portals of Thanh Xuân, Ba Đình, ...): no structured metadata,
#: a "Publish date ... | Lượt xem: N" or "Ngày đăng ... | hh:mm" line, a right-aligned byline closing the body.
HANOI_PORTAL_2019 = ParserVersion(
    name="hanoi_portal/2019",
    selectors=Selectors(
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
    "kinhtedothi": (KINHTEDOTHI_SEED,),
    "hanoi_portal": (HANOI_PORTAL_2019,),
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
