"""The Hanoi district-portal platform: every district on it is a subclass naming its site definition."""

from __future__ import annotations

from crawler.spiders.base import SiteSpider


class HanoiPortalSpider(SiteSpider):
    """Base for Hanoi district portals (no `name`, so Scrapy does not list it as a spider)."""
