"""Every site the crawler knows. Adding a site on a known platform is one entry here plus a spider file."""

from __future__ import annotations

from datetime import date

from crawler.sites import SiteDefinition
from crawler.sites.platforms import PLATFORMS

#: The last day of the district tier: on 1 July 2025 districts (quận, huyện, thị xã) were abolished and their
#: wards and communes came directly under the province.
DISTRICT_TIER_ENDED = date(2025, 6, 30)

_HANOI_PORTAL_PATHS = {
    "listing_paths": ("/tin-tuc-su-kien",),
    "strip_query_params": ("redirect", "inheritRedirect"),
}

SITES: dict[str, SiteDefinition] = {
    site.name: site
    for site in (
        SiteDefinition(
            name="kinhtedothi",
            platform="kinhtedothi",
            base_url="https://kinhtedothi.vn",
            selectors=PLATFORMS["kinhtedothi"],
            listing_paths=("/tin-tuc",),
            feed_paths=("/rss/home.rss",),
            sitemap_paths=("/sitemap.xml",),
            strip_query_params=("utm_source", "utm_medium", "utm_campaign", "gidzl"),
            province="Hà Nội",
            description="Kinh tế & Đô thị, Hanoi daily: city-wide politics and district party news",
        ),
        SiteDefinition(
            name="thanhxuan",
            platform="hanoi_portal",
            base_url="https://thanhxuan.hanoi.gov.vn",
            shows_view_counts=True,
            selectors=PLATFORMS["hanoi_portal"],
            level="quận",
            local_until=DISTRICT_TIER_ENDED,
            locality="Thanh Xuân",
            province="Hà Nội",
            description="Thanh Xuân district portal (Hanoi district-portal platform)",
            **_HANOI_PORTAL_PATHS,
        ),
        SiteDefinition(
            name="badinh",
            platform="hanoi_portal",
            base_url="https://badinh.hanoi.gov.vn",
            selectors=PLATFORMS["hanoi_portal"],
            level="quận",
            local_until=DISTRICT_TIER_ENDED,
            locality="Ba Đình",
            province="Hà Nội",
            description="Ba Đình district portal (Hanoi district-portal platform)",
            **_HANOI_PORTAL_PATHS,
        ),
        SiteDefinition(
            name="caugiay",
            platform="hanoi_portal",
            base_url="https://caugiay.hanoi.gov.vn",
            selectors=PLATFORMS["hanoi_portal"],
            render="js",
            shows_view_counts=True,
            level="quận",
            local_until=DISTRICT_TIER_ENDED,
            locality="Cầu Giấy",
            province="Hà Nội",
            # Needs a browser (Chromium), so it runs only when named: `crawler crawl caugiay`.
            enabled=False,
            description="Cầu Giấy district portal: listings rendered by JavaScript (headless Chromium)",
            **_HANOI_PORTAL_PATHS,
        ),
        SiteDefinition(
            name="lechan",
            platform="haiphong_portal",
            base_url="https://lechan.haiphong.gov.vn",
            selectors=PLATFORMS["haiphong_portal"],
            listing_paths=("/tin-tuc-su-kien",),
            level="quận",
            local_until=DISTRICT_TIER_ENDED,
            locality="Lê Chân",
            province="Hải Phòng",
            description="Lê Chân district portal, Hải Phòng",
        ),
    )
}


def get_site(name: str) -> SiteDefinition:
    try:
        return SITES[name]
    except KeyError:
        known = ", ".join(sorted(SITES))
        raise KeyError(f"unknown site {name!r}; known sites: {known}") from None
