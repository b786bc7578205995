"""Conference facts: what meeting an article reports, read from its text and its site's own definition."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from crawler.items import ArticleItem
from crawler.parsing.conference import SiteContext, extract_conference
from crawler.sites import SITES
from pipelines.base import ItemPipeline


class ConferenceFactsPipeline(ItemPipeline):
    def process_item(self, item: ArticleItem) -> ArticleItem:
        site = SITES.get(item.site)
        context = SiteContext(site.level, site.locality, site.province) if site else SiteContext()
        published = date.fromisoformat(item.published_at[:10]) if item.published_at else None
        try:
            facts = extract_conference(item.title or "", item.body or "", published, context)
        except (ValueError, OverflowError, RecursionError):  # an odd number or date in the text: no facts, not no article
            self.warn("conference_unparseable")
            facts = extract_conference("", "", None, context)
        item.conference = asdict(facts)
        if facts.is_conference:
            self.stats.inc_value("conference/found")
            self.stats.inc_value(f"conference/found/{item.site}")
        return item
