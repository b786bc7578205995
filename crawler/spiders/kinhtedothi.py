"""Spider for the `kinhtedothi` site; everything it knows about the site is in crawler/sites/catalog.py."""

from __future__ import annotations

from crawler.sites import SITES
from crawler.spiders.base import SiteSpider


class KinhtedothiSpider(SiteSpider):
    name = "kinhtedothi"
    site = SITES["kinhtedothi"]
