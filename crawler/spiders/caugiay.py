"""Spider for the `caugiay` site (Hanoi district-portal platform, listings rendered by JavaScript)."""

from __future__ import annotations

from crawler.sites import SITES
from crawler.spiders.hanoi_portal import HanoiPortalSpider


class CauGiaySpider(HanoiPortalSpider):
    name = "caugiay"
    site = SITES["caugiay"]
