"""Spider for the `badinh` site; everything it knows about the site is in crawler/sites/catalog.py."""

from __future__ import annotations

from crawler.sites import SITES
from crawler.spiders.hanoi_portal import HanoiPortalSpider


class BaDinhSpider(HanoiPortalSpider):
    name = "badinh"
    site = SITES["badinh"]
