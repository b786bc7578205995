"""Conference facts: what meeting an article reports, read from its text and what its site implies (the item's
`site_context`, set by `read_page` from the site's definition)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from crawler.items import ArticleItem
from crawler.parsing.conference import SiteContext, extract_conference
from crawler.sites import SITES
from pipelines.base import ItemPipeline


class ConferenceFactsPipeline(ItemPipeline):
    def process_item(self, item: ArticleItem) -> ArticleItem:
        published = date.fromisoformat(item.published_at[:10]) if item.published_at else None
        # read_page sets what the site implies; how long its level and locality hold is in its definition.
        site = SITES.get(item.site)
        context = (item.site_context or SiteContext()).on(published, site.local_until if site else None)
        facts = extract_conference(item.title or "", item.body or "", published, context)
        item.conference = asdict(facts)
        if facts.is_conference:
            self.stats.inc_value("conference/found")
            self.stats.inc_value(f"conference/found/{item.site}")
        return item
